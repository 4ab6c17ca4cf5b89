/**
 * Poison records on the local stack, wired as deployed from the validated config: a user's module sees its
 * own on-failure queue's URL on fauxqs and the poison settings as the program's variables; a built-in
 * consumer's runtime gets the same values as options and writes an isolated record to that same queue.
 */
import { expect } from "chai";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { validateStackConfig } from "../../config";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";
import { eventOf, sequenceNumber } from "../idempotency/support";

const TOKEN = "poison-records-test-token-00001";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

describe("local stack: poison records", function () {
  this.timeout(60_000);
  let stack: RunningLocalStack;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  before(async () => {
    const config = validateStackConfig({
      consumers: {
        forwarder: { handler: "forwarder" },
        echo: { handler: "./test/fixtures/consumers/echo-environment.ts", poisonRecords: "block", maxRecordAttempts: 2 },
        plain: { handler: "./test/fixtures/consumers/echo-environment.ts" },
      },
    });
    stack = await startLocalStack(config, {
      stack: "poison",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: TOKEN,
      sinkRejectField: "poison",
      log: () => undefined,
    });
    lambda = new LambdaClient({ endpoint: stack.url, region: "us-east-1", credentials: CREDENTIALS });
    sqs = new SQSClient({ endpoint: stack.status().sqsEndpoint, region: "us-east-1", credentials: CREDENTIALS });
  });
  after(async () => {
    lambda?.destroy();
    sqs?.destroy();
    if (stack) await stack.stop();
  });

  async function invoke(name: string, event: unknown): Promise<Record<string, unknown>> {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
    expect(answer.FunctionError).to.equal(undefined);
    return JSON.parse(Buffer.from(answer.Payload!).toString()) as Record<string, unknown>;
  }

  it("a user's module gets its own queue's URL, and the mode and attempts it chose", async () => {
    const { queues } = stack.status();
    const echo = (await invoke("echo", { Records: [] })).environment as Record<string, string>;
    expect(echo).to.deep.include({ ON_FAILURE_QUEUE_URL: queues.echo, POISON_RECORDS: "block", MAX_RECORD_ATTEMPTS: "2" });
    const plain = (await invoke("plain", { Records: [] })).environment as Record<string, string>;
    expect(plain.ON_FAILURE_QUEUE_URL).to.equal(queues.plain);
    expect(plain).to.not.have.any.keys("POISON_RECORDS", "MAX_RECORD_ATTEMPTS");
    expect(queues.echo).to.not.equal(queues.plain);
  });

  it("the built-in forwarder isolates a record the downstream refuses to its own queue on fauxqs, and the batch goes on", async () => {
    const answer = await invoke(
      "forwarder",
      eventOf([
        ["kp", '{"poison":true}'],
        ["kq", '{"n":1}'],
      ]),
    );
    expect(answer.batchItemFailures).to.deep.equal([]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.status().queues.forwarder, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages).to.have.length(1);
    const info = (JSON.parse(Messages[0]!.Body!) as { KinesisBatchInfo: Record<string, unknown> }).KinesisBatchInfo;
    expect([info.startSequenceNumber, info.endSequenceNumber, info.batchSize]).to.deep.equal([sequenceNumber(1), sequenceNumber(1), 1]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: stack.status().queues.forwarder, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    expect(stack.status().sink).to.deep.include({ accepted: 1, rejected: 1 });
  });
});
