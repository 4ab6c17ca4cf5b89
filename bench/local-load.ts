/**
 * Load for the benchmarks that drive the local stack over HTTP (`local.bench.ts`, `batched-delivery.bench.ts`):
 * the same records posted the same way, and the sink's counters polled until a count is reached.
 */
import type { LocalStackProcess } from "../test/local/support/local-stack-process";

/** Records per `POST /records`. */
export const REQUEST_SIZE = 500;
/** `POST /records` requests in flight at once. */
export const CONCURRENT_REQUESTS = 3;
/** Partition keys the records spread over. */
export const KEYS = 50;

/**
 * Posts `count` records of ~90 bytes (`{"n":…,"padding":"x…"}`, keys `key-0` … `key-49` in turn) with
 * {@link CONCURRENT_REQUESTS} requests of {@link REQUEST_SIZE} in flight; says how many the stream stored.
 */
export async function postRecords(stack: LocalStackProcess, count: number): Promise<number> {
  let next = 0;
  let stored = 0;
  const sender = async () => {
    while (next < count) {
      const from = next;
      next += REQUEST_SIZE;
      const records = Array.from({ length: Math.min(REQUEST_SIZE, count - from) }, (_, i) => ({
        data: { n: from + i, padding: "x".repeat(64) },
        partitionKey: `key-${(from + i) % KEYS}`,
      }));
      const { body } = await stack.postRecords(records);
      stored += records.length - body.failedRecordCount;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, sender));
  return stored;
}

/** Polls `/_local/status` until the sink accepted `count` records (or `timeoutMs` passes); its counters then. */
export async function waitForSink(
  stack: LocalStackProcess,
  count: number,
  timeoutMs: number,
): Promise<{ accepted: number; requests: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { sink } = await stack.status();
    if (sink.accepted >= count || Date.now() > deadline) return sink;
    await new Promise((r) => setTimeout(r, 25));
  }
}
