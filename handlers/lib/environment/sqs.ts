/** The `sqs` kind's variables (handlers/sqs.ts): `TARGET_QUEUE_URL` (required) and `FIFO` (fanout.ts). */
import { NAME_LIMITS } from "../../../semantics/name-limits";
import type { ConsumerKind } from "./consumer";
import { FIFO_VARIABLE, fifoEnvironment, fifoFromEnv } from "./fanout";
import { longestQueueUrl, requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const SQS_VARIABLES = { queueUrl: "TARGET_QUEUE_URL", fifo: FIFO_VARIABLE } as const;

/** The queue an `sqs` consumer sends to; `V` is the URL's type (a Pulumi Input in the program). */
export interface SqsSettings<V = string> {
  readonly queueUrl: V;
  readonly fifo: boolean;
}

export function sqsEnvironment<V>(settings: SqsSettings<V>): Variables<V> {
  return { [SQS_VARIABLES.queueUrl]: settings.queueUrl, ...fifoEnvironment(settings.fifo) };
}

/** The queue from the function's environment, with errors naming the variable. */
export function sqsFromEnv(env: EnvironmentSource): SqsSettings {
  return { queueUrl: requiredVariable(env, SQS_VARIABLES.queueUrl, "the queue the consumer sends to"), fifo: fifoFromEnv(env) };
}

export const sqsKind: ConsumerKind = {
  variables: Object.values(SQS_VARIABLES),
  longest: () => sqsEnvironment({ queueUrl: longestQueueUrl(NAME_LIMITS.sqsQueue.maxLength), fifo: true }),
};
