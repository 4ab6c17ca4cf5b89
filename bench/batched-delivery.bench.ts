/**
 * The forwarder's `delivery: batch` against `delivery: record` (`npx tsx bench/batched-delivery.bench.ts`),
 * side by side in one run on the local stack as a user meets it (`npm start` as a child process, the built-in
 * sink as the downstream): the same records posted the same way to a stack whose only consumer is the
 * forwarder in one mode, then in the other, in two settings: one shard on kinesalite as fast as it stores,
 * and four shards under `--limits` (Kinesis's 1,000 records/s a shard, as on AWS). Prints, for each run, the
 * downstream's requests per 1,000 records (target ≤ 10 in batch mode) and the records/s delivered end to end
 * against the records/s the stream stored (target ≥ 0.8× in batch mode). Bounded: a fixed record count and a
 * deadline per run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalStackProcess, type LocalStackProcess } from "../test/local/support/local-stack-process";
import { CONCURRENT_REQUESTS, KEYS, postRecords, REQUEST_SIZE, waitForSink } from "./local-load";

/**
 * Records posted per mode: record mode's rate is bound by one POST per record (~500/s here), so 5,000 keep it
 * within the time box; batch mode gets enough records that the mapping's idle poll (1 s) at the end is
 * a small part of the run rather than the figure.
 */
const RECORDS = { record: 5_000, batch: 30_000 } as const;
const DELIVERY_DEADLINE_MS = 60_000;

/** The two settings: kinesalite unthrottled on one shard, and Kinesis's per-shard limits on four. */
const SETTINGS = [
  { label: "1 shard, no limits", shards: 1, flags: [] },
  { label: "4 shards, --limits", shards: 4, flags: ["--limits"] },
] as const;

/** A stack whose forwarder reads batches of up to 1,000 records as soon as they are there. */
const stackFile = (delivery: "record" | "batch", shards: number) => `config:
  kinesis-ingest:stream:
    shards: ${shards}
  kinesis-ingest:consumers:
    forwarder:
      handler: forwarder
      delivery: ${delivery}
      batchSize: 1000
      batchWindowSeconds: 0
      startingPosition: TRIM_HORIZON
`;

interface Run {
  readonly stored: number;
  readonly storedPerSecond: number;
  readonly delivered: number;
  readonly deliveredPerSecond: number;
  readonly requests: number;
  /** Records the sink had accepted when the last POST /records was answered. */
  readonly deliveredWhileStoring: number;
  /** Records/s delivered from the moment the last POST was answered to the last delivery: the drain rate. */
  readonly drainPerSecond: number;
}

async function measure(stack: LocalStackProcess, count: number): Promise<Run> {
  const warmUp = await stack.postRecords([{ data: { warmUp: true }, partitionKey: "warm-up" }]);
  if (warmUp.status !== 200) throw new Error(`warm-up POST answered ${warmUp.status}`);
  const baseline = await waitForSink(stack, 1, 30_000);
  const started = Date.now();
  const stored = await postRecords(stack, count);
  const storedMs = Date.now() - started;
  const deliveredWhileStoring = (await stack.status()).sink.accepted - baseline.accepted;
  const sink = await waitForSink(stack, baseline.accepted + stored, DELIVERY_DEADLINE_MS);
  const deliveredMs = Date.now() - started;
  const delivered = sink.accepted - baseline.accepted;
  return {
    stored,
    storedPerSecond: (stored / storedMs) * 1000,
    delivered,
    deliveredPerSecond: (delivered / deliveredMs) * 1000,
    requests: sink.requests - baseline.requests,
    deliveredWhileStoring,
    drainPerSecond: ((delivered - deliveredWhileStoring) / Math.max(1, deliveredMs - storedMs)) * 1000,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

function report(delivery: "record" | "batch", run: Run): void {
  const perThousand = (run.requests / run.delivered) * 1000;
  const ratio = run.deliveredPerSecond / run.storedPerSecond;
  const targets =
    delivery === "batch" ? `  targets: ≤ 10 ${perThousand <= 10 ? "ok" : "MISSED"}, ≥ 0.8× ${ratio >= 0.8 ? "ok" : "MISSED"}` : "";
  console.log(
    `  ${delivery.padEnd(6)} stored ${fmt(run.storedPerSecond).padStart(6)} records/s; delivered ${fmt(run.delivered)}/${fmt(run.stored)} at ${fmt(run.deliveredPerSecond).padStart(6)} records/s (${ratio.toFixed(2)}× stored); ${fmt(run.requests)} downstream requests, ${perThousand.toFixed(1)} per 1,000 records${targets}`,
  );
  console.log(
    `         while POSTs ran ${fmt(run.deliveredWhileStoring)} of ${fmt(run.stored)} were delivered; after them the backlog drained at ${fmt(run.drainPerSecond)} records/s (${(run.drainPerSecond / run.storedPerSecond).toFixed(2)}× stored)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `forwarder delivery to the local sink: records of ~90 bytes (${fmt(RECORDS.record)} in record mode, ${fmt(RECORDS.batch)} in batch mode), ${KEYS} keys, ${CONCURRENT_REQUESTS} concurrent POST /records of ${REQUEST_SIZE} (failed entries resent); batchSize 1000`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), "batched-delivery-bench-"));
  try {
    for (const setting of SETTINGS) {
      console.log(setting.label);
      for (const delivery of ["record", "batch"] as const) {
        const name = `${delivery}-${setting.shards}`;
        writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stackFile(delivery, setting.shards));
        const stack = await startLocalStackProcess(["--stack", name, "--dir", dir, ...setting.flags], { timeoutMs: 60_000 });
        try {
          report(delivery, await measure(stack, RECORDS[delivery]));
        } finally {
          await stack.interrupt();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
