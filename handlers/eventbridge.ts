/**
 * The `eventbridge` consumer: puts every user record of the stream on an event bus with PutEvents (see
 * `handlers/lib/fanout/eventbridge-target.ts` for the entry shape).
 *
 * Environment: lib/environment/eventbridge.ts, and the consumer runtime's (lib/environment/consumer.ts).
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { eventBridgeTarget, type EventBridgeTargetOptions } from "./lib/fanout/eventbridge-target";
import { eventBridgeFromEnv } from "./lib/environment/eventbridge";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";

/** Builds the `eventbridge` consumer for one bus. */
export function createEventBridgeHandler(target: EventBridgeTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(eventBridgeTarget(target), { ...options, consumer: { serviceName: "eventbridge", ...options.consumer } });
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createEventBridgeHandler({ client: new EventBridgeClient({ maxAttempts: 1 }), ...eventBridgeFromEnv(process.env) });
  return envHandler(event, context);
};
