/**
 * The forwarder's downstream batch contract (`delivery: batch`): the body it POSTs for one request of
 * records, the `Idempotency-Key` that names the request, and how the downstream's answer is read.
 */
import { createHash } from "node:crypto";
import { createBatchedConsumer } from "./batched";
import { perRecord } from "./per-record";
import { DeliveryError, deliveryBody, downstreamRefusal, isSuccess, type DownstreamAnswer } from "./delivery";
import { PermanentRecordError } from "./poison";
import type { KinesisConsumerHandler } from "./runtime";
import type { ConsumerOptions, ConsumerRecord } from "./types";

/** The bounds of one batch request (`maxBatchRecords`, `maxBatchBytes` in the stack config). */
export interface BatchDelivery {
  /** Most records in one request. */
  readonly maxBatchRecords: number;
  /** Most bytes of one request's body, its `{"records":[` and `]}` included. */
  readonly maxBatchBytes: number;
}

/**
 * The forwarder's batch mode: each request's records POSTed as one {@link batchBody} through `post` (which
 * owns the headers, the credential and its 401/403 retry), the answer read by {@link refusedRecords}.
 */
export function batchForwarder(
  post: (body: string, idempotencyKey: string) => Promise<DownstreamAnswer>,
  bounds: BatchDelivery,
  consumerOptions: ConsumerOptions,
): KinesisConsumerHandler {
  // A record's entry is built once: the byte bound counts it, and the request then sends it.
  const entryOf = perRecord(deliveryBody);
  return createBatchedConsumer(
    async (records) => {
      const answer = await post(batchBody(records.map(entryOf)), batchIdempotencyKey(records));
      if (!isSuccess(answer.status)) throw downstreamRefusal(answer, "every record of the request fails");
      return { failed: refusedRecords(answer.status, answer.text, records.length, answer.target) };
    },
    {
      ...consumerOptions,
      maxRecords: bounds.maxBatchRecords,
      maxBytes: bounds.maxBatchBytes - BATCH_ENVELOPE_BYTES,
      sizeOf: (record) => batchEntryBytes(entryOf(record)),
    },
  );
}

const HEAD = '{"records":[';
const TAIL = "]}";

/**
 * Bytes of a batch body that are not its records' entries: the envelope, less the one comma the first entry
 * does not need (every entry is counted with its separating comma, see {@link batchEntryBytes}).
 */
const BATCH_ENVELOPE_BYTES = HEAD.length + TAIL.length - 1;

/**
 * The body POSTed for one request (`Content-Type: application/json`): `{"records":[ENTRY,…]}`, where each
 * entry is exactly the body record mode POSTs for that record (`deliveryBody`), in sequence order. The
 * entries are spliced in as text: a record's data is never parsed and serialised again.
 */
function batchBody(entries: readonly string[]): string {
  return `${HEAD}${entries.join(",")}${TAIL}`;
}

/** A record's share of a batch body in bytes: its entry and the comma before it. */
function batchEntryBytes(entry: string): number {
  return Buffer.byteLength(entry) + 1;
}

/**
 * The request's `Idempotency-Key`: `batch-` and the hex SHA-256 of its records' idempotency keys
 * (`shardId:sequenceNumber:subSequenceNumber`) joined by newlines. The same records always make the same
 * key, so a redelivered request can be recognised; any other set of records makes another one (a retry
 * after a partial failure sends fewer records, under a new key).
 */
function batchIdempotencyKey(records: readonly ConsumerRecord[]): string {
  const hash = createHash("sha256");
  records.forEach((record, i) => hash.update(i === 0 ? record.idempotencyKey : `\n${record.idempotencyKey}`));
  return `batch-${hash.digest("hex")}`;
}

/** The records of a request the downstream refused, by position in the request. */
type RefusedRecords = ReadonlyArray<{ readonly index: number; readonly error: DeliveryError | PermanentRecordError }>;

/** The longest `error` text of a refused entry that reaches the log line. */
const MAX_ERROR_TEXT = 200;

/**
 * Reads a 2xx answer to a request of `count` records:
 *
 * - a JSON object body with a `failed` list, `{"failed":[{"index": i, "error"?: "why", "retriable"?: false}, …]}`
 *   (what a `207` must send): the records at those positions (0-based, in the request's `records` order) are
 *   refused, every other record is taken; `failed: []` takes them all; an entry with `"retriable": false`
 *   refuses its record for good (it is poison), any other is retried;
 * - any other body (none, or JSON without `failed`) with a status other than 207: every record is taken.
 *
 * A `207` without a `failed` list, or a `failed` list that is not that shape (not a list, an index that is
 * not an integer within the request, an index listed twice), throws a {@link DeliveryError}, which fails the
 * whole request: the downstream gave per-record answers that cannot be trusted. A `failed` list is read
 * whatever the 2xx, so a refusal sent with a 200 is never taken for a success.
 */
function refusedRecords(status: number, text: string, count: number, target: string): RefusedRecords {
  const malformed = (why: string) =>
    new DeliveryError(status, target, `The downstream answered HTTP ${status} with ${why}; every record of the request fails.`);
  let answer: unknown;
  try {
    answer = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    answer = undefined;
  }
  const failed = typeof answer === "object" && answer !== null && "failed" in answer ? answer.failed : undefined;
  if (failed === undefined) {
    if (status === 207) throw malformed('no "failed" list (expected {"failed":[{"index":0}]})');
    return [];
  }
  if (!Array.isArray(failed)) throw malformed('a "failed" member that is not a list');
  const seen = new Set<number>();
  return failed.map((entry: unknown) => {
    const { index, error, retriable } = (entry ?? {}) as { index?: unknown; error?: unknown; retriable?: unknown };
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count || seen.has(index)) {
      throw malformed(`"failed" naming index ${JSON.stringify(index)} in a request of ${count} records`);
    }
    seen.add(index);
    // The downstream's reason is quoted as given (it brings its own punctuation).
    const why = typeof error === "string" && error !== "" ? `: ${error.slice(0, MAX_ERROR_TEXT)}` : ".";
    const refusal = new DeliveryError(status, target, `The downstream refused the record in its HTTP ${status} answer${why}`);
    const forGood = retriable === false;
    return {
      index,
      error: forGood ? new PermanentRecordError(refusal.message, { cause: refusal, logFields: refusal.logFields }) : refusal,
    };
  });
}
