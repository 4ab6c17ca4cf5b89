/**
 * The `stepfunctions` kind's variables (handlers/stepfunctions.ts): `STATE_MACHINE_ARN` (required) and
 * `WORKFLOW_TYPE` (`STANDARD`, the default, or `EXPRESS`).
 */
import { NAME_LIMITS } from "../../../semantics/name-limits";
import type { ConsumerKind } from "./consumer";
import { longestArn, requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const STEP_FUNCTIONS_VARIABLES = { stateMachineArn: "STATE_MACHINE_ARN", workflowType: "WORKFLOW_TYPE" } as const;

/** The state machine a `stepfunctions` consumer starts; `V` is the ARN's type (a Pulumi Input in the program). */
export interface StepFunctionsSettings<V = string> {
  readonly stateMachineArn: V;
  readonly workflowType: "STANDARD" | "EXPRESS";
}

export function stepFunctionsEnvironment<V>(settings: StepFunctionsSettings<V>): Variables<V> {
  const v = STEP_FUNCTIONS_VARIABLES;
  return { [v.stateMachineArn]: settings.stateMachineArn, [v.workflowType]: settings.workflowType };
}

/** The state machine from the function's environment, with errors naming the variable. */
export function stepFunctionsFromEnv(env: EnvironmentSource): StepFunctionsSettings {
  const v = STEP_FUNCTIONS_VARIABLES;
  const workflowType = env[v.workflowType] ?? "STANDARD";
  if (workflowType !== "STANDARD" && workflowType !== "EXPRESS")
    throw new Error(`${v.workflowType} must be STANDARD or EXPRESS, got ${JSON.stringify(workflowType)}.`);
  return { stateMachineArn: requiredVariable(env, v.stateMachineArn, "the state machine the consumer starts"), workflowType };
}

export const stepFunctionsKind: ConsumerKind = {
  variables: Object.values(STEP_FUNCTIONS_VARIABLES),
  longest: () =>
    stepFunctionsEnvironment({
      stateMachineArn: longestArn("states", "stateMachine:".length + NAME_LIMITS.stateMachine.maxLength),
      workflowType: "STANDARD",
    }),
};
