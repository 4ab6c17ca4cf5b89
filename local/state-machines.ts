/**
 * The `stepfunctions` consumers' state machines inside the local stack, on the Step Functions stand-in
 * (`local/step-functions.ts`), named as the program names them; an existing `targetArn` is stood in for by a
 * local state machine of that ARN. The stand-in runs no definition: it records executions.
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import { stateMachineName } from "../config/names";
import type { ConsumerConfig } from "../config/types";
import { localSfnClient, startStepFunctions, type LocalExecution } from "./step-functions";

/** The stand-in as the stack uses it. */
export interface LocalStateMachines {
  readonly endpoint: string;
  readonly client: SFNClient;
  /** Each `stepfunctions` consumer's state machine ARN, by consumer name. */
  readonly arns: ReadonlyMap<string, string>;
  executions(): readonly LocalExecution[];
}

/**
 * Starts the stand-in when a consumer is of kind `stepfunctions` (undefined otherwise, so other stacks start
 * as before) and registers its stop in `stoppers`.
 */
export async function createStateMachines(
  stack: string,
  consumers: readonly ConsumerConfig[],
  stoppers: Array<() => Promise<void>>,
): Promise<LocalStateMachines | undefined> {
  const users = consumers.filter((c) => c.stepFunctions !== undefined);
  if (users.length === 0) return undefined;
  const standIn = await startStepFunctions();
  const client = localSfnClient(standIn.endpoint);
  stoppers.push(async () => (client.destroy(), await standIn.stop()));
  const arns = new Map<string, string>();
  for (const c of users) {
    const settings = c.stepFunctions!;
    arns.set(c.name, standIn.createStateMachine(settings.targetArn ?? stateMachineName(stack, c.name), settings.workflowType));
  }
  return { endpoint: standIn.endpoint, client, arns, executions: () => standIn.executions() };
}
