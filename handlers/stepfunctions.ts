/**
 * The `stepfunctions` consumer: starts a state machine's executions with the stream's records, one named
 * execution a record (STANDARD) or one synchronous execution a request of records (EXPRESS); see
 * `handlers/lib/stepfunctions/start.ts`.
 *
 * Environment: `STATE_MACHINE_ARN` (required), `WORKFLOW_TYPE` (`STANDARD` or `EXPRESS`), and the consumer
 * runtime's `IDEMPOTENCY` / `IDEMPOTENCY_TABLE` / `IDEMPOTENCY_TTL_SECONDS`.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import type { KinesisConsumerHandler } from "./lib/consumer";
import { requiredEnv } from "./lib/fanout/from-env";
import { createStepFunctionsConsumer, type StepFunctionsConsumerOptions } from "./lib/stepfunctions/start";

/** The state machine settings from the function's environment. */
export function stepFunctionsFromEnv(env: NodeJS.ProcessEnv, client: SFNClient): StepFunctionsConsumerOptions {
  const workflowType = env.WORKFLOW_TYPE ?? "STANDARD";
  if (workflowType !== "STANDARD" && workflowType !== "EXPRESS")
    throw new Error(`WORKFLOW_TYPE must be STANDARD or EXPRESS, got ${JSON.stringify(workflowType)}.`);
  return { client, stateMachineArn: requiredEnv(env, "STATE_MACHINE_ARN", "the state machine the consumer starts"), workflowType };
}

let envHandler: KinesisConsumerHandler | undefined;

/** The Lambda entry, configured from `process.env` on its first invocation; the consumer owns retries. */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createStepFunctionsConsumer(stepFunctionsFromEnv(process.env, new SFNClient({ maxAttempts: 1 })));
  return envHandler(event, context);
};
