/**
 * The fan-out consumers side by side (`npx tsx bench/fanout.bench.ts`): records/s and API calls per 1,000
 * records for `sqs` and `sns` (fauxqs, in-process) and `eventbridge` (the local PutEvents stand-in), on
 * batches of 100 records under 25 partition keys, with small (~300 B JSON) and large (40 KiB) records. The
 * call count is what the design decides (10 entries a call, fewer when the bytes limit binds: 1 MiB for SQS,
 * 256 KiB for SNS and EventBridge); records/s is bound by the emulators on this shared 2-core machine, not
 * by AWS, and is only comparable within one run. Each cell runs a fixed number of batches, a few seconds.
 * For scale, the same records sent to SQS one SendMessage per record (the per-record runtime, 10 keys at once).
 */
import type { KinesisStreamEvent } from "aws-lambda";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, PurgeQueueCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createEventBridgeHandler } from "../handlers/eventbridge";
import { createKinesisConsumer, type KinesisConsumerHandler } from "../handlers/lib/consumer";
import { createSnsHandler } from "../handlers/sns";
import { createSqsHandler } from "../handlers/sqs";
import { localEventBridgeClient, localSnsClient, localSqsClient, startSqs } from "../local/emulators";
import { startEventBus } from "../local/event-bus";
import { kinesisEventRecord } from "../semantics/lambda-event";

const BATCH_SIZE = 100;
const KEYS = 25;
const SHARD = "shardId-000000000000";
const STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/kinesis-ingest-bench";

/** A batch of 100 JSON records of about `bytes` each. */
function batch(round: number, bytes: number): KinesisStreamEvent {
  return {
    Records: Array.from({ length: BATCH_SIZE }, (_, i) => {
      const n = round * BATCH_SIZE + i;
      const data = Buffer.from(
        JSON.stringify({ orderId: `ord-${n}`, customerId: `cust-${n % KEYS}`, pad: "x".repeat(Math.max(0, bytes - 60)) }),
      );
      const sequenceNumber = (49_650_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(n) * 1_000n).toString();
      return kinesisEventRecord(
        {
          shardId: SHARD,
          sequenceNumber,
          partitionKey: `cust-${n % KEYS}`,
          data,
          approximateArrivalTimestamp: new Date(1_700_000_000_000 + n),
        },
        { streamArn: STREAM_ARN, invokeIdentityArn: "arn:aws:iam::000000000000:role/bench", region: "us-east-1" },
      );
    }),
  };
}

/** Counts the calls a client sends. */
function counted<T extends { middlewareStack: { add: (m: never, o: { step: "initialize" }) => void } }>(
  client: T,
): { client: T; calls: () => number } {
  let calls = 0;
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    calls++;
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: "initialize" });
  return { client, calls: () => calls };
}

interface Cell {
  readonly recordsPerSecond: number;
  readonly callsPer1000: number;
  readonly failed: number;
}

async function measure(handler: KinesisConsumerHandler, calls: () => number, bytes: number, batches: number): Promise<Cell> {
  await handler(batch(10_000, bytes)); // warm-up
  const before = calls();
  let failed = 0;
  const started = process.hrtime.bigint();
  for (let round = 0; round < batches; round++) failed += (await handler(batch(round, bytes))).batchItemFailures.length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const records = batches * BATCH_SIZE;
  return { recordsPerSecond: records / seconds, callsPer1000: ((calls() - before) * 1000) / records, failed };
}

async function main(): Promise<void> {
  const [fauxqs, bus] = await Promise.all([startSqs(), startEventBus()]);
  const sqs: SQSClient = localSqsClient(fauxqs.endpoint);
  const sns = localSnsClient(fauxqs.endpoint);
  const events = localEventBridgeClient(bus.endpoint);
  const quiet = { idempotency: "none" as const, writeLine: () => undefined };
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "bench-target" }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "bench-target" })); // no subscriber: publish cost only
    bus.createBus("bench-target");
    const sqsCounted = counted(localSqsClient(fauxqs.endpoint));
    const snsCounted = counted(localSnsClient(fauxqs.endpoint));
    const ebCounted = counted(events);
    const perRecordCounted = counted(localSqsClient(fauxqs.endpoint));
    const perRecord = createKinesisConsumer(async (record) => {
      await perRecordCounted.client.send(new SendMessageCommand({ QueueUrl, MessageBody: record.data.toString("utf8") }));
    }, quiet);
    const targets: Array<[string, KinesisConsumerHandler, () => number]> = [
      ["sqs, SendMessage per record", perRecord, perRecordCounted.calls],
      ["sqs", createSqsHandler({ client: sqsCounted.client, queueUrl: QueueUrl!, fifo: false }, { consumer: quiet }), sqsCounted.calls],
      ["sns", createSnsHandler({ client: snsCounted.client, topicArn: TopicArn!, fifo: false }, { consumer: quiet }), snsCounted.calls],
      [
        "eventbridge",
        createEventBridgeHandler(
          { client: ebCounted.client, eventBusName: "bench-target", source: "kinesis-ingest.bench", detailType: "bench record" },
          { consumer: quiet },
        ),
        ebCounted.calls,
      ],
    ];
    console.log("| records | target | records/s | vs sqs | API calls per 1,000 records | failed |");
    console.log("|---|---|---|---|---|---|");
    for (const [label, bytes, batches] of [
      ["~300 B", 300, 30],
      ["40 KiB", 40 * 1024, 5],
    ] as const) {
      const cells = new Map<string, Cell>();
      for (const [name, handler, calls] of targets) cells.set(name, await measure(handler, calls, bytes, batches));
      const reference = cells.get("sqs")!.recordsPerSecond;
      for (const [name, cell] of cells) {
        const rate = Math.round(cell.recordsPerSecond).toLocaleString("en-US");
        const ratio = (cell.recordsPerSecond / reference).toFixed(2);
        console.log(`| ${label} | ${name} | ${rate} | ${ratio}× | ${cell.callsPer1000.toFixed(0)} | ${cell.failed} |`);
      }
      await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    }
    sqsCounted.client.destroy();
    perRecordCounted.client.destroy();
    snsCounted.client.destroy();
  } finally {
    sqs.destroy();
    sns.destroy();
    events.destroy();
    await Promise.all([fauxqs.stop(), bus.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
