/**
 * The `sqs` consumer: publishes every user record of the stream to an SQS queue with SendMessageBatch (see
 * `handlers/lib/fanout/sqs-target.ts` for the message shape).
 *
 * Environment: `TARGET_QUEUE_URL` (required), `FIFO` (`true` for a FIFO queue), and the consumer runtime's
 * `IDEMPOTENCY` / `IDEMPOTENCY_TABLE` / `IDEMPOTENCY_TTL_SECONDS`.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { fifoFromEnv, requiredEnv } from "./lib/fanout/from-env";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";
import { sqsTarget, type SqsTargetOptions } from "./lib/fanout/sqs-target";

/** Builds the `sqs` consumer for one queue. */
export function createSqsHandler(target: SqsTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(sqsTarget(target), { ...options, consumer: { serviceName: "sqs", ...options.consumer } });
}

/** The queue settings from the function's environment. */
export function sqsTargetFromEnv(env: NodeJS.ProcessEnv, client: SQSClient): SqsTargetOptions {
  return { client, queueUrl: requiredEnv(env, "TARGET_QUEUE_URL", "the queue the consumer sends to"), fifo: fifoFromEnv(env) };
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createSqsHandler(sqsTargetFromEnv(process.env, new SQSClient({ maxAttempts: 1 })));
  return envHandler(event, context);
};
