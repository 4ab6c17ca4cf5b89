/**
 * The `sns` consumer: publishes every user record of the stream to an SNS topic with PublishBatch (see
 * `handlers/lib/fanout/sns-target.ts` for the message shape).
 *
 * Environment: lib/environment/sns.ts, and the consumer runtime's (lib/environment/consumer.ts).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { snsFromEnv } from "./lib/environment/sns";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";
import { snsTarget, type SnsTargetOptions } from "./lib/fanout/sns-target";

/** Builds the `sns` consumer for one topic. */
export function createSnsHandler(target: SnsTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(snsTarget(target), { ...options, consumer: { serviceName: "sns", ...options.consumer } });
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createSnsHandler({ client: new SNSClient({ maxAttempts: 1 }), ...snsFromEnv(process.env) });
  return envHandler(event, context);
};
