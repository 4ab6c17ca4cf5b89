/**
 * The `sqs` consumer: publishes every user record of the stream to an SQS queue with SendMessageBatch (see
 * `handlers/lib/fanout/sqs-target.ts` for the message shape).
 *
 * Environment: lib/environment/sqs.ts, and the consumer runtime's (lib/environment/consumer.ts).
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { sqsFromEnv } from "./lib/environment/sqs";
import { createFanoutConsumer, type FanoutConsumerOptions } from "./lib/fanout/publish";
import { sqsTarget, type SqsTargetOptions } from "./lib/fanout/sqs-target";

/** Builds the `sqs` consumer for one queue. */
export function createSqsHandler(target: SqsTargetOptions, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createFanoutConsumer(sqsTarget(target), { ...options, consumer: { serviceName: "sqs", ...options.consumer } });
}

let envHandler: KinesisConsumerHandler | undefined;

/**
 * The Lambda entry, configured from `process.env` on its first invocation. The client makes one attempt a
 * call: the fan-out consumer owns retries (per entry, within the function's time), as the SDK's would resend
 * every entry of a call.
 */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createSqsHandler({ client: new SQSClient({ maxAttempts: 1 }), ...sqsFromEnv(process.env) });
  return envHandler(event, context);
};
