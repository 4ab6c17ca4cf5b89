/**
 * Effectively once (`npx tsx bench/effectively-once.bench.ts`): a soak of 10,000 records, 50 partition
 * keys, 0.5% refused for good (HTTP 400), the downstream answering 503 to 0%, 1% and 10% of deliveries —
 * through the real forwarder with `idempotency` none / memory / dynamodb side by side, then ONE redrive of
 * the on-failure queue with the downstream steady (bench/soak-run.ts). Per run: good records lost (never
 * accepted after the redrive, wherever the queue points), duplicates (accepted deliveries of a record the
 * downstream had accepted before, over the whole run), the messages left in the queue and whether they point
 * at exactly the refused records, the first pass's records/s, and the dynamodb store's calls per record.
 *
 * Driven in-process for speed and determinism, not through `npm start --limits` (see the README's notes on the figures): the
 * local event source mapping engine (Lambda's retry, bisect and partial-batch rules) on kinesalite, fauxqs as
 * the on-failure queue, the `dynamodb` store on dynalite in a child process (so, like DynamoDB, its work is
 * not done on the function's thread), the forwarder POSTing over HTTP to a downstream in this process. The
 * mapping is the dev stack's (batch 100, bisect on, 3 retries, record age 3600 s) with no batching window
 * and 1 ms retry backoff, so a run is bound by work, not by waits. One forwarder per run stays warm for the
 * whole run, redrive included: `memory` here is its best case (every retry reaches the same container).
 * Each cell runs REPEATS times, the modes interleaved; records/s is the best run (this 2-core machine is
 * shared, and a slower run only measures the neighbours), losses, duplicates and messages left the worst.
 */
import type { IdempotencyMode } from "../handlers/lib/idempotency/store";
import { localKinesisClient, localSecretsManagerClient, localSqsClient, startKinesalite, startSqs } from "../local/emulators";
import { startSecretsEndpoint } from "../local/secrets-endpoint";
import { startFlakyDownstream } from "./flaky-downstream";
import { startRemoteDynalite } from "./remote-dynalite";
import { isRefused, KEYS, RECORDS, soakRun, type SoakResult } from "./soak-run";
import { Table } from "./table";

const RATES = [0, 0.01, 0.1];
const MODES: readonly IdempotencyMode[] = ["none", "memory", "dynamodb"];
const REPEATS = 2;
const REFUSED = Array.from({ length: RECORDS }, (_, n) => n).filter(isRefused).length;

const RESULT_TABLE = new Table(
  [
    { header: "503 rate", width: 8, align: "left" },
    { header: "idempotency", width: 11, align: "left" },
    { header: "lost", width: 4, align: "right" },
    { header: "duplicates", width: 10, align: "right" },
    { header: "dup %", width: 7, align: "right" },
    { header: "isolated", width: 8, align: "right" },
    { header: "in ranges", width: 9, align: "right" },
    { header: "left in queue", width: 13, align: "right" },
    { header: "exactly refused", width: 15, align: "right" },
    { header: "records/s", width: 9, align: "right" },
    { header: "redrive s", width: 9, align: "right" },
    { header: "get calls/rec", width: 13, align: "right" },
    { header: "items written/rec", width: 17, align: "right" },
  ],
  "  ",
);

type Finished = Extract<SoakResult, { unfinished: false }>;

/** One cell from its repeats: the worst losses, duplicates and queue, the best records/s (see the header). */
function worstOf(all: readonly Finished[]): Finished {
  const highest = (pick: (r: Finished) => number) => Math.max(...all.map(pick));
  const worstQueue = all.find((r) => !r.exact) ?? all.reduce((a, b) => (b.messages > a.messages ? b : a));
  return {
    ...all[all.length - 1]!,
    lost: highest((r) => r.lost),
    duplicates: highest((r) => r.duplicates),
    isolated: highest((r) => r.isolated),
    rangeRecords: highest((r) => r.rangeRecords),
    messages: worstQueue.messages,
    pointedAt: worstQueue.pointedAt,
    exact: worstQueue.exact,
    perSecond: highest((r) => r.perSecond),
    redriveMs: highest((r) => r.redriveMs),
  };
}

const pct = (n: number) => `${((n / RECORDS) * 100).toFixed(2)}%`;
/** The target for one cell: every good record delivered, duplicates ≤ 1%, the queue exactly the refused records. */
const meets = (r: Finished) => r.lost === 0 && r.duplicates <= RECORDS / 100 && r.exact;

async function main(): Promise<void> {
  const [kinesalite, fauxqs, dynalite, secretsEndpoint] = await Promise.all([
    startKinesalite(),
    startSqs(),
    startRemoteDynalite(),
    startSecretsEndpoint(),
  ]);
  const secrets = localSecretsManagerClient(secretsEndpoint.endpoint);
  secretsEndpoint.put("bench-forwarder-config", {});
  const env = {
    kinesis: localKinesisClient(kinesalite.endpoint),
    sqs: localSqsClient(fauxqs.endpoint),
    secrets,
    secretId: "bench-forwarder-config",
    dynamodbEndpoint: dynalite.endpoint,
    downstream: await startFlakyDownstream(isRefused),
  };

  console.log(
    `== Effectively once: ${RECORDS} records, ${KEYS} partition keys, ${REFUSED} refused for good (400), downstream 503 to the share of deliveries shown; then one redrive, downstream steady`,
  );
  console.log(RESULT_TABLE.header());
  const cells: Array<{ rate: number; mode: IdempotencyMode; result?: Finished }> = [];
  for (const rate of RATES) {
    const runsOf = new Map<IdempotencyMode, SoakResult[]>(MODES.map((mode) => [mode, []]));
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const mode of MODES) runsOf.get(mode)!.push(await soakRun(env, rate, mode));
    }
    for (const mode of MODES) {
      const finished = runsOf.get(mode)!.filter((r): r is Finished => !r.unfinished);
      const rateCell = `${(rate * 100).toFixed(0)}%`;
      // A cell any of whose runs missed the first pass's deadline is dropped, not measured on the rest.
      if (finished.length < REPEATS) {
        cells.push({ rate, mode });
        console.log(RESULT_TABLE.line([rateCell, mode, "dropped: the first pass did not finish within 60 s"]));
        continue;
      }
      const r = worstOf(finished);
      cells.push({ rate, mode, result: r });
      console.log(
        RESULT_TABLE.line([
          rateCell,
          mode,
          String(r.lost),
          String(r.duplicates),
          pct(r.duplicates),
          String(r.isolated),
          String(r.rangeRecords),
          `${r.messages} → ${r.pointedAt} rec`,
          r.exact ? "yes" : "NO",
          r.perSecond.toFixed(0),
          (r.redriveMs / 1000).toFixed(1),
          mode === "dynamodb" ? r.getCallsPerRecord.toFixed(3) : "-",
          mode === "dynamodb" ? r.itemsWrittenPerRecord.toFixed(3) : "-",
        ]),
      );
    }
  }
  console.log(
    [
      `lost: good records the downstream never accepted after the redrive; duplicates: accepted deliveries of a record it had accepted before, first pass and redrive (worst of ${REPEATS})`,
      "isolated: one-record on-failure records the runtime wrote in the first pass; in ranges: records inside the mapping's (Lambda's) on-failure ranges of the first pass",
      `left in queue: messages after the redrive → the distinct records they point at; exactly refused: each message one record and those records are the ${REFUSED} refused ones`,
      `records/s: good records delivered per second in the first pass, best of ${REPEATS}; get calls: BatchGetItem requests; items written: BatchWriteItem items (first pass)`,
    ].join("\n"),
  );
  for (const mode of MODES) {
    const of = cells.filter((c) => c.mode === mode);
    const verdicts = of.map(({ rate, result: r }) =>
      r === undefined
        ? `${rate * 100}% dropped`
        : `${rate * 100}% ${meets(r) ? "met" : "MISSED"} (${r.lost} lost, ${pct(r.duplicates)} dup)`,
    );
    const speed = of.map(({ rate, result: r }) => {
      const none = cells.find((c) => c.rate === rate && c.mode === "none")?.result;
      return r && none ? `${(r.perSecond / none.perSecond).toFixed(2)}×` : "-";
    });
    console.log(
      `${mode}: ${verdicts.join("; ")}${mode === "none" ? "" : `; records/s vs none ${speed.join(" / ")}`} — target: 0 lost, ≤ 1% duplicates, the queue exactly the refused records`,
    );
  }

  await env.downstream.stop();
  env.kinesis.destroy();
  env.sqs.destroy();
  secrets.destroy();
  await Promise.all([kinesalite.stop(), fauxqs.stop(), dynalite.stop(), secretsEndpoint.stop()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
