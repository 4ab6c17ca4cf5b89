/**
 * The local stack (`npx tsx bench/local.bench.ts`), measured as a user meets it — `npm start` as a child
 * process, driven over HTTP:
 * 1. start-up to the `ready` line, kinesalite and kinesis-local side by side (target ≤ 5 s);
 * 2. records/s from `POST /records` to delivery at the downstream (the built-in sink), on the dev stack
 *    (1 shard, the forwarder with batches of 100, 1 s window) side by side: kinesalite, kinesalite behind
 *    the limits layer (1,000 records/s per shard for writes), kinesis-local. Everything but kinesis-local
 *    shares one Node.js thread (front, functions, mapping, sink), so CPU is the ceiling.
 * Bounded: a few start-ups, a fixed record count, a deadline per measurement.
 */
import { startKinesisLocal } from "../local/emulators";
import { startLocalStackProcess, type LocalStackProcess } from "../test/local/support/local-stack-process";
import { CONCURRENT_REQUESTS, KEYS, postRecords, REQUEST_SIZE, waitForSink } from "./local-load";

const STARTUP_RUNS = { kinesalite: 3, "kinesis-local": 2 } as const;
const RECORDS = 3000;
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
  readonly consumers: number;
  readonly stored: number;
  readonly storedPerSecond: number;
  /** Deliveries at the sink, all consumers together. */
  readonly delivered: number;
  /** Records delivered by every consumer, per second. */
  readonly deliveredPerSecond: number;
}

/**
 * Posts RECORDS records and waits until every consumer delivered them all to the sink (with several
 * consumers pointed at it, each record arrives once per consumer); rates are from the first POST.
 */
async function throughput(stack: LocalStackProcess): Promise<Throughput> {
  const consumers = Object.keys((await stack.status()).consumers).length;
  const warmUp = await stack.postRecords([{ data: { warmUp: true }, partitionKey: "warm-up" }]);
  if (warmUp.status !== 200) throw new Error(`warm-up POST answered ${warmUp.status}`);
  const baseline = (await waitForSink(stack, consumers, 30_000)).accepted;
  const started = Date.now();
  const stored = await postRecords(stack, RECORDS);
  const storedMs = Date.now() - started;
  const delivered = (await waitForSink(stack, baseline + stored * consumers, DELIVERY_DEADLINE_MS)).accepted - baseline;
  const deliveredMs = Date.now() - started;
  return {
    consumers,
    stored,
    storedPerSecond: (stored / storedMs) * 1000,
    delivered,
    deliveredPerSecond: (delivered / consumers / deliveredMs) * 1000,
  };
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

  const alone: number[] = [];
  for (let run = 0; run < STARTUP_RUNS["kinesis-local"]; run++) {
    const started = Date.now();
    const emulator = await startKinesisLocal();
    alone.push(Date.now() - started);
    await emulator.stop();
  }
  console.log(`  (the kinesis-local emulator alone, until it listens: median ${fmt(median(alone))} ms)`);

  console.log(
    `\nrecords/s from POST /records to the sink: ${fmt(RECORDS)} records of ~90 bytes, ${KEYS} keys, ${CONCURRENT_REQUESTS} concurrent requests of ${REQUEST_SIZE}`,
  );
  const variants: Array<[string, string[]]> = [
    ["kinesalite", []],
    ["kinesalite --limits", ["--limits"]],
    ["kinesis-local", ["--kinesis", "kinesis-local"]],
  ];
  const rates: number[] = [];
  for (const [name, args] of variants) {
    const stack = await startLocalStackProcess(args, { timeoutMs: 60_000 });
    try {
      const result = await throughput(stack);
      rates.push(result.deliveredPerSecond);
      console.log(
        `  ${name.padEnd(20)} stored ${fmt(result.storedPerSecond).padStart(6)} records/s; delivered ${fmt(result.delivered)}/${fmt(result.stored * result.consumers)} at ${fmt(result.deliveredPerSecond).padStart(5)} records/s end to end (${(result.deliveredPerSecond / rates[0]!).toFixed(2)}× kinesalite)`,
      );
    } finally {
      await stack.interrupt();
    }
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
