/**
 * Event bus names already in use (EventBridge DescribeEventBus): the custom buses the `eventbridge` fan-out
 * consumers without `targetArn` get. CreateEventBus with a taken name fails (`ResourceAlreadyExistsException`).
 */
import { DescribeEventBusCommand } from "@aws-sdk/client-eventbridge";
import { probeNames, type NameProbe } from "./name-probe";
import type { Check } from "./types";

/** One row per bus the stack creates; none when it creates none. */
export const checkBusesTaken: Check = async (plan, clients) =>
  probeNames(
    plan.fanoutTargets
      .filter((target) => target.kind === "bus")
      .map(({ name }): NameProbe => ({
        kind: "event bus",
        name,
        action: "events:DescribeEventBus",
        type: "aws:cloudwatch/eventBus:EventBus",
        notFound: ["ResourceNotFoundException"],
        lookup: async () => (await clients.eventBridge.send(new DescribeEventBusCommand({ Name: name })), name),
      })),
    plan.deployed,
  );
