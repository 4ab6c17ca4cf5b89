/**
 * The fan-out consumers against the emulators: SQS and SNS on fauxqs (SNS read back through a subscribed
 * queue), EventBridge through the local PutEvents stand-in. Every record arrives exactly once with the
 * documented shape (SQS SendMessageBatch and message attributes, SNS PublishBatch, EventBridge PutEvents
 * pages), FIFO keeps per-key order and deduplicates by idempotency key, a record over the API's limit fails
 * naming the limit, and a missing queue or bus fails the records.
 */
import { expect } from "chai";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createEventBridgeHandler } from "../../handlers/eventbridge";
import { createSnsHandler } from "../../handlers/sns";
import { createSqsHandler } from "../../handlers/sqs";
import { localEventBridgeClient, localSnsClient, localSqsClient, startSqs, type RunningEmulator } from "../../local/emulators";
import { startEventBus, type LocalEventBus } from "../../local/event-bus";
import { KinesisEventSource, sequenceNumbers, type PlainEntry } from "./consumer-fixtures";

/** Every message of a queue, read (and deleted, so a FIFO group's next message is served) until it is empty. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 300 }),
    );
    if (!Messages || Messages.length === 0) return messages;
    messages.push(...Messages);
    const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
}

const attributesOf = (m: Message): Record<string, string> =>
  Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]));

/** Runtime options without log output. */
const quiet = { idempotency: "none", writeLine: () => undefined } as const;

function logLines() {
  const lines: Record<string, unknown>[] = [];
  return { lines, writeLine: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe("fan-out consumers on the emulators", () => {
  let source: KinesisEventSource;
  let fauxqs: RunningEmulator;
  let sqs: SQSClient;
  let sns: SNSClient;
  let bus: LocalEventBus;
  let events: EventBridgeClient;
  const entries: PlainEntry[] = [
    ...Array.from({ length: 23 }, (_, i) => ({ partitionKey: `k${i % 4}`, data: JSON.stringify({ n: i }) })),
    { partitionKey: "bin", data: Buffer.from([0xff, 0x00, 0xfe]) },
    { partitionKey: "ctl", data: "bell\u0007" },
  ];

  before(async () => {
    [source, fauxqs, bus] = await Promise.all([KinesisEventSource.start(), startSqs(), startEventBus()]);
    sqs = localSqsClient(fauxqs.endpoint);
    sns = localSnsClient(fauxqs.endpoint);
    events = localEventBridgeClient(bus.endpoint);
  });
  after(async () => {
    sqs.destroy();
    sns.destroy();
    events.destroy();
    await Promise.all([source.stop(), fauxqs.stop(), bus.stop()]);
  });

  const queue = async (name: string, fifo = false): Promise<string> =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : {} }))).QueueUrl!;

  it("sqs: every record arrives exactly once, text as text, other bytes as base64 with dataEncoding", async () => {
    const queueUrl = await queue("fanout-plain");
    const event = await source.eventOf(entries);
    const log = logLines();
    const handler = createSqsHandler(
      { client: sqs, queueUrl, fifo: false },
      { consumer: { idempotency: "none", writeLine: log.writeLine } },
    );
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const messages = await drain(sqs, queueUrl);
    expect(messages).to.have.length(25);
    const bySeq = new Map(messages.map((m) => [attributesOf(m).sequenceNumber, m]));
    expect([...bySeq.keys()].sort()).to.deep.equal([...sequenceNumbers(event)].sort());
    const first = bySeq.get(event.Records[0]!.kinesis.sequenceNumber)!;
    expect(first.Body).to.equal('{"n":0}');
    expect(attributesOf(first)).to.deep.equal({
      partitionKey: "k0",
      sequenceNumber: event.Records[0]!.kinesis.sequenceNumber,
      subSequenceNumber: "0",
      shardId: "shardId-000000000000",
      arrivalTime: new Date(Math.round(event.Records[0]!.kinesis.approximateArrivalTimestamp * 1000)).toISOString(),
    });
    const binary = bySeq.get(event.Records[23]!.kinesis.sequenceNumber)!;
    expect([binary.Body, attributesOf(binary).dataEncoding]).to.deep.equal([Buffer.from([0xff, 0x00, 0xfe]).toString("base64"), "base64"]);
    // U+0007 is valid UTF-8 but not a character SQS accepts: it goes as base64 too.
    const control = bySeq.get(event.Records[24]!.kinesis.sequenceNumber)!;
    expect([control.Body, attributesOf(control).dataEncoding]).to.deep.equal([Buffer.from("bell\u0007").toString("base64"), "base64"]);
    const summary = log.lines.find((l) => l.message === "Kinesis batch processed")!;
    expect(summary).to.include({ Records: 25, FailedRecords: 0 });
  });

  it("sqs fifo: per-key order holds, and the same records sent again are deduplicated by idempotency key", async () => {
    const queueUrl = await queue("fanout-ordered.fifo", true);
    const event = await source.eventOf(Array.from({ length: 30 }, (_, i) => ({ partitionKey: `g${i % 3}`, data: `m${i}` })));
    const handler = createSqsHandler({ client: sqs, queueUrl, fifo: true }, { consumer: { ...quiet, concurrency: 3 } });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] }); // within the 5-minute deduplication interval
    const messages = await drain(sqs, queueUrl);
    expect(messages).to.have.length(30);
    for (const group of ["g0", "g1", "g2"]) {
      const bodies = messages.filter((m) => attributesOf(m).partitionKey === group).map((m) => Number(m.Body!.slice(1)));
      expect(bodies).to.deep.equal(Array.from({ length: 10 }, (_, j) => j * 3 + Number(group.slice(1))));
    }
  });

  it("sns: every record reaches a subscribed queue exactly once, with its attributes (raw delivery)", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "fanout-topic" }));
    const queueUrl = await queue("fanout-topic-reader");
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: "true" } }),
    );
    const event = await source.eventOf(entries);
    const handler = createSnsHandler({ client: sns, topicArn: TopicArn!, fifo: false }, { consumer: quiet });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const messages = await drain(sqs, queueUrl);
    expect(messages.map((m) => attributesOf(m).sequenceNumber).sort()).to.deep.equal([...sequenceNumbers(event)].sort());
    const binary = messages.find((m) => attributesOf(m).partitionKey === "bin")!;
    expect([binary.Body, attributesOf(binary).dataEncoding]).to.deep.equal([Buffer.from([0xff, 0x00, 0xfe]).toString("base64"), "base64"]);
  });

  it("sns fifo: per-key order holds through a FIFO topic to its FIFO reader queue, and a resend is deduplicated", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "fanout-ordered.fifo", Attributes: { FifoTopic: "true" } }));
    const queueUrl = await queue("fanout-ordered-reader.fifo", true);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: "true" } }),
    );
    const event = await source.eventOf(Array.from({ length: 30 }, (_, i) => ({ partitionKey: `g${i % 3}`, data: `m${i}` })));
    const handler = createSnsHandler({ client: sns, topicArn: TopicArn!, fifo: true }, { consumer: { ...quiet, concurrency: 3 } });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const messages = await drain(sqs, queueUrl);
    expect(messages).to.have.length(30);
    for (const group of ["g0", "g1", "g2"]) {
      const bodies = messages.filter((m) => attributesOf(m).partitionKey === group).map((m) => Number(m.Body!.slice(1)));
      expect(bodies).to.deep.equal(Array.from({ length: 10 }, (_, j) => j * 3 + Number(group.slice(1))));
    }
  });

  it("sns: a record over PublishBatch's 256 KiB fails alone, its log line naming the limit", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "fanout-oversize" }));
    const event = await source.eventOf([
      { partitionKey: "a", data: "small" },
      { partitionKey: "b", data: "x".repeat(262_144) },
    ]);
    const log = logLines();
    const handler = createSnsHandler(
      { client: sns, topicArn: TopicArn!, fifo: false },
      { consumer: { idempotency: "none", writeLine: log.writeLine } },
    );
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.kinesis.sequenceNumber }] });
    const failures = log.lines.filter((l) => l.message === "Record processing failed");
    expect(failures.map((l) => [l.partitionKey, l.error])).to.deep.equal([
      [
        "b",
        {
          name: "OversizeRecordError",
          message:
            "The record is 262337 bytes as the target counts it, over the limit of 262144 bytes per request; it cannot be delivered.",
          recordBytes: 262_337, // the data plus the 5 attributes' names, types and values
          maxBytes: 262_144,
          retriable: false,
        },
      ],
    ]);
  });

  it("sqs: a queue that does not exist fails every record of the batch", async () => {
    const event = await source.eventOf([
      { partitionKey: "a", data: "1" },
      { partitionKey: "b", data: "2" },
    ]);
    const queueUrl = `${fauxqs.endpoint}/000000000000/no-such-queue`;
    const handler = createSqsHandler({ client: sqs, queueUrl, fifo: false }, { consumer: quiet });
    expect(await handler(event)).to.deep.equal({
      batchItemFailures: sequenceNumbers(event).map((itemIdentifier) => ({ itemIdentifier })),
    });
  });

  it("eventbridge: JSON objects go as their exact bytes, anything else in the wrapper; each arrives once", async () => {
    bus.createBus("fanout-bus");
    const event = await source.eventOf([
      { partitionKey: "a", data: '{"b":1,  "a":2}' },
      { partitionKey: "b", data: "[1,2]" },
      { partitionKey: "c", data: Buffer.from([0xff]) },
    ]);
    const handler = createEventBridgeHandler(
      { client: events, eventBusName: "fanout-bus", source: "kinesis-ingest.test", detailType: "orders record" },
      { consumer: quiet },
    );
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const put = bus.events().filter((e) => e.eventBusName === "fanout-bus");
    expect(put.map((e) => [e.source, e["detail-type"], e.resources])).to.deep.equal(
      Array.from({ length: 3 }, () => ["kinesis-ingest.test", "orders record", [event.Records[0]!.eventSourceARN]]),
    );
    expect(put[0]!.detail).to.deep.equal({ b: 1, a: 2 });
    const [second, third] = [event.Records[1]!, event.Records[2]!];
    expect(put[1]!.detail).to.deep.equal({
      dataBase64: Buffer.from("[1,2]").toString("base64"),
      partitionKey: "b",
      sequenceNumber: second.kinesis.sequenceNumber,
      subSequenceNumber: 0,
      shardId: "shardId-000000000000",
      arrivalTime: new Date(Math.round(second.kinesis.approximateArrivalTimestamp * 1000)).toISOString(),
    });
    expect((put[2]!.detail as { dataBase64: string }).dataBase64).to.equal(Buffer.from([0xff]).toString("base64"));
    expect(put[2]!.time).to.equal(
      new Date(Math.floor(third.kinesis.approximateArrivalTimestamp) * 1000).toISOString().replace(".000Z", "Z"),
    );
  });

  it("eventbridge: a bus that does not exist fails every record", async () => {
    const event = await source.eventOf([{ partitionKey: "a", data: "{}" }]);
    const handler = createEventBridgeHandler(
      { client: events, eventBusName: "no-such-bus", source: "kinesis-ingest.test", detailType: "x" },
      { consumer: quiet },
    );
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }] });
    expect(bus.events().filter((e) => e.eventBusName === "no-such-bus")).to.deep.equal([]);
  });
});
