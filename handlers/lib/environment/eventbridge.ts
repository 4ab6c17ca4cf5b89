/**
 * The `eventbridge` kind's variables (handlers/eventbridge.ts): `EVENT_BUS_NAME` (required: a name, an ARN or
 * `default`), `EVENT_SOURCE` and `EVENT_DETAIL_TYPE` (required).
 */
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from "../../../semantics/fanout-limits";
import { NAME_LIMITS } from "../../../semantics/name-limits";
import type { ConsumerKind } from "./consumer";
import { longest, longestArn, requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const EVENTBRIDGE_VARIABLES = { eventBusName: "EVENT_BUS_NAME", source: "EVENT_SOURCE", detailType: "EVENT_DETAIL_TYPE" } as const;

/** The bus an `eventbridge` consumer puts events on, and the events' Source and DetailType. */
export interface EventBridgeSettings<V = string> {
  readonly eventBusName: V;
  readonly source: string;
  readonly detailType: string;
}

export function eventBridgeEnvironment<V>(settings: EventBridgeSettings<V>): Variables<V> {
  const v = EVENTBRIDGE_VARIABLES;
  return { [v.eventBusName]: settings.eventBusName, [v.source]: settings.source, [v.detailType]: settings.detailType };
}

/** The bus and the events' fields from the function's environment, with errors naming the variable. */
export function eventBridgeFromEnv(env: EnvironmentSource): EventBridgeSettings {
  const v = EVENTBRIDGE_VARIABLES;
  return {
    eventBusName: requiredVariable(env, v.eventBusName, "the event bus the consumer puts events on"),
    source: requiredVariable(env, v.source, "the events' Source"),
    detailType: requiredVariable(env, v.detailType, "the events' DetailType"),
  };
}

export const eventBridgeKind: ConsumerKind = {
  variables: Object.values(EVENTBRIDGE_VARIABLES),
  // A bus is named by its ARN when it is not the stack's own; the source and detail type at EventBridge's limits.
  longest: () =>
    eventBridgeEnvironment({
      eventBusName: longestArn("events", "event-bus/".length + NAME_LIMITS.eventBus.maxLength),
      source: longest(EVENT_SOURCE.maxLength),
      detailType: longest(EVENT_DETAIL_TYPE.maxLength),
    }),
};
