/**
 * The local stack (`npx tsx bench/local.bench.ts`), measured as a user meets it — `npm start` as a child
 * process, driven over HTTP:
 * 1. start-up to the `ready` line, kinesalite and kinesis-local side by side (target ≤ 5 s);
 * 2. records/s from `POST /records` to delivery at the downstream (the built-in sink), on the dev stack
 *    (1 shard, the forwarder with batches of 100, 1 s window) side by side: kinesalite, kinesalite behind
 *    the limits layer (1,000 records/s per shard for writes), kinesis-local; per consumer that delivers to
 *    the sink (`/_local/status` `targets`), and only those are waited for: the dev stack's `s3-archive`
 *    writes to S3, never to the sink. Everything but kinesis-local shares one Node.js thread (front,
 *    functions, mapping, sink), so CPU is the ceiling.
 * Bounded: a few start-ups, a fixed record count, a deadline per measurement.
 */
import { startKinesisLocal } from "../local/emulators";
import type { LocalStatus } from "../local/server";
import { startLocalStackProcess, type LocalStackProcess } from "../test/local/support/local-stack-process";
import { CONCURRENT_REQUESTS, KEYS, postRecords, REQUEST_SIZE } from "./local-load";

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
  /** The consumers whose forwarder delivers to the built-in sink (the others, such as the archiver, are not waited for). */
  readonly sinkConsumers: readonly string[];
  readonly stored: number;
  readonly storedPerSecond: number;
  /** Records the sink accepted since the warm-up, all sink consumers together (each record once per consumer). */
  readonly delivered: number;
  /** Per sink consumer: records its function finished (the mapping's count) and when it had finished them all. */
  readonly perConsumer: ReadonlyArray<{ readonly name: string; readonly records: number; readonly seconds: number }>;
}

/**
 * The consumers that deliver to this stack's sink: forwarders whose target (`/_local/status` `targets`,
 * from the validated config) is the sink's URL.
 */
function sinkConsumersOf(stack: LocalStackProcess, status: LocalStatus): string[] {
  const sink = `${stack.url}/_local/sink`;
  return Object.entries(status.targets)
    .filter(([, target]) => target === sink)
    .map(([name]) => name);
}

/**
 * Posts RECORDS records and waits until the sink accepted them once per sink consumer and each such
 * consumer's function had finished them all (or the deadline); rates are from the first POST. The sink
 * cannot tell consumers apart, so each consumer's time is read from its mapping's record count.
 */
async function throughput(stack: LocalStackProcess): Promise<Throughput> {
  const names = sinkConsumersOf(stack, await stack.status());
  if (names.length === 0) throw new Error("no consumer of this stack delivers to the sink");
  const warmUp = await stack.postRecords([{ data: { warmUp: true }, partitionKey: "warm-up" }]);
  if (warmUp.status !== 200) throw new Error(`warm-up POST answered ${warmUp.status}`);
  const baseline = await waitFor(stack, names, 1, { accepted: 0, records: {} }, 30_000);
  const started = Date.now();
  const stored = await postRecords(stack, RECORDS);
  const storedMs = Date.now() - started;
  const done = await waitFor(stack, names, stored, baseline, DELIVERY_DEADLINE_MS);
  return {
    sinkConsumers: names,
    stored,
    storedPerSecond: (stored / storedMs) * 1000,
    delivered: done.accepted - baseline.accepted,
    perConsumer: names.map((name) => ({
      name,
      // Past the count only by retried records; a consumer that missed the deadline shows what it finished.
      records: Math.min(stored, done.records[name]! - baseline.records[name]!),
      seconds: ((done.finishedAt[name] ?? Date.now()) - started) / 1000,
    })),
  };
}

/** The sink's accepted count and each consumer's record count: a point to measure from. */
interface Counts {
  readonly accepted: number;
  readonly records: Readonly<Record<string, number>>;
}

/**
 * Polls `/_local/status` until, past `from`, the sink accepted `count` records per consumer of `names`
 * and each of them had finished `count` records (or `timeoutMs` passes); the counts then, and when each
 * consumer reached its count.
 */
async function waitFor(
  stack: LocalStackProcess,
  names: readonly string[],
  count: number,
  from: Counts,
  timeoutMs: number,
): Promise<Counts & { finishedAt: Record<string, number> }> {
  const deadline = Date.now() + timeoutMs;
  const finishedAt: Record<string, number> = {};
  for (;;) {
    const status = await stack.status();
    const records = Object.fromEntries(names.map((name) => [name, status.consumers[name]!.records]));
    for (const name of names) if (records[name]! - (from.records[name] ?? 0) >= count) finishedAt[name] ??= Date.now();
    const delivered = status.sink.accepted - from.accepted >= count * names.length;
    if ((delivered && names.every((name) => finishedAt[name] !== undefined)) || Date.now() > deadline) {
      return { accepted: status.sink.accepted, records, finishedAt };
    }
    await new Promise((r) => setTimeout(r, 25));
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
  /** Each sink consumer's records/s on plain kinesalite, the ratios' base. */
  const base = new Map<string, number>();
  for (const [name, args] of variants) {
    const stack = await startLocalStackProcess(args, { timeoutMs: 60_000 });
    try {
      const result = await throughput(stack);
      console.log(
        `  ${name.padEnd(20)} stored ${fmt(result.storedPerSecond).padStart(6)} records/s; the sink accepted ${fmt(result.delivered)}/${fmt(result.stored * result.sinkConsumers.length)} (${result.sinkConsumers.join(", ")} ${result.sinkConsumers.length === 1 ? "delivers" : "deliver"} to it)`,
      );
      for (const consumer of result.perConsumer) {
        const perSecond = consumer.records / consumer.seconds;
        if (!base.has(consumer.name)) base.set(consumer.name, perSecond);
        console.log(
          `    ${consumer.name.padEnd(18)} ${fmt(consumer.records)}/${fmt(result.stored)} records in ${consumer.seconds.toFixed(1)} s: ${fmt(perSecond).padStart(5)} records/s end to end (${(perSecond / base.get(consumer.name)!).toFixed(2)}× kinesalite)`,
        );
      }
    } finally {
      await stack.interrupt();
    }
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
