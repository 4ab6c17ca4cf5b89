/**
 * redrive leaves the queue holding exactly what cannot be delivered, one message a record: every record of a
 * range the consumer takes is delivered, each record that still fails becomes a message of its own, a
 * record the consumer isolated is redriven with exactly that record reprocessed, and no message written
 * during a run is redriven in it. Against kinesalite and fauxqs, with a consumer answering as the runtime does.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_ACCOUNT, localKinesisClient, localSqsClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { main as redrive } from "../../cli/redrive";
import { oneRecordOnFailure, type KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { PERMANENT_CONDITION, REDRIVE_CONDITION } from "../../semantics/poison-records";
import { runCli } from "./cli-harness";
import { fakeConsumer, type FakeRecord } from "./fake-consumer";
import { createStream, lambdaOnFailureRecord, putKeyed, startTestFunctions, type TestFunctionServer, type WrittenRecord } from "./support";

const STREAM_ARN = `arn:aws:kinesis:us-east-1:${LOCAL_ACCOUNT}:stream/narrow`;

describe("redrive leaves the queue holding exactly what cannot be delivered (kinesalite + fauxqs)", function () {
  let kinesis: RunningEmulator;
  let sqsEmulator: RunningEmulator;
  let client: KinesisClient;
  let sqs: SQSClient;
  let functions: TestFunctionServer;
  /** a0 b0 a1 b1 bad0 a2 b2 a3 b3 a4 b4, one shard. */
  let written: WrittenRecord[];
  let refusing = true;
  let isolationQueue: string;
  const consumer = fakeConsumer((record) =>
    record.partitionKey === "bad" && refusing ? { kind: "fail", reason: "Error: refused" } : { kind: "deliver" },
  );
  const isolating = fakeConsumer(
    (record) => (record.partitionKey === "bad" ? { kind: "isolate", reason: "PermanentRecordError: HTTP 400" } : { kind: "deliver" }),
    async (record, reason) =>
      (await sqs.send(new SendMessageCommand({ QueueUrl: isolationQueue, MessageBody: isolationBody(record, reason) }))).MessageId!,
  );

  const recordOf = (record: FakeRecord) => written.find((w) => w.sequenceNumber === record.sequenceNumber)!;
  /** What the runtime writes for a record it isolates. */
  const isolationBody = (record: FakeRecord, reason: string) =>
    JSON.stringify(
      oneRecordOnFailure({
        functionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:consumer`,
        requestId: "r-9",
        condition: PERMANENT_CONDITION,
        approximateInvokeCount: 1,
        eventSourceArn: STREAM_ARN,
        shardId: recordOf(record).shardId,
        sequenceNumber: record.sequenceNumber,
        approximateArrivalTimestamp: Date.now() / 1000,
        partitionKey: record.partitionKey,
        subSequenceNumber: 0,
        reason,
        nowMs: Date.now(),
      }),
    );

  before(async () => {
    [kinesis, sqsEmulator] = await Promise.all([startKinesalite(), startSqs()]);
    client = localKinesisClient(kinesis.endpoint);
    sqs = localSqsClient(sqsEmulator.endpoint);
    await createStream(client, "narrow", 1);
    written = [
      ...(await putKeyed(client, "narrow", ["a", "b"], 2)),
      ...(await putKeyed(client, "narrow", ["bad"], 1)),
      ...(await putKeyed(client, "narrow", ["a", "b"], 3, 2)),
    ];
    functions = await startTestFunctions((name, event) =>
      name === "consumer" ? consumer.answer(event) : name === "isolating" ? isolating.answer(event) : undefined,
    );
    isolationQueue = await queue("isolating-dlq");
  });

  after(async () => {
    client.destroy();
    sqs.destroy();
    await functions.stop();
    await Promise.all([kinesis.stop(), sqsEmulator.stop()]);
  });

  const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const send = (url: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  /** Every visible message, left visible. */
  const messagesIn = async (url: string) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 })))
      .Messages ?? [];
  const wholeRange = () =>
    lambdaOnFailureRecord(STREAM_ARN, written[0]!.shardId, written[0]!.sequenceNumber, written.at(-1)!.sequenceNumber, written.length);
  const run = (url: string, fn: string, ...more: string[]) =>
    runCli(redrive, [
      ...["--queue", url, "--to-function", fn, "--endpoint", kinesis.endpoint, "--sqs-endpoint", sqsEmulator.endpoint],
      ...["--lambda-endpoint", functions.endpoint, "--wait-seconds", "0", ...more],
    ]);
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown> & { summary?: Record<string, unknown> });

  it("delivers every other record of a range, leaves one message pointing at the record that still fails, and deletes the original", async () => {
    const url = await queue("narrow-dlq");
    const bad = written.find((w) => w.key === "bad")!;
    const original = (await send(url, wholeRange())).MessageId!;
    // Batches of 3: the refused record's batch fails, and the two batches after it are delivered all the same.
    const first = await run(url, "consumer", "--batch-size", "3", "--max-retries", "2");
    expect(first.code, first.stderr).to.equal(3);
    const [record, message, summary] = lines(first.stdout);
    expect(record).to.deep.equal({
      record: {
        messageId: original,
        shardId: bad.shardId,
        sequenceNumber: bad.sequenceNumber,
        subSequenceNumber: 0,
        partitionKey: "bad",
        outcome: "failed",
        reason: "Error: refused",
      },
    });
    expect(message).to.deep.include({ messageId: original, status: "narrowed", deleted: true, delivered: 10, failed: 1, skipped: 0 });
    expect(summary!.summary, "the message it wrote is not redriven in the same run").to.include({ messages: 1, narrowed: 1, deleted: 1 });
    expect(consumer.deliveries.map((d) => d.sequenceNumber).sort()).to.deep.equal(
      written
        .filter((w) => w.key !== "bad")
        .map((w) => w.sequenceNumber)
        .sort(),
    );

    const left = await messagesIn(url);
    expect(left.map((m) => m.MessageId)).to.deep.equal(message!.newMessageIds);
    const body = JSON.parse(left[0]!.Body!) as KinesisOnFailureRecord;
    expect(body.KinesisBatchInfo).to.include({
      startSequenceNumber: bad.sequenceNumber,
      endSequenceNumber: bad.sequenceNumber,
      batchSize: 1,
    });
    expect(body.requestContext).to.deep.equal({
      requestId: "r-1",
      functionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:consumer`,
      condition: REDRIVE_CONDITION,
      approximateInvokeCount: 3 + 3,
    });
    expect(body.kinesisIngest).to.deep.equal({
      partitionKey: "bad",
      subSequenceNumber: 0,
      idempotencyKey: `${bad.shardId}:${bad.sequenceNumber}:0`,
      reason: "Error: refused",
    });

    // Once the consumer takes it, the next redrive delivers it and empties the queue.
    refusing = false;
    const second = await run(url, "consumer");
    expect(second.code, second.stderr).to.equal(0);
    expect(lines(second.stdout)[0]).to.include({ status: "redriven", deleted: true, delivered: 1 });
    expect(consumer.deliveries.filter((d) => d.partitionKey === "bad")).to.have.length(1);
    expect(await messagesIn(url)).to.deep.equal([]);
  });

  it("redrives a message naming one record the consumer isolated with exactly that record reprocessed", async () => {
    const url = await queue("isolated-dlq");
    const [a0, b0] = [written[0]!, written[1]!];
    const a0Record = consumer.deliveries.find((d) => d.sequenceNumber === a0.sequenceNumber)!;
    // The runtime remembers an isolated record as completed: a0 is in the consumer's store already.
    await send(url, isolationBody(a0Record, "PermanentRecordError: HTTP 400"));
    const result = await run(url, "consumer");
    expect(result.code, result.stderr).to.equal(0);
    expect(lines(result.stdout)[0]).to.include({ status: "redriven", deleted: true, delivered: 1, skipped: 0 });
    expect(consumer.controls.at(-1)).to.deep.equal({ report: true, reprocess: [a0Record.idempotencyKey] });
    expect(await messagesIn(url)).to.deep.equal([]);

    // A range of Lambda's asks for nothing to be reprocessed: what the consumer completed is skipped, and said so.
    await send(url, lambdaOnFailureRecord(STREAM_ARN, a0.shardId, a0.sequenceNumber, b0.sequenceNumber, 2));
    const range = await run(url, "consumer");
    expect(range.code, range.stderr).to.equal(0);
    expect(consumer.controls.at(-1)).to.deep.equal({ report: true });
    const outcome = lines(range.stdout);
    expect(outcome.filter((line) => "record" in line).map((line) => (line.record as { outcome: string }).outcome)).to.deep.equal([
      "skipped",
      "skipped",
    ]);
    expect(outcome.find((line) => "status" in line)).to.include({ status: "redriven", delivered: 0, skipped: 2 });
  });

  it("keeps the message the consumer wrote for a record it isolated during the redrive, and does not redrive it in the same run", async () => {
    await send(isolationQueue, wholeRange());
    const result = await run(isolationQueue, "isolating");
    expect(result.code, "the queue holds a record of this run").to.equal(3);
    const message = lines(result.stdout).find((line) => "status" in line)!;
    expect(message).to.deep.include({ status: "redriven", deleted: true, delivered: 10, isolated: 1, failed: 0 });
    expect(lines(result.stdout).at(-1)!.summary).to.include({ messages: 1, newMessages: 1 });
    const left = await messagesIn(isolationQueue);
    expect(left.map((m) => m.MessageId)).to.deep.equal(message.newMessageIds);
    expect(isolating.controls.every((control) => control?.reprocess === undefined)).to.equal(true);
  });
});
