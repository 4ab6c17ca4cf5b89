/**
 * The state machine of a `stepfunctions` consumer: the one its `definition` file describes — created with a
 * role of its own that Step Functions assumes (it holds no grant: what the definition's tasks call is the
 * definition owner's to add) — or the existing one `targetArn` names. It hands the consumer's function the
 * environment it reads and the one statement it needs: StartExecution (STANDARD) or StartSyncExecution
 * (EXPRESS) on exactly that state machine's ARN (docs/aws-semantics.md#step-functions-executions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StepFunctionsConfig } from "../config/types";
import { stepFunctionsEnvironment } from "../handlers/lib/environment/stepfunctions";
import { allow, type PolicyStatement } from "./iam";
import { fixedName } from "./lifecycle";

/** A `stepfunctions` consumer's validated settings and the name a created state machine gets. */
export interface StateMachineTargetArgs {
  readonly stepFunctions: StepFunctionsConfig;
  /** The physical name of a state machine the program creates (config/names.ts `stateMachineName`). */
  readonly stateMachineName: string;
}

/** Lets Step Functions (and nothing else) assume the state machine's role. */
const STATES_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export class StateMachineTarget extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  /** Variables the function reads its state machine from. */
  public readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The function's one grant: starting executions of this state machine. */
  public readonly statements: readonly PolicyStatement[];

  constructor(name: string, args: StateMachineTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:StateMachineTarget", name, {}, opts);
    const { stepFunctions } = args;
    if (stepFunctions.definition !== undefined) {
      const role = new aws.iam.Role(
        `${name}-role`,
        { assumeRolePolicy: STATES_ASSUME_ROLE_POLICY, description: `Role of state machine ${args.stateMachineName}` },
        { parent: this },
      );
      const machine = new aws.sfn.StateMachine(
        name,
        {
          name: args.stateMachineName,
          type: stepFunctions.workflowType,
          definition: stepFunctions.definitionJson,
          roleArn: role.arn,
        },
        // Executions live in the service, not in the state machine resource: nothing is lost by replacing it.
        fixedName({ parent: this }),
      );
      this.arn = machine.arn;
    } else {
      this.arn = pulumi.output(stepFunctions.targetArn);
    }
    this.environment = stepFunctionsEnvironment({ stateMachineArn: this.arn, workflowType: stepFunctions.workflowType });
    this.statements =
      stepFunctions.workflowType === "EXPRESS"
        ? [allow("StartSyncExecutions", ["states:StartSyncExecution"], [this.arn])]
        : [allow("StartExecutions", ["states:StartExecution"], [this.arn])];
    this.registerOutputs({ arn: this.arn });
  }
}
