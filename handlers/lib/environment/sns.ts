/** The `sns` kind's variables (handlers/sns.ts): `TARGET_TOPIC_ARN` (required) and `FIFO` (fanout.ts). */
import { NAME_LIMITS } from "../../../semantics/name-limits";
import type { ConsumerKind } from "./consumer";
import { FIFO_VARIABLE, fifoEnvironment, fifoFromEnv } from "./fanout";
import { longestArn, requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const SNS_VARIABLES = { topicArn: "TARGET_TOPIC_ARN", fifo: FIFO_VARIABLE } as const;

/** The topic an `sns` consumer publishes to; `V` is the ARN's type (a Pulumi Input in the program). */
export interface SnsSettings<V = string> {
  readonly topicArn: V;
  readonly fifo: boolean;
}

export function snsEnvironment<V>(settings: SnsSettings<V>): Variables<V> {
  return { [SNS_VARIABLES.topicArn]: settings.topicArn, ...fifoEnvironment(settings.fifo) };
}

/** The topic from the function's environment, with errors naming the variable. */
export function snsFromEnv(env: EnvironmentSource): SnsSettings {
  return { topicArn: requiredVariable(env, SNS_VARIABLES.topicArn, "the topic the consumer publishes to"), fifo: fifoFromEnv(env) };
}

export const snsKind: ConsumerKind = {
  variables: Object.values(SNS_VARIABLES),
  longest: () => snsEnvironment({ topicArn: longestArn("sns", NAME_LIMITS.snsTopic.maxLength), fifo: true }),
};
