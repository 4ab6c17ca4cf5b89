/**
 * The capacity planner held against the local limits proxy (`npx tsx bench/planner.bench.ts`): for a load
 * `kinesis-ingest plan` sizes at N provisioned shards, N shards on kinesalite behind local/limits carry it
 * without a throttled record, and N − 1 do not. Two loads, one bound by each write limit: 10 KiB records at
 * 250/s (2.44 MiB/s: 3 shards by bytes) and 100-byte records at 2,500/s (3 shards by records). Records are
 * paced every 100 ms and go round equal regions of the hash key space (explicit hash keys), so each shard
 * gets its even share and what throttles is the shard count, not a hot key. Each run lasts RUN_SECONDS: long enough to
 * spend a shard's one-second burst (its buckets start full) several times over. Reads are not exercised.
 * Exits 1 when the planner's claim fails.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { planCapacity } from "../capacity/plan";
import { localKinesisClient, startKinesalite } from "../local/emulators";
import { startLimitsProxy, type RunningLimitsProxy } from "../local/limits";
import { KINESIS_PRICES } from "../semantics/kinesis-pricing";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import { Table } from "./table";

const RUN_SECONDS = 8;
const TICK_MS = 100;
const HASH_SPACE = 2n ** 128n;
/** Positions used within each region of the hash key space (any number well above 1 will do). */
const POSITIONS = 100n;

interface Load {
  readonly name: string;
  readonly rate: number;
  readonly recordBytes: number;
}

const LOADS: readonly Load[] = [
  { name: "10 KiB records, 250/s (bytes)", rate: 250, recordBytes: 10 * 1024 },
  { name: "100-byte records, 2,500/s (records)", rate: 2500, recordBytes: 100 },
];

const TABLE = new Table([
  { header: "load", width: 38, align: "left" },
  { header: "planned", width: 8, align: "right" },
  { header: "shards", width: 8, align: "right" },
  { header: "sent", width: 8, align: "right" },
  { header: "throttled", width: 10, align: "right" },
  { header: "  expected", width: 0, align: "left" },
]);

/** The planner's provisioned shard count for `load`, one shared consumer, as `kinesis-ingest plan` prints it. */
function plannedShards(load: Load): number {
  const traffic = { rate: load.rate, peak: load.rate, recordBytes: load.recordBytes };
  const prices = KINESIS_PRICES["us-east-1"]!;
  return planCapacity({ traffic, readers: { consumers: 1, efo: false }, region: "us-east-1", prices, timeoutSeconds: 30, now: new Date() })
    .provisioned.shards;
}

async function createStream(admin: KinesisClient, name: string, shards: number): Promise<void> {
  await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  while ((await admin.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE");
}

/** Sends `load` for RUN_SECONDS on its schedule (a late tick sends what is due); resolves with the records sent. */
async function drive(client: KinesisClient, stream: string, load: Load, regions: number): Promise<number> {
  const data = Buffer.alloc(load.recordBytes - 1, 7); // the 1-character partition key makes up the record's bytes
  const total = load.rate * RUN_SECONDS;
  const started = Date.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * load.rate) + Math.ceil((load.rate * TICK_MS) / 1000));
    const calls: Array<Promise<unknown>> = [];
    for (; sent < due;) {
      const count = Math.min(MAX_PUT_RECORDS_COUNT, due - sent);
      const records = Array.from({ length: count }, (_, j) => ({
        Data: data,
        PartitionKey: "k",
        ExplicitHashKey: hashKey(sent + j, regions),
      }));
      calls.push(client.send(new PutRecordsCommand({ StreamName: stream, Records: records })));
      sent += count;
    }
    await Promise.all(calls);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return sent;
}

/**
 * Record `i`'s explicit hash key (decimal, as Kinesis takes it): consecutive records go round `regions` equal
 * regions of the hash key space. With `regions` a multiple of both shard counts tried, each region lies in one
 * shard of either stream, so every shard gets its exact share of any `regions` consecutive records.
 */
function hashKey(i: number, regions: number): string {
  const count = BigInt(regions);
  const region = BigInt(i) % count;
  const position = (BigInt(i) / count) % POSITIONS;
  const width = HASH_SPACE / count;
  return (region * width + ((2n * position + 1n) * width) / (2n * POSITIONS)).toString();
}

async function measure(
  admin: KinesisClient,
  client: KinesisClient,
  proxy: RunningLimitsProxy,
  load: Load,
  shards: number,
  regions: number,
) {
  const stream = `planner-${shards}-${load.recordBytes}-${Date.now()}`;
  await createStream(admin, stream, shards);
  const before = proxy.stats().throttledWriteRecords;
  const sent = await drive(client, stream, load, regions);
  return { sent, throttled: proxy.stats().throttledWriteRecords - before };
}

async function main(): Promise<void> {
  const kinesis = await startKinesalite();
  const proxy = await startLimitsProxy({ target: kinesis.endpoint });
  const admin = localKinesisClient(kinesis.endpoint);
  const client = localKinesisClient(proxy.endpoint);
  const lines: string[] = [];
  let failed = false;
  try {
    for (const load of LOADS) {
      const planned = plannedShards(load);
      for (const shards of [planned, planned - 1]) {
        process.stderr.write(`  ${load.name} on ${shards} shards…\n`);
        const { sent, throttled } = await measure(admin, client, proxy, load, shards, planned * Math.max(1, planned - 1));
        const carries = shards === planned;
        const ok = carries ? throttled === 0 : throttled > 0;
        failed ||= !ok;
        const expectation = carries ? "none throttled" : "some throttled";
        lines.push(
          TABLE.line([
            load.name,
            String(planned),
            String(shards),
            String(sent),
            String(throttled),
            `  ${expectation}: ${ok ? "yes" : "NO"}`,
          ]),
        );
      }
    }
  } finally {
    admin.destroy();
    client.destroy();
    await proxy.stop();
    await kinesis.stop();
  }
  console.log(`\nThe planner's shard count against local/limits, ${RUN_SECONDS} s a run, one shared consumer planned`);
  console.log(TABLE.header());
  for (const line of lines) console.log(line);
  if (failed) process.exitCode = 1;
}

void main();
