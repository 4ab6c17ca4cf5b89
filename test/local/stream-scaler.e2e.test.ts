/**
 * End to end: `npm start -- --kinesis kinesis-local --limits --scaler-period-seconds 5` with `stream.autoscaling`
 * on (a stack file of its own). A bounded load of about 1.5 MiB/s, above one shard's 1 MiB/s, goes through the
 * API for a bounded time; the local stream scaler (local/stream-scaler.ts) sees it in the limits proxy's counts,
 * scales the stream out with UpdateShardCount, and `/_local/status` lists the scaling and the new shard count.
 * Every record reaches the sink once, and each key's records in the order they were produced, across the
 * reshard (the mapping reads the parent shard before its children).
 *
 * The producers keep each key's order themselves: a request carries one record per key, and a writer sends its
 * next request only once every record of the last one is stored (resending exactly the ones reported failed).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { localKinesisClient } from "../../local/emulators";
import type { SinkRecord } from "../../local/sink";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

const STACK_FILE = `config:
  kinesis-ingest:stream:
    shards: 1
    maxRecordSizeKiB: 2048
    autoscaling:
      minShards: 1
      maxShards: 4
  kinesis-ingest:api:
    rateLimit: 1000
    burstLimit: 2000
  kinesis-ingest:consumers:
    forwarder:
      handler: forwarder
      delivery: batch
      batchSize: 100
      batchWindowSeconds: 1
      startingPosition: TRIM_HORIZON
`;

/** One scaler minute lasts 5 real seconds: the 5-minute scale-out cooldown 25 s. */
const PERIOD_SECONDS = 5;
/**
 * 6 writers × 250 keys × 1 request/s: 1,500 small records/s offered, above one shard's 1,000 records/s (the limit
 * this load hits; records are ~40 bytes, far below 1 MiB/s).
 */
const WRITERS = 6;
const KEYS_PER_WRITER = 250;
const REQUEST_INTERVAL_MS = 1000;
/** The load's bound in time; in count it is at most WRITERS × KEYS_PER_WRITER × LOAD_MS / REQUEST_INTERVAL_MS. */
const LOAD_MS = 20_000;

interface Data {
  readonly key: string;
  readonly n: number;
}

describe("local stack end to end: the stream scaler scales out under load (kinesis-local, --limits)", function () {
  this.timeout(240_000);
  let dir: string;
  let stack: LocalStackProcess;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "stream-scaler-"));
    writeFileSync(path.join(dir, "Pulumi.scaling.yaml"), STACK_FILE);
    stack = await startLocalStackProcess(
      ["--stack", "scaling", "--dir", dir, "--kinesis", "kinesis-local", "--limits", "--scaler-period-seconds", String(PERIOD_SECONDS)],
      { timeoutMs: 60_000 },
    );
  });
  after(async () => {
    if (stack) await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-4000));
  });

  /** Posts one record per key until every one is stored; returns how many were resent. */
  async function store(records: ReadonlyArray<{ data: Data; partitionKey: string }>): Promise<number> {
    let pending = records;
    let resent = 0;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 30) throw new Error(`${pending.length} records still not stored after 30 attempts`);
      const { status, body } = await stack.postRecords(pending);
      expect([200, 207, 429, 503], `status ${status}`).to.include(status);
      const failed = status === 200 ? [] : pending.filter((_, i) => body.records?.[i]?.sequenceNumber === undefined);
      if (failed.length > 0) await new Promise((r) => setTimeout(r, 500));
      resent += failed.length;
      pending = failed;
    }
    return resent;
  }

  /** One writer: its keys' next records, one request at a time, paced, until `until`. Returns records stored. */
  async function writer(w: number, until: number, produced: Map<string, number>, storedAt: number[]): Promise<number> {
    const keys = Array.from({ length: KEYS_PER_WRITER }, (_, k) => `w${w}-k${k}`);
    let stored = 0;
    while (Date.now() < until) {
      const started = Date.now();
      const records = keys.map((key) => ({ data: { key, n: produced.get(key) ?? 0 }, partitionKey: key }));
      await store(records);
      for (const key of keys) produced.set(key, (produced.get(key) ?? 0) + 1);
      stored += records.length;
      storedAt.push(...records.map(() => Date.now()));
      await new Promise((r) => setTimeout(r, Math.max(0, REQUEST_INTERVAL_MS - (Date.now() - started))));
    }
    return stored;
  }

  it("starts with one shard and the scaler on, with no scaling yet", async () => {
    const status = await stack.status();
    expect(status.shards).to.equal(1);
    expect(status.scaling).to.deep.include({ periodSeconds: PERIOD_SECONDS, minShards: 1, maxShards: 4, events: [] });
  });

  it("creates the stream on kinesis-local with the stack's maximum record size", async () => {
    const { emulatorEndpoint, streamName } = await stack.status();
    const kinesis = localKinesisClient(emulatorEndpoint);
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    kinesis.destroy();
    expect(StreamDescriptionSummary?.MaxRecordSizeInKiB).to.equal(2048);
  });

  it("scales out within the load, and delivers every record once, in order per key", async () => {
    const produced = new Map<string, number>();
    const storedAt: number[] = [];
    const loadStart = Date.now();
    const counts = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w, loadStart + LOAD_MS, produced, storedAt)));
    const loadSeconds = (Date.now() - loadStart) / 1000;
    const total = counts.reduce((a, b) => a + b, 0);

    const status = await stack.status();
    const first = status.scaling!.events[0];
    expect(first, "a scaling event in /_local/status").to.not.equal(undefined);
    expect(first!).to.deep.include({ from: 1, to: 2 });
    expect(first!.reason).to.match(/^1 → 2 shards: the load needs/);
    const toScaleOutSeconds = (Date.parse(first!.at) - loadStart) / 1000;
    const beforeScaleOut = storedAt.filter((at) => at < Date.parse(first!.at)).length / toScaleOutSeconds;
    expect(toScaleOutSeconds).to.be.below(LOAD_MS / 1000); // within the load: minutes on AWS, seconds here
    expect(status.shards).to.be.at.least(2);
    expect(status.throttled!.throttledWriteRecords).to.be.greaterThan(0); // the load was above one shard's limit

    await eventually("every record at the sink", async () => ((await stack.status()).sink.accepted >= total ? true : undefined), 120_000);
    await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive after the last record
    const sink = (await (await fetch(`${stack.url}/_local/sink`)).json()) as { accepted: number; records: SinkRecord[] };
    const byKey = new Map<string, number[]>();
    for (const record of sink.records) {
      const { key, n } = record.data as Data;
      byKey.set(key, [...(byKey.get(key) ?? []), n]);
    }
    for (const [key, count] of produced) expect(byKey.get(key), key).to.deep.equal(Array.from({ length: count }, (_, n) => n));
    expect(sink.accepted).to.equal(total); // with every key's 0…count-1 above: no duplicate, none missing
    const shards = new Set(sink.records.map((r) => r.shardId));
    expect(shards.size, "records read from the parent and from its children").to.be.at.least(3);
    console.log(
      `      scaled out ${toScaleOutSeconds.toFixed(1)} s into the load (${PERIOD_SECONDS}-second scaler minutes); ` +
        `${total} records stored in ${loadSeconds.toFixed(1)} s (${(total / loadSeconds).toFixed(0)}/s), ` +
        `${beforeScaleOut.toFixed(0)}/s on the one shard before the scale-out, ${status.throttled!.throttledWriteRecords} writes throttled, ` +
        `delivered ${sink.accepted} once each from ${shards.size} shards; ${status.shards} shards at the end`,
    );
  });
});
