/**
 * The `stepfunctions` consumer: starts a state machine's executions with the stream's records, one named
 * execution a record (STANDARD) or one synchronous execution a request of records (EXPRESS); see
 * `handlers/lib/stepfunctions/start.ts`.
 *
 * Environment: lib/environment/stepfunctions.ts, and the consumer runtime's (lib/environment/consumer.ts).
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { stepFunctionsFromEnv } from "./lib/environment/stepfunctions";
import { createStepFunctionsConsumer } from "./lib/stepfunctions/start";

let envHandler: KinesisConsumerHandler | undefined;

/** The Lambda entry, configured from `process.env` on its first invocation; the consumer owns retries. */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createStepFunctionsConsumer({ client: new SFNClient({ maxAttempts: 1 }), ...stepFunctionsFromEnv(process.env) });
  return envHandler(event, context);
};
