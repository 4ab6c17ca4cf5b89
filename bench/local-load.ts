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

/** Sends of one request's failed records before they are given up (and left out of the stored count). */
const MAX_SENDS = 20;
/** The wait before resending what a 207/429/503 reports failed: the API's `Retry-After: 1`. */
const RESEND_AFTER_MS = 1000;

/**
 * Posts `count` records of ~90 bytes (`{"n":…,"padding":"x…"}`, keys `key-0` … `key-49` in turn) with
 * {@link CONCURRENT_REQUESTS} requests of {@link REQUEST_SIZE} in flight, resending the entries the API
 * reports failed as a producer does (under `--limits` the shard throttles); says how many the stream stored.
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
      let pending: typeof records = records;
      for (let send = 0; pending.length > 0 && send < MAX_SENDS; send++) {
        const { status, body } = await stack.postRecords(pending);
        const failed = status === 200 ? [] : pending.filter((_, i) => body.records?.[i]?.sequenceNumber === undefined);
        stored += pending.length - failed.length;
        if (failed.length > 0) await new Promise((r) => setTimeout(r, RESEND_AFTER_MS));
        pending = failed;
      }
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
