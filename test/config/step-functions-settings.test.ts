/**
 * The `stepfunctions` consumer's keys: exactly one of `definition` (an ASL file inside the project with
 * `StartAt` naming one of its `States`) and `targetArn` (a state machine ARN in the stack's partition and
 * Region), `workflowType` STANDARD (default) or EXPRESS, no key on another kind, no tumbling window.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const DEFINITION = "./test/fixtures/stepfunctions/pass.asl.json";
const ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";
const one = (settings: Record<string, unknown>) => problemsOf({ consumers: { flow: { handler: "stepfunctions", ...settings } } });

describe("config: stepfunctions consumers", () => {
  it("reads a definition, STANDARD by default, keeping the file's text", () => {
    const config = validateStackConfig({ consumers: { flow: { handler: "stepfunctions", definition: DEFINITION } } });
    const settings = config.consumers.flow?.stepFunctions;
    expect(settings).to.deep.include({ definition: DEFINITION, workflowType: "STANDARD" });
    expect(JSON.parse(settings?.definitionJson ?? "{}")).to.have.property("StartAt", "Take");
  });

  it("reads an existing state machine with EXPRESS", () => {
    const config = validateStackConfig({ consumers: { flow: { handler: "stepfunctions", targetArn: ARN, workflowType: "EXPRESS" } } });
    expect(config.consumers.flow?.stepFunctions).to.deep.equal({ targetArn: ARN, workflowType: "EXPRESS" });
  });

  it("needs exactly one of definition and targetArn", () => {
    expect(one({})).to.have.length(1);
    expect(one({}).join()).to.include("exactly one of `definition`");
    expect(one({ definition: DEFINITION, targetArn: ARN }).join()).to.include("exactly one of `definition`");
  });

  it("refuses a definition outside the project, missing, not JSON or without StartAt in States", () => {
    expect(one({ definition: "../outside.asl.json" }).join()).to.include("must be a path to an Amazon States Language file");
    expect(one({ definition: "./test/../../outside.asl.json" }).join()).to.include("must stay inside the project");
    expect(one({ definition: "./test/fixtures/stepfunctions/missing.asl.json" }).join()).to.include("does not exist");
    expect(one({ definition: "./package.json" }).join()).to.include("has no `StartAt`");
  });

  it("refuses a wrong ARN, another partition and an unknown workflow type", () => {
    expect(one({ targetArn: "arn:aws:sqs:eu-west-1:123456789012:orders" }).join()).to.include("must be a state machine ARN");
    expect(one({ targetArn: "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:orders" }).join()).to.include("partition aws-cn");
    expect(one({ targetArn: ARN, workflowType: "FAST" }).join()).to.include("one of STANDARD, EXPRESS");
  });

  it("refuses a state machine in another Region than the stack's", () => {
    let problems: readonly string[] = [];
    try {
      validateStackConfig({ consumers: { flow: { handler: "stepfunctions", targetArn: ARN } } }, "test", { region: "us-east-1" });
    } catch (error) {
      problems = (error as { problems: readonly string[] }).problems;
    }
    expect(problems.join()).to.include("is in Region eu-west-1");
  });

  it("refuses its keys on other kinds, and a tumbling window", () => {
    expect(problemsOf({ consumers: { f: { handler: "forwarder", definition: DEFINITION } } }).join()).to.include(
      "applies only to handler stepfunctions",
    );
    expect(one({ definition: DEFINITION, tumblingWindowSeconds: 30 }).join()).to.include("must be 0 for handler stepfunctions");
  });
});
