/**
 * Poison records in the consumer runtime (docs/poison-records.md; AWS Lambda developer guide, "Retain
 * discarded batch records for a Kinesis Data Streams event source in Lambda" for the on-failure record's
 * shape): a record that fails for good is written alone to the consumer's on-failure queue (fauxqs's SQS) and
 * acknowledged, and no other record waits behind it.
 */
import { expect } from "chai";
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createKinesisConsumer, MemoryIdempotencyStore, PermanentRecordError, type ConsumerOptions } from "../../handlers/lib/consumer";
import { localSqsClient, startSqs, type RunningEmulator } from "../../local/emulators";
import { CONTROL_MEMBER, type ReportedBatchResponse } from "../../semantics/consumer-report";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { POISON_ENVIRONMENT } from "../../semantics/poison-records";
import { eventOf, keyOf, sequenceNumber } from "../idempotency/support";

const CONTEXT = { awsRequestId: "req-1", invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:poison-test" } as never;

describe("consumer runtime: poison records (on-failure queue on fauxqs)", () => {
  const savedEnv = { ...process.env };
  let sqsEmulator: RunningEmulator;
  let sqs: SQSClient;
  let queueUrl: string;
  let queues = 0;

  before(async () => {
    sqsEmulator = await startSqs();
    sqs = localSqsClient(sqsEmulator.endpoint);
  });
  after(async () => {
    sqs.destroy();
    await sqsEmulator.stop();
  });
  beforeEach(async () => {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `on-failure-${++queues}` }))).QueueUrl!;
    Object.assign(process.env, {
      [POISON_ENVIRONMENT.queueUrl]: queueUrl,
      AWS_ENDPOINT_URL_SQS: sqsEmulator.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
  });
  afterEach(() => void (process.env = { ...savedEnv }));

  /** Everything in the queue, parsed. */
  const onFailureRecords = async (): Promise<KinesisOnFailureRecord[]> => {
    const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    return (answer.Messages ?? []).map((m) => JSON.parse(m.Body!) as KinesisOnFailureRecord);
  };

  /** A consumer delivering to `delivered`, refusing what `refuse` says (below, `kp0`: a record refused for good ahead of its key's later records). */
  const consumer = (refuse: (data: string) => Error | undefined, options: ConsumerOptions = {}) => {
    const delivered: string[] = [];
    const handler = createKinesisConsumer(
      async (record) => {
        const data = record.data.toString();
        const error = refuse(data);
        if (error) throw error;
        delivered.push(data);
      },
      { writeLine: () => undefined, idempotency: new MemoryIdempotencyStore(), ...options },
    );
    return { handler, delivered };
  };
  // One request: a refused record of key kp, nine of kq, then two more of kp (positions 1 to 12).
  const scenario = () =>
    eventOf([["kp", "kp0"], ...Array.from({ length: 9 }, (_, i) => ["kq", `kq${i}`] as const), ["kp", "kp1"], ["kp", "kp2"]]);

  it("isolate (the default): a PermanentRecordError record goes alone to the queue; every other record, of both keys, is delivered once", async () => {
    const { handler, delivered } = consumer((data) =>
      data === "kp0" ? new PermanentRecordError("HTTP 400 from the downstream") : undefined,
    );

    expect(await handler(scenario(), CONTEXT)).to.deep.equal({ batchItemFailures: [] });

    expect([...delivered].sort()).to.deep.equal(["kp1", "kp2", ...Array.from({ length: 9 }, (_, i) => `kq${i}`)].sort());
    const records = await onFailureRecords();
    expect(records).to.have.length(1);
    expect(records[0]!.requestContext).to.deep.equal({
      requestId: "req-1",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:poison-test",
      condition: "RecordFailedPermanently",
      approximateInvokeCount: 1,
    });
    expect(records[0]!.KinesisBatchInfo).to.deep.include({
      shardId: "shardId-000000000000",
      startSequenceNumber: sequenceNumber(1),
      endSequenceNumber: sequenceNumber(1),
      batchSize: 1,
      streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/idempotency-test",
    });
    expect(records[0]!.kinesisIngest).to.deep.equal({
      partitionKey: "kp",
      subSequenceNumber: 0,
      idempotencyKey: keyOf(1),
      reason: "PermanentRecordError: HTTP 400 from the downstream",
    });
  });

  it("a redelivery of the batch (after another record's transient failure) skips the isolated record: one pointer, not two", async () => {
    let failKq4 = true;
    const { handler } = consumer((data) => {
      if (data === "kp0") return new PermanentRecordError("refused");
      if (data === "kq4" && failKq4) return ((failKq4 = false), new Error("HTTP 503"));
      return undefined;
    });
    const event = scenario();
    expect(await handler(event, CONTEXT)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(6) }] });
    // Lambda redelivers from kq4: kp0 is not in it; then the whole batch again, as a replay would.
    expect(await handler({ Records: event.Records.slice(5) }, CONTEXT)).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(event, CONTEXT)).to.deep.equal({ batchItemFailures: [] });
    expect(await onFailureRecords()).to.have.length(1);
  });

  it("a record failing maxRecordAttempts times (counted in the store) is isolated on that attempt, with condition RecordAttemptsExhausted", async () => {
    const { handler, delivered } = consumer((data) => (data === "b1" ? new Error("HTTP 503") : undefined), { maxRecordAttempts: 3 });
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
      ["b", "b2"],
      ["c", "c3"],
    ]);
    const failedAtB1 = { batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] };
    const retry = { Records: event.Records.slice(1) };
    expect(await handler(event, CONTEXT)).to.deep.equal(failedAtB1);
    expect(await handler(retry, CONTEXT)).to.deep.equal(failedAtB1);
    expect(await onFailureRecords()).to.deep.equal([]);
    expect(await handler(retry, CONTEXT)).to.deep.equal({ batchItemFailures: [] });
    expect(delivered).to.deep.equal(["a0", "c3", "b2"]);
    const [record] = await onFailureRecords();
    expect(record!.requestContext).to.include({ condition: "RecordAttemptsExhausted", approximateInvokeCount: 3 });
    expect(record!.KinesisBatchInfo).to.include({
      startSequenceNumber: sequenceNumber(2),
      endSequenceNumber: sequenceNumber(2),
      batchSize: 1,
    });
  });

  it("block: the poison record fails and its key waits, but other keys' records are delivered and skipped on the redelivery", async () => {
    const { handler, delivered } = consumer((data) => (data === "kp0" ? new PermanentRecordError("refused") : undefined), {
      poisonRecords: "block",
    });
    const event = scenario();
    expect(await handler(event, CONTEXT)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });
    expect(delivered).to.deep.equal(Array.from({ length: 9 }, (_, i) => `kq${i}`));
    expect(await handler(event, CONTEXT)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });
    expect(delivered).to.have.length(9); // the redelivery skipped every kq record
    expect(await onFailureRecords()).to.deep.equal([]);
  });

  it("block is refused without an idempotency store, naming what it needs", () => {
    expect(() => createKinesisConsumer(async () => undefined, { idempotency: "none", poisonRecords: "block" })).to.throw(
      RangeError,
      /poisonRecords "block" needs an idempotency store \(memory or dynamodb\)/,
    );
  });

  it("when the on-failure record cannot be written, the poison record fails as any other: nothing is lost", async () => {
    process.env[POISON_ENVIRONMENT.queueUrl] = queueUrl + "-missing";
    const { handler, delivered } = consumer((data) => (data === "kp0" ? new PermanentRecordError("refused") : undefined));
    expect(await handler(scenario(), CONTEXT)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });
    expect(delivered).to.not.include("kp1");
  });

  it("answers a tool's request with one report per record, and runs completed records again when asked to reprocess", async () => {
    const { handler, delivered } = consumer((data) => (data === "b1" ? new PermanentRecordError("refused") : undefined));
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
      ["a", "a2"],
    ]);
    expect(await handler(event, CONTEXT)).to.deep.equal({ batchItemFailures: [] });
    const reported = (await handler(
      { ...event, [CONTROL_MEMBER]: { report: true } } as never,
      CONTEXT,
    )) as unknown as ReportedBatchResponse;
    expect(reported.kinesisIngest.records.map((r) => [r.sequenceNumber, r.outcome])).to.deep.equal([
      [sequenceNumber(1), "skipped"],
      [sequenceNumber(2), "skipped"],
      [sequenceNumber(3), "skipped"],
    ]);
    delivered.length = 0;
    const again = (await handler(
      { ...event, [CONTROL_MEMBER]: { report: true, reprocess: [keyOf(1)] } } as never,
      CONTEXT,
    )) as unknown as ReportedBatchResponse;
    expect(again.kinesisIngest.records.map((r) => r.outcome)).to.deep.equal(["delivered", "skipped", "skipped"]);
    const all = (await handler(
      { ...event, [CONTROL_MEMBER]: { report: true, reprocess: true } } as never,
      CONTEXT,
    )) as unknown as ReportedBatchResponse;
    expect(all.kinesisIngest.records.map((r) => [r.outcome, r.reason])).to.deep.equal([
      ["delivered", undefined],
      ["isolated", "PermanentRecordError: refused"],
      ["delivered", undefined],
    ]);
    expect(all.kinesisIngest.records[1]!.onFailureMessageId).to.be.a("string").and.not.equal("");
    expect(delivered).to.deep.equal(["a0", "a0", "a2"]);
  });

  it("refuses a malformed tool request in the event", async () => {
    const { handler } = consumer(() => undefined);
    const bad = { ...eventOf([["a", "a0"]]), [CONTROL_MEMBER]: { reprocess: "all" } } as never;
    let thrown: unknown;
    await handler(bad, CONTEXT).catch((error: unknown) => (thrown = error));
    expect((thrown as Error).message).to.equal(
      'The event\'s kinesisIngest must be {"report"?: boolean, "reprocess"?: true | [idempotency keys]}.',
    );
  });
});
