/**
 * The `stepfunctions` consumer against the local Step Functions stand-in: STANDARD starts one execution a
 * record named from its idempotency key, and a redelivered batch starts none again (ExecutionAlreadyExists
 * counts as done); EXPRESS starts one synchronous execution a request, maps `{"failed":[…]}` to per-record
 * failures (`retriable: false` isolates the record) and fails the request on a FAILED execution; a
 * throttled call is retried; an oversize record is poison.
 */
import { expect } from "chai";
import type { KinesisStreamEvent } from "aws-lambda";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { createStepFunctionsConsumer } from "../../handlers/lib/stepfunctions/start";
import { localSfnClient, startStepFunctions, type LocalStepFunctions } from "../../local/step-functions";
import { executionName } from "../../semantics/step-functions";

const SHARD = "shardId-000000000000";

/** A Lambda Kinesis event of `data` records on one shard (sequence numbers 1001, 1002, …). */
function eventOf(data: readonly string[], key = (i: number) => `k${i % 3}`): KinesisStreamEvent {
  return {
    Records: data.map((text, i) => ({
      eventID: `${SHARD}:${1001 + i}`,
      eventName: "aws:kinesis:record",
      eventVersion: "1.0",
      eventSource: "aws:kinesis",
      awsRegion: "us-east-1",
      invokeIdentityArn: "arn:aws:iam::000000000000:role/test",
      eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/test",
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: key(i),
        sequenceNumber: String(1001 + i),
        data: Buffer.from(text).toString("base64"),
        approximateArrivalTimestamp: 1_700_000_000 + i,
      },
    })),
  };
}

const quiet = { idempotency: "none", writeLine: () => undefined } as const;
const instant = { sleep: async () => undefined };

describe("stepfunctions consumer", () => {
  let sfn: LocalStepFunctions;
  let client: SFNClient;
  before(async () => {
    sfn = await startStepFunctions();
    client = localSfnClient(sfn.endpoint);
  });
  after(async () => {
    client.destroy();
    await sfn.stop();
  });

  it("STANDARD: one execution a record, named from its key; a redelivery starts none", async () => {
    const arn = sfn.createStateMachine("standard-a", "STANDARD");
    const handler = createStepFunctionsConsumer({ client, stateMachineArn: arn, workflowType: "STANDARD", consumer: quiet });
    const event = eventOf(['{"n":1}', "not json", '{"n":3}']);
    expect(await handler(event, undefined)).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(event, undefined)).to.deep.equal({ batchItemFailures: [] });
    const runs = sfn.executions().filter((e) => e.stateMachineArn === arn);
    expect(runs.map((e) => e.name)).to.deep.equal([1001, 1002, 1003].map((s) => executionName(`${SHARD}:${s}:0`)));
    expect(runs[0]?.input).to.deep.equal({ n: 1 });
    expect(runs[1]?.input).to.include({ dataBase64: Buffer.from("not json").toString("base64"), partitionKey: "k1" });
  });

  it("EXPRESS: one execution a request; the output's failed list fails those records", async () => {
    const arn = sfn.createStateMachine("express-a", "EXPRESS");
    sfn.respond(() => ({ status: "SUCCEEDED", output: JSON.stringify({ failed: [{ index: 1, error: "nope" }] }) }));
    const handler = createStepFunctionsConsumer({ client, stateMachineArn: arn, workflowType: "EXPRESS", consumer: quiet });
    const result = await handler(
      eventOf(['{"n":1}', '{"n":2}', '{"n":3}'], () => "same"),
      undefined,
    );
    sfn.respond(undefined);
    const runs = sfn.executions().filter((e) => e.stateMachineArn === arn);
    expect(runs).to.have.length(1);
    expect(runs[0]?.input).to.deep.equal({ records: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    // The execution took records 0 and 2: only record 1 is reported.
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "1002" }] });
  });

  it("EXPRESS: a FAILED execution fails every record of the request", async () => {
    const arn = sfn.createStateMachine("express-b", "EXPRESS");
    sfn.respond(() => ({ status: "FAILED", error: "States.TaskFailed", cause: "boom" }));
    const handler = createStepFunctionsConsumer({ client, stateMachineArn: arn, workflowType: "EXPRESS", consumer: quiet });
    const result = await handler(
      eventOf(['{"n":1}', '{"n":2}'], () => "same"),
      undefined,
    );
    sfn.respond(undefined);
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "1001" }, { itemIdentifier: "1002" }] });
  });

  it("retries a throttled StartExecution", async () => {
    let calls = 0;
    const throttled = {
      send: async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        return {};
      },
    } as unknown as SFNClient;
    const handler = createStepFunctionsConsumer({
      client: throttled,
      stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:x",
      workflowType: "STANDARD",
      retry: instant,
      consumer: quiet,
    });
    expect(await handler(eventOf(['{"n":1}']), undefined)).to.deep.equal({ batchItemFailures: [] });
    expect(calls).to.equal(2);
  });

  it("fails, without retrying, a state machine that does not exist (the stack's fault, not poison)", async () => {
    const handler = createStepFunctionsConsumer({
      client,
      stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:missing",
      workflowType: "STANDARD",
      retry: instant,
      consumer: quiet,
    });
    expect(await handler(eventOf(['{"n":1}']), undefined)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "1001" }] });
  });

  it("names an execution within the API's rules, hashing a key that does not fit", () => {
    expect(executionName(`${SHARD}:49590338271490256608559692538361571095921575989136588898:0`)).to.equal(
      `${SHARD}_49590338271490256608559692538361571095921575989136588898_0`,
    );
    const long = executionName(`${SHARD}:${"9".repeat(100)}:3`);
    expect(long).to.match(/^sha256-[0-9a-f]{64}$/);
  });
});
