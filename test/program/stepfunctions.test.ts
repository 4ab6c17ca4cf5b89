/**
 * The plan of the `stepfunctions` consumers: a `definition` becomes a state machine of the stack's name and
 * workflow type, with a role only Step Functions may assume; the function may start executions on exactly
 * that state machine (StartExecution for STANDARD, StartSyncExecution for EXPRESS) and reads its ARN and
 * type from its environment; a `targetArn` creates nothing and is granted as named.
 */
import { expect } from "chai";
import { named, ofType, runProgram, type RecordedResource } from "./harness";

type Statement = { Sid: string; Action: string[]; Resource: string[] };

function statementsOf(resources: readonly RecordedResource[], consumer: string): Statement[] {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`);
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

function variablesOf(resources: readonly RecordedResource[], consumer: string): Record<string, string> {
  const fn = named(resources, "aws:lambda/function:Function", `consumer-${consumer}-fn-function`);
  return (fn.inputs.environment as { variables: Record<string, string> }).variables;
}

const EXISTING = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";

describe("program: stepfunctions consumers", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await runProgram(
      {
        consumers: {
          flow: { handler: "stepfunctions", definition: "./test/fixtures/stepfunctions/pass.asl.json" },
          quick: { handler: "stepfunctions", targetArn: EXISTING, workflowType: "EXPRESS" },
        },
      },
      { stack: "dev" },
    );
  });

  it("creates the definition's state machine, STANDARD by default, with a role for states.amazonaws.com", () => {
    const machines = ofType(resources, "aws:sfn/stateMachine:StateMachine");
    expect(machines).to.have.length(1);
    const machine = machines[0]!;
    expect(machine.inputs).to.include({ name: "kinesis-ingest-dev-flow", type: "STANDARD" });
    expect(JSON.parse(machine.inputs.definition as string)).to.have.property("StartAt", "Take");
    const role = named(resources, "aws:iam/role:Role", "consumer-flow-state-machine-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "states.amazonaws.com" });
  });

  it("lets each function start executions on its own state machine only", () => {
    const flow = statementsOf(resources, "flow").find((s) => s.Sid === "StartExecutions");
    expect(flow?.Action).to.deep.equal(["states:StartExecution"]);
    expect(flow?.Resource).to.deep.equal(["arn:aws:states:eu-west-1:123456789012:stateMachine:kinesis-ingest-dev-flow"]);
    expect(statementsOf(resources, "quick").find((s) => s.Sid === "StartSyncExecutions")).to.deep.include({
      Action: ["states:StartSyncExecution"],
      Resource: [EXISTING],
    });
    const all = [...statementsOf(resources, "flow"), ...statementsOf(resources, "quick")].flatMap((s) => s.Action);
    expect(all.filter((a) => a.startsWith("states:"))).to.have.members(["states:StartExecution", "states:StartSyncExecution"]);
  });

  it("hands each function its state machine's ARN and workflow type", () => {
    expect(variablesOf(resources, "quick")).to.include({ STATE_MACHINE_ARN: EXISTING, WORKFLOW_TYPE: "EXPRESS" });
    expect(variablesOf(resources, "flow")).to.include({
      STATE_MACHINE_ARN: "arn:aws:states:eu-west-1:123456789012:stateMachine:kinesis-ingest-dev-flow",
      WORKFLOW_TYPE: "STANDARD",
    });
  });
});
