/**
 * Consumer runtime overhead per record (`npx tsx bench/consumer.bench.ts`), on one in-process batch of 100
 * records (Lambda's default batch size) of ~300-byte JSON under 25 partition keys, measured side by side:
 * 1. base64 decode + `JSON.parse` of every record, in a plain loop (the floor);
 * 2. the consumer runtime (`createKinesisConsumer`) whose per-record function does the same `JSON.parse`
 *    (target: ≤ 2× the floor);
 * 3. Powertools `BatchProcessor` (`processPartialResponse`, `EventType.KinesisDataStreams`) with the same
 *    per-record work (target: the runtime is faster).
 * Also printed, without a target: the runtime on the same user records packed into 10 KPL aggregates.
 *
 * Method: the variants run in interleaved rounds (so drift in CPU speed hits all alike), each round a fixed
 * number of batches after a warm-up; the figure is the median over rounds of CPU time per record.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { createKinesisConsumer } from "../handlers/lib/consumer";
import { kinesisEventRecord } from "../semantics/lambda-event";

// RecordAggregator is exported by aws-kinesis-agg but missing from its type declarations.

const { RecordAggregator } = require("aws-kinesis-agg") as {
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer };
  };
};

const BATCH_SIZE = 100;
const KEYS = 25;
const ROUNDS = 7;
const BATCHES_PER_ROUND = 1_000;
const SHARD = "shardId-000000000000";
const STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/kinesis-ingest-dev";

function payload(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      orderId: `ord-${100_000 + i}`,
      customerId: `cust-${i % KEYS}`,
      createdAt: new Date(1_700_000_000_000 + i * 1_000).toISOString(),
      currency: "EUR",
      total: 19.99 + i,
      lines: [
        { sku: `sku-${i % 17}`, quantity: 1 + (i % 3), unitPrice: 9.99 },
        { sku: `sku-${(i + 5) % 17}`, quantity: 1, unitPrice: 4.5 },
      ],
      channel: "web",
      tags: ["bench", "consumer", "kinesis"],
    }),
  );
}

function eventRecord(i: number, partitionKey: string, data: Buffer): KinesisStreamRecord {
  const sequenceNumber = (49_650_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(i) * 1_000n).toString();
  return kinesisEventRecord(
    { shardId: SHARD, sequenceNumber, partitionKey, data, approximateArrivalTimestamp: new Date(1_700_000_000_000 + i) },
    { streamArn: STREAM_ARN, invokeIdentityArn: "arn:aws:iam::000000000000:role/forwarder", region: "us-east-1" },
  );
}

const plainEvent: KinesisStreamEvent = {
  Records: Array.from({ length: BATCH_SIZE }, (_, i) => eventRecord(i, `cust-${i % KEYS}`, payload(i))),
};

const aggregatedEvent: KinesisStreamEvent = {
  Records: Array.from({ length: 10 }, (_, a) => {
    const aggregator = new RecordAggregator();
    for (let i = a * 10; i < a * 10 + 10; i++) aggregator.addUserRecord({ partitionKey: `cust-${i % KEYS}`, data: payload(i) });
    const { partitionKey, data } = aggregator.build();
    return eventRecord(a, partitionKey, data);
  }),
};

let sink = 0; // keeps the parsed values observable so the work is not optimised away
const parse = (bytes: Buffer): void => {
  sink += (JSON.parse(bytes.toString("utf8")) as { total: number }).total;
};

const runtime = createKinesisConsumer(async (record) => parse(record.data), {
  serviceName: "bench",
  writeLine: (line) => void (sink += line.length), // the summary line is built, not printed
});
const processor = new BatchProcessor(EventType.KinesisDataStreams);

type Variant = { name: string; records: number; run: () => Promise<unknown> | void };
const variants: Variant[] = [
  {
    name: "base64 + JSON.parse loop",
    records: BATCH_SIZE,
    run: () => {
      for (const record of plainEvent.Records) parse(Buffer.from(record.kinesis.data, "base64"));
    },
  },
  { name: "consumer runtime", records: BATCH_SIZE, run: () => runtime(plainEvent) },
  {
    name: "Powertools BatchProcessor",
    records: BATCH_SIZE,
    run: () =>
      processPartialResponse(
        plainEvent,
        async (record: KinesisStreamRecord) => parse(Buffer.from(record.kinesis.data, "base64")),
        processor,
      ),
  },
  { name: "consumer runtime, 10 KPL aggregates", records: BATCH_SIZE, run: () => runtime(aggregatedEvent) },
];

/** CPU time (user + system) per record: unlike wall time, not inflated by other processes on the machine. */
async function nsPerRecord(variant: Variant, batches: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < batches; i++) await variant.run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / (batches * variant.records);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const check = await runtime(plainEvent);
  if (check.batchItemFailures.length !== 0) throw new Error("The benchmark batch must succeed.");
  for (const variant of variants) await nsPerRecord(variant, 500); // warm-up: JIT and caches
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) samples.get(variant.name)!.push(await nsPerRecord(variant, BATCHES_PER_ROUND));
  }
  const result = new Map([...samples].map(([name, values]) => [name, median(values)]));
  const floor = result.get("base64 + JSON.parse loop")!;
  const ours = result.get("consumer runtime")!;
  const powertools = result.get("Powertools BatchProcessor")!;

  console.log(
    `Consumer runtime, batch of ${BATCH_SIZE} records (~${(plainEvent.Records[0]!.kinesis.data.length * 0.75) | 0} B JSON), ${KEYS} keys, median of ${ROUNDS} rounds x ${BATCHES_PER_ROUND} batches`,
  );
  for (const [name, ns] of result)
    console.log(`  ${name.padEnd(38)} ${(ns / 1000).toFixed(3)} µs CPU/record  (${(ns / floor).toFixed(2)}x the floor)`);
  console.log(`  runtime / (base64 + JSON.parse): ${(ours / floor).toFixed(2)}x  (target ≤ 2x)  ${ours / floor <= 2 ? "MET" : "MISSED"}`);
  console.log(
    `  runtime / Powertools BatchProcessor: ${(ours / powertools).toFixed(2)}x  (target < 1x)  ${ours < powertools ? "MET" : "MISSED"}`,
  );
  if (sink === 0) console.log("");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
