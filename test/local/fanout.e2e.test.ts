/**
 * The fan-out consumers end to end on the local stack: records put on the stream reach the SQS queue, the
 * SNS topic's reader queue (fauxqs) and the PutEvents stand-in (`GET /_local/events`) exactly once each;
 * a record over PublishBatch's and PutEvents' 256 KiB can never be published: the runtime isolates it alone
 * in the on-failure queue (docs/poison-records.md) on its first attempt, and the shard moves on.
 */
import { expect } from "chai";
import { PutRecordCommand } from "@aws-sdk/client-kinesis";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { validateStackConfig } from "../../config";
import { localKinesisClient, localSqsClient } from "../../local/emulators";
import type { LocalEvent } from "../../local/event-bus";
import type { LocalFanoutTarget } from "../../local/fanout-targets";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";

const STACK = "fanout";

/** Reads (and deletes) what a queue has, until `count` messages arrived or `timeoutMs` passed. */
async function collect(sqs: SQSClient, queueUrl: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < deadline) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }),
    );
    if (!Messages?.length) continue;
    messages.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return messages;
}

describe("local stack: fan-out consumers (sqs, sns, eventbridge)", function () {
  this.timeout(90_000);
  let stack: RunningLocalStack;
  let sqs: SQSClient;
  before(async () => {
    const config = validateStackConfig({
      consumers: {
        queue: { handler: "sqs", startingPosition: "TRIM_HORIZON" },
        topic: { handler: "sns", startingPosition: "TRIM_HORIZON", maxRetryAttempts: 1 },
        bus: { handler: "eventbridge", startingPosition: "TRIM_HORIZON", maxRetryAttempts: 1, detailType: "Order" },
      },
    });
    stack = await startLocalStack(config, {
      stack: STACK,
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: "fanout-test-token-000001",
      log: () => undefined,
    });
    sqs = localSqsClient(stack.status().sqsEndpoint);
  });
  after(async () => {
    sqs?.destroy();
    if (stack) await stack.stop();
  });

  it("lists each consumer's target in /_local/status", async () => {
    const status = (await (await fetch(`${stack.url}/_local/status`)).json()) as { fanoutTargets: Record<string, LocalFanoutTarget> };
    expect(status.fanoutTargets).to.deep.equal({
      queue: {
        kind: "sqs",
        queueUrl:
          stack.status().fanoutTargets.queue!.kind === "sqs" ? (stack.status().fanoutTargets.queue as { queueUrl: string }).queueUrl : "",
        fifo: false,
      },
      topic: stack.status().fanoutTargets.topic,
      bus: { kind: "eventbridge", eventBusName: "kinesis-ingest-fanout-bus", source: "kinesis-ingest.fanout", detailType: "Order" },
    });
    expect(status.fanoutTargets.queue).to.deep.include({ kind: "sqs", fifo: false });
    expect((status.fanoutTargets.queue as { queueUrl: string }).queueUrl).to.match(/\/kinesis-ingest-fanout-queue$/);
    expect(status.fanoutTargets.topic).to.deep.include({ kind: "sns", fifo: false });
    expect((status.fanoutTargets.topic as { topicArn: string }).topicArn).to.match(/:kinesis-ingest-fanout-topic$/);
    expect((status.fanoutTargets.topic as { readerQueueUrl: string }).readerQueueUrl).to.match(/\/kinesis-ingest-fanout-topic-reader$/);
  });

  it("delivers every record once to each target; the one over 256 KiB is isolated alone in the sns and eventbridge on-failure queues, every other record delivered once", async () => {
    const status = stack.status();
    const kinesis = localKinesisClient(status.kinesisEndpoint);
    const put = async (data: Buffer, key: string) =>
      (await kinesis.send(new PutRecordCommand({ StreamName: status.streamName, PartitionKey: key, Data: data }))).SequenceNumber!;
    const sequence: string[] = [];
    const targets = status.fanoutTargets;
    const queueUrl = (targets.queue as { queueUrl: string }).queueUrl;
    const readerUrl = (targets.topic as { readerQueueUrl: string }).readerQueueUrl;
    const seqOf = (m: Message) => m.MessageAttributes?.sequenceNumber?.StringValue;
    const busEvents = async () =>
      ((await (await fetch(`${stack.url}/_local/events`)).json()) as { events: LocalEvent[] }).events.filter(
        (e) => e.eventBusName === "kinesis-ingest-fanout-bus",
      );
    // Each consumer has its own mapping: the bus may lag the queues, so wait for its events, as `collect` does.
    const busEventsOnceThere = async (count: number, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let events = await busEvents();
      while (events.length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        events = await busEvents();
      }
      return events;
    };
    try {
      for (let i = 0; i < 12; i++) {
        const data = i === 5 ? Buffer.from(`{"big":"${"x".repeat(270_000)}"}`) : Buffer.from(JSON.stringify({ n: i }));
        sequence.push(await put(data, `k${i % 3}`));
      }
      const [queued, published, topicFailures, busFailures] = await Promise.all([
        collect(sqs, queueUrl, 12),
        collect(sqs, readerUrl, 11),
        collect(sqs, status.queues.topic!, 1, 40_000),
        collect(sqs, status.queues.bus!, 1, 40_000),
      ]);
      expect(queued.map(seqOf).sort()).to.deep.equal([...sequence].sort());
      // The records after the oversize one are published once; it alone is isolated.
      const deliverable = sequence.filter((_, i) => i !== 5);
      expect(published.map(seqOf).sort()).to.deep.equal([...deliverable].sort());
      for (const failures of [topicFailures, busFailures]) {
        const infos = failures.map(
          (f) => (JSON.parse(f.Body!) as { KinesisBatchInfo: { startSequenceNumber: string; batchSize: number } }).KinesisBatchInfo,
        );
        expect(infos.map((r) => [r.startSequenceNumber, r.batchSize])).to.deep.equal([[sequence[5], 1]]);
      }
      expect((await busEventsOnceThere(11)).map((e) => (e.detail as { n: number }).n)).to.have.members([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
      expect((await busEvents()).map((e) => e["detail-type"])).to.deep.equal(Array.from({ length: 11 }, () => "Order"));

      // The shard moved on: what comes next is delivered.
      const next = [await put(Buffer.from('{"n":12}'), "k0"), await put(Buffer.from('{"n":13}'), "k1")];
      expect((await collect(sqs, readerUrl, 2)).map(seqOf).sort()).to.deep.equal([...next].sort());
      expect((await collect(sqs, queueUrl, 2)).map(seqOf).sort()).to.deep.equal([...next].sort());
      expect((await busEventsOnceThere(13)).map((e) => (e.detail as { n: number }).n)).to.have.members([
        0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13,
      ]);
      // Nothing arrives twice.
      expect(await collect(sqs, queueUrl, 1, 1_500)).to.deep.equal([]);
    } finally {
      kinesis.destroy();
    }
  });
});
