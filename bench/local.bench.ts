/**
 * The local stack (`npx tsx bench/local.bench.ts`), measured as a user meets it — `npm start` as a child
 * process, driven over HTTP:
 * 1. start-up to the `ready` line, kinesalite and kinesis-local side by side (target ≤ 5 s);
 * 2. records/s from `POST /records` to delivery at the downstream (the built-in sink), for the dev stack
 *    (1 shard, parallelization 1, batches of 100) and the prod stack (4 shards, parallelization 4, batches
 *    of 500; its targetUrl replaced by the sink through FORWARD_URL), in one run.
 * Bounded: a few start-ups, a fixed record count, a deadline per measurement.
 */
import { freePort } from "../local/emulators";
import { startLocalStackProcess, type LocalStackProcess } from "../test/local/support/local-stack-process";

const STARTUP_RUNS = { kinesalite: 3, "kinesis-local": 2 } as const;
const RECORDS = 3000;
const REQUEST_SIZE = 500;
const CONCURRENT_REQUESTS = 3;
const KEYS = 50;
const DELIVERY_DEADLINE_MS = 120_000;

async function startupMs(kind: keyof typeof STARTUP_RUNS): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < STARTUP_RUNS[kind]; run++) {
    const started = Date.now();
    const stack = await startLocalStackProcess(["--kinesis", kind]);
    times.push(Date.now() - started);
    await stack.interrupt();
  }
  return times;
}

interface Throughput {
  readonly stored: number;
  readonly storedPerSecond: number;
  readonly delivered: number;
  readonly deliveredPerSecond: number;
}

/** Posts RECORDS records and waits until the sink has them all; rates are from the first POST. */
async function throughput(stack: LocalStackProcess): Promise<Throughput> {
  const warmUp = await stack.postRecords([{ data: { warmUp: true }, partitionKey: "warm-up" }]);
  if (warmUp.status !== 200) throw new Error(`warm-up POST answered ${warmUp.status}`);
  await waitForSink(stack, 1, 30_000);
  const started = Date.now();
  let next = 0;
  let stored = 0;
  const sender = async () => {
    while (next < RECORDS) {
      const from = next;
      next += REQUEST_SIZE;
      const records = Array.from({ length: Math.min(REQUEST_SIZE, RECORDS - from) }, (_, i) => ({
        data: { n: from + i, padding: "x".repeat(64) },
        partitionKey: `key-${(from + i) % KEYS}`,
      }));
      const { body } = await stack.postRecords(records);
      stored += records.length - body.failedRecordCount;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, sender));
  const storedMs = Date.now() - started;
  const delivered = await waitForSink(stack, 1 + stored, DELIVERY_DEADLINE_MS);
  const deliveredMs = Date.now() - started;
  return {
    stored,
    storedPerSecond: (stored / storedMs) * 1000,
    delivered: delivered - 1,
    deliveredPerSecond: ((delivered - 1) / deliveredMs) * 1000,
  };
}

/** Waits until the sink accepted `count` records (or the deadline passes); returns how many it has. */
async function waitForSink(stack: LocalStackProcess, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { sink } = await stack.status();
    if (sink.accepted >= count || Date.now() > deadline) return sink.accepted;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  console.log("start-up to ready (npm start as a child process, spawn to the ready line)");
  for (const kind of ["kinesalite", "kinesis-local"] as const) {
    const times = await startupMs(kind);
    const m = median(times);
    console.log(
      `  ${kind.padEnd(14)} median ${fmt(m)} ms  (runs: ${times.map(fmt).join(", ")} ms)  ${(m / 5000).toFixed(2)}× the 5 s target  ${m <= 5000 ? "ok" : "OVER"}`,
    );
  }

  console.log(`\nrecords/s from POST /records to the sink: ${fmt(RECORDS)} records of ~90 bytes, ${KEYS} keys, ${CONCURRENT_REQUESTS} concurrent requests of ${REQUEST_SIZE}`);
  const results: Array<[string, Throughput]> = [];
  for (const stackName of ["dev", "prod"] as const) {
    const port = await freePort();
    const forward: Record<string, string> = stackName === "prod" ? { FORWARD_URL: `http://127.0.0.1:${port}/_local/sink` } : {};
    const stack = await startLocalStackProcess(["--stack", stackName], { port, env: forward });
    try {
      const result = await throughput(stack);
      results.push([stackName, result]);
      console.log(
        `  ${stackName.padEnd(5)} stored ${fmt(result.storedPerSecond)} records/s; delivered ${fmt(result.delivered)}/${fmt(result.stored)} at ${fmt(result.deliveredPerSecond)} records/s end to end`,
      );
    } finally {
      await stack.interrupt();
    }
  }
  const [dev, prod] = results.map(([, r]) => r.deliveredPerSecond);
  if (dev && prod) console.log(`  prod / dev end-to-end ratio: ${(prod / dev).toFixed(2)}×`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
