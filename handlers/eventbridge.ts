/**
 * The `eventbridge` consumer: puts every user record of the stream on an event bus with PutEvents (see
 * `handlers/lib/fanout/eventbridge-target.ts` for the entry shape).
 *
 * Environment: `EVENT_BUS_NAME` (required: a name, an ARN or `default`), `EVENT_SOURCE` and
 * `EVENT_DETAIL_TYPE` (required), and the consumer runtime's `IDEMPOTENCY` / `IDEMPOTENCY_TABLE` /
 * `IDEMPOTENCY_TTL_SECONDS`.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { eventBridgeTarget, type EventBridgeTargetOptions } from "./lib/fanout/eventbridge-target";
import { requiredEnv } from "./lib/fanout/from-env";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";

/** Builds the `eventbridge` consumer for one bus. */
export function createEventBridgeHandler(target: EventBridgeTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(eventBridgeTarget(target), { ...options, consumer: { serviceName: "eventbridge", ...options.consumer } });
}

/** The bus settings from the function's environment. */
export function eventBridgeTargetFromEnv(env: NodeJS.ProcessEnv, client: EventBridgeClient): EventBridgeTargetOptions {
  return {
    client,
    eventBusName: requiredEnv(env, "EVENT_BUS_NAME", "the event bus the consumer puts events on"),
    source: requiredEnv(env, "EVENT_SOURCE", "the events' Source"),
    detailType: requiredEnv(env, "EVENT_DETAIL_TYPE", "the events' DetailType"),
  };
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createEventBridgeHandler(eventBridgeTargetFromEnv(process.env, new EventBridgeClient({ maxAttempts: 1 })));
  return envHandler(event, context);
};
