/**
 * The `stepfunctions` consumer end to end on the local stack: records put on the stream start executions on
 * the Step Functions stand-in (`GET /_local/executions`): STANDARD one a record, named from its key;
 * EXPRESS one a request with `{"records":[…]}`.
 */
import { expect } from "chai";
import { PutRecordCommand } from "@aws-sdk/client-kinesis";
import { validateStackConfig } from "../../config";
import { localKinesisClient } from "../../local/emulators";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";
import type { LocalExecution } from "../../local/step-functions";

const STACK = "sfn";
const EXPRESS_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-express";

async function executions(stack: RunningLocalStack, count: number): Promise<LocalExecution[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { executions: list } = (await (await fetch(`${stack.url}/_local/executions`)).json()) as { executions: LocalExecution[] };
    if (list.length >= count || Date.now() > deadline) return list;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("local stack: stepfunctions consumers", function () {
  this.timeout(90_000);
  let stack: RunningLocalStack;
  before(async () => {
    const config = validateStackConfig({
      consumers: {
        flow: { handler: "stepfunctions", definition: "./test/fixtures/stepfunctions/pass.asl.json", startingPosition: "TRIM_HORIZON" },
        quick: { handler: "stepfunctions", targetArn: EXPRESS_ARN, workflowType: "EXPRESS", startingPosition: "TRIM_HORIZON" },
      },
    });
    stack = await startLocalStack(config, {
      stack: STACK,
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: "sfn-test-token-00000001",
      log: () => undefined,
    });
  });
  after(async () => {
    if (stack) await stack.stop();
  });

  it("starts one named STANDARD execution a record and EXPRESS executions with every record", async () => {
    const kinesis = localKinesisClient(stack.status().kinesisEndpoint);
    for (let n = 0; n < 3; n++)
      await kinesis.send(
        new PutRecordCommand({ StreamName: stack.status().streamName, PartitionKey: `k${n}`, Data: Buffer.from(JSON.stringify({ n })) }),
      );
    kinesis.destroy();
    const deadline = Date.now() + 20_000;
    let list = await executions(stack, 4);
    const expressRecords = () =>
      list.filter((e) => e.workflowType === "EXPRESS").flatMap((e) => (e.input as { records: unknown[] }).records);
    while (expressRecords().length < 3 && Date.now() < deadline) list = await executions(stack, list.length + 1);
    const standard = list.filter((e) => e.workflowType === "STANDARD");
    expect(standard.map((e) => e.stateMachineArn)).to.deep.equal(
      Array(3).fill("arn:aws:states:us-east-1:000000000000:stateMachine:kinesis-ingest-sfn-flow"),
    );
    expect(standard.map((e) => e.input)).to.have.deep.members([{ n: 0 }, { n: 1 }, { n: 2 }]);
    for (const e of standard) expect(e.name).to.match(/^shardId-\d{12}_\d+_0$/);
    expect(expressRecords()).to.have.deep.members([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(list.filter((e) => e.workflowType === "EXPRESS").every((e) => e.stateMachineArn === EXPRESS_ARN)).to.equal(true);
  });
});
