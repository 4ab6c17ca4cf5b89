/**
 * Replay read throughput (`npx tsx bench/replay.bench.ts`): records/s replaying a 4-shard stream with
 * `runReplay` (shards in parallel, each paced to its read limits) vs a sequential single-iterator reader
 * (one shard after another, one GetRecords at a time), both in one run through the local stack's Kinesis
 * limits proxy (`local/limits`: 5 GetRecords/s and 2 MiB/s per shard, excess refused with
 * ProvisionedThroughputExceededException) in front of kinesalite. Both deliver to a counting sink (dry
 * run), so the figure is the read path. Target: replay ≥ 3.5× the sequential reader.
 *
 * Both readers ask for at most GET_RECORDS_LIMIT records a call, so the 5 calls/s limit is the one that
 * binds, and shards stay small (RECORDS_PER_SHARD). Both because the emulator, not the limits, would
 * bind otherwise: in this process kinesalite serves about 2.5 MB/s of GetRecords (less than 4 shards ×
 * 2 MiB/s; 1 KiB records, 3,000 a call measured 1.5×), and its GetRecords costs grow with the records
 * left in the shard (1,500 records a shard measured 1.1×: CPU-bound, not limit-bound).
 */
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite } from "../local/emulators";
import { startLimitsProxy } from "../local/limits";
import { sleep } from "../semantics/backoff";
import { awsErrorName } from "../semantics/errors";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import { runReplay } from "../replay/replay";
import { streamSource } from "../replay/stream-source";
import { describeStream } from "../replay/stream-info";
import { dryRunTarget } from "../replay/targets/target";

const SHARDS = 4;
const RECORDS_PER_SHARD = Number(process.env.RECORDS_PER_SHARD ?? 500);
const RECORD_BYTES = 200;
const GET_RECORDS_LIMIT = 50;
const TARGET_RATIO = 3.5;

/** Writes `RECORDS_PER_SHARD` records of about RECORD_BYTES to each shard (explicit hash keys spread them evenly). */
async function fill(client: KinesisClient, stream: string): Promise<number> {
  const payload = "x".repeat(RECORD_BYTES - 40);
  let total = 0;
  for (let shard = 0; shard < SHARDS; shard++) {
    // The middle of each quarter of the 128-bit hash space lands on shard `shard`.
    const hashKey = ((2n ** 128n / BigInt(SHARDS)) * BigInt(shard) + 2n ** 120n).toString();
    for (let i = 0; i < RECORDS_PER_SHARD; i += MAX_PUT_RECORDS_COUNT) {
      const count = Math.min(MAX_PUT_RECORDS_COUNT, RECORDS_PER_SHARD - i);
      const records = Array.from({ length: count }, (_, j) => ({
        PartitionKey: `k${shard}-${i + j}`,
        ExplicitHashKey: hashKey,
        Data: Buffer.from(JSON.stringify({ shard, n: i + j, payload })),
      }));
      const response = await client.send(new PutRecordsCommand({ StreamName: stream, Records: records }));
      if (response.FailedRecordCount) throw new Error("fixture write failed");
      total += count;
    }
  }
  return total;
}

/** The baseline: each shard read to its tip in turn, one GetRecords at a time, ≥ 200 ms apart, throttling slept off. */
async function sequentialRead(client: KinesisClient, stream: string): Promise<{ records: number; throttled: number }> {
  const { shards } = await describeStream(client, stream);
  let records = 0;
  let throttled = 0;
  for (const shard of shards) {
    let iterator = (
      await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.shardId, ShardIteratorType: "TRIM_HORIZON" }))
    ).ShardIterator;
    let lastCall = 0;
    while (iterator) {
      await sleep(lastCall + 200 - Date.now());
      lastCall = Date.now();
      try {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
        records += page.Records?.length ?? 0;
        iterator = page.Records?.length === 0 && page.MillisBehindLatest === 0 ? undefined : page.NextShardIterator;
      } catch (error) {
        if (awsErrorName(error) !== "ProvisionedThroughputExceededException") throw error;
        throttled++;
        await sleep(500);
      }
    }
  }
  return { records, throttled };
}

async function main(): Promise<void> {
  const kinesis = await startKinesalite();
  const proxy = await startLimitsProxy({ target: kinesis.endpoint });
  const direct = localKinesisClient(kinesis.endpoint);
  const limited = localKinesisClient(proxy.endpoint);
  try {
    // kinesalite creates streams at once here (createStreamMs 0).
    await direct.send(new CreateStreamCommand({ StreamName: "bench-replay", ShardCount: SHARDS }));
    const written = await fill(direct, "bench-replay");
    console.log(
      `replay bench: ${SHARDS} shards, ${written} records of ~${RECORD_BYTES} B, GetRecords Limit ${GET_RECORDS_LIMIT}, ` +
        "through the limits proxy (5 GetRecords/s and 2 MiB/s per shard)",
    );

    const seqStart = Date.now();
    const sequential = await sequentialRead(limited, "bench-replay");
    const seqSeconds = (Date.now() - seqStart) / 1000;

    const throttledBefore = proxy.stats().throttledReadCalls;
    const replayStart = Date.now();
    const summary = await runReplay({
      source: streamSource({
        kinesis: limited,
        streamName: "bench-replay",
        start: { kind: "time", at: new Date(Date.now() - 3_600_000) },
        getRecordsLimit: GET_RECORDS_LIMIT,
      }),
      target: dryRunTarget(),
      batchSize: 1000,
    });
    const replaySeconds = (Date.now() - replayStart) / 1000;
    const replayed = summary.stats.totals();
    if (sequential.records !== written || replayed.delivered !== written) {
      throw new Error(`read ${sequential.records} (sequential) and ${replayed.delivered} (replay) of ${written} records`);
    }
    const seqRate = written / seqSeconds;
    const replayRate = written / replaySeconds;
    const ratio = replayRate / seqRate;
    console.log(
      `  sequential single-iterator reader  ${seqRate.toFixed(0).padStart(7)} records/s  (${seqSeconds.toFixed(2)} s, throttled calls ${sequential.throttled})`,
    );
    console.log(
      `  replay (4 shards in parallel)      ${replayRate.toFixed(0).padStart(7)} records/s  (${replaySeconds.toFixed(2)} s, throttled calls ${proxy.stats().throttledReadCalls - throttledBefore}, retries ${replayed.retries})`,
    );
    console.log(`  ratio ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x): ${ratio >= TARGET_RATIO ? "met" : "NOT met"}`);
  } finally {
    direct.destroy();
    limited.destroy();
    await proxy.stop();
    await kinesis.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
