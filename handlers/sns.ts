/**
 * The `sns` consumer: publishes every user record of the stream to an SNS topic with PublishBatch (see
 * `handlers/lib/fanout/sns-target.ts` for the message shape).
 *
 * Environment: `TARGET_TOPIC_ARN` (required), `FIFO` (`true` for a FIFO topic), and the consumer runtime's
 * `IDEMPOTENCY` / `IDEMPOTENCY_TABLE` / `IDEMPOTENCY_TTL_SECONDS`.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { fifoFromEnv, requiredEnv } from "./lib/fanout/from-env";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";
import { snsTarget, type SnsTargetOptions } from "./lib/fanout/sns-target";

/** Builds the `sns` consumer for one topic. */
export function createSnsHandler(target: SnsTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(snsTarget(target), { ...options, consumer: { serviceName: "sns", ...options.consumer } });
}

/** The topic settings from the function's environment. */
export function snsTargetFromEnv(env: NodeJS.ProcessEnv, client: SNSClient): SnsTargetOptions {
  return { client, topicArn: requiredEnv(env, "TARGET_TOPIC_ARN", "the topic the consumer publishes to"), fifo: fifoFromEnv(env) };
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createSnsHandler(snsTargetFromEnv(process.env, new SNSClient({ maxAttempts: 1 })));
  return envHandler(event, context);
};
