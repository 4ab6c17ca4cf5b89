/**
 * The Lambda handler factory for Kinesis consumers: decode → process in key order → partial batch response,
 * with one summary line (log + metrics) per batch.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { idempotencyStoreFromEnv } from "../idempotency/from-env";
import type { IdempotencyStore } from "../idempotency/store";
import { decodeKinesisEvent } from "./decode";
import { processInKeyOrder } from "./ordered";
import { batchResponse } from "./response";
import { consumerTelemetry, writeBatchSummary, writeRecordFailure, writeStoreReadFailure, writeStoreWriteFailure } from "./telemetry";
import type { ConsumerOptions, RecordProcessor } from "./types";

/** A Lambda handler for a Kinesis event source mapping with `FunctionResponseTypes: ["ReportBatchItemFailures"]`. */
export type KinesisConsumerHandler = (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse>;

/** Default number of partition keys processed at once. */
export const DEFAULT_CONCURRENCY = 10;
/** Default time kept in reserve at the end of an invocation. */
export const DEFAULT_TIME_MARGIN_MS = 1_000;

/**
 * Builds the Lambda handler of a Kinesis consumer around a per-record function.
 *
 * - Each record's `data` is base64-decoded; KPL aggregates are de-aggregated into their user records.
 * - Records of one partition key run strictly one after another in sequence order; different keys run
 *   concurrently, up to `concurrency` at once. After a record fails, no record at or after the lowest failed
 *   Kinesis record is started (Lambda will redeliver them anyway), so in particular a key's later records are
 *   never attempted after that key failed.
 * - The handler returns `batchItemFailures` naming the failed Kinesis records (an aggregate by its own
 *   sequence number). Lambda checkpoints just before the lowest one, so every earlier record was processed
 *   exactly once by this batch.
 * - Idempotency (option `idempotency`, by default from the `IDEMPOTENCY` variable the program sets): before
 *   the batch runs, one lookup asks the store which records completed before; those are acknowledged without
 *   running `processRecord` (counted as `SkippedDuplicates`). After the batch, the records whose processor
 *   resolved are recorded as completed in one write. A lookup that fails throws (Lambda retries the batch,
 *   nothing was processed); a write that fails is logged and the batch is still acknowledged (its records
 *   were processed; they risk being processed again only if they are delivered again). Failed, deferred and
 *   skipped records are never recorded.
 * - One JSON line per batch on stdout is both the log summary and the CloudWatch EMF metrics `Records`,
 *   `FailedRecords`, `SkippedRecords`, `SkippedDuplicates` and `MaxRecordAgeMs` (age of the oldest record
 *   when the batch arrived);
 *   each failed record gets an `error` line with its sequence number, partition key and error.
 * - When the Lambda context reports less than `timeMarginMs` left, no further record is started; the first
 *   of those is reported like a failure, so the work done is checkpointed instead of lost to a timeout.
 * - The handler itself only throws for an event it cannot read, which fails the whole batch.
 *
 * **Handlers should still be idempotent.** The store removes the redeliveries of completed records, but a
 * record whose side effect happened and whose processor then failed (or timed out, or whose completion
 * could not be stored) is processed again. Make the side effect conditional on
 * `record.idempotencyKey` (`${shardId}:${sequenceNumber}:${subSequenceNumber}`): send it as an
 * `Idempotency-Key` header, use it as a conditional-write key (for example a DynamoDB
 * `attribute_not_exists(pk)` put), or upsert by it.
 *
 * @example
 * ```ts
 * import { createKinesisConsumer } from "./lib/consumer";
 *
 * export const handler = createKinesisConsumer(async (record) => {
 *   const order = JSON.parse(record.data.toString("utf8")) as { id: string; total: number };
 *   // Idempotent: a redelivered record finds its key already written and changes nothing.
 *   await ddb.send(new PutItemCommand({
 *     TableName: "orders",
 *     Item: { pk: { S: record.idempotencyKey }, id: { S: order.id }, total: { N: String(order.total) } },
 *     ConditionExpression: "attribute_not_exists(pk)",
 *   })).catch((error: Error) => {
 *     if (error.name !== "ConditionalCheckFailedException") throw error; // already done: acknowledge
 *   });
 * }, { concurrency: 20 });
 * ```
 */
export function createKinesisConsumer(processRecord: RecordProcessor, options: ConsumerOptions = {}): KinesisConsumerHandler {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer of at least 1, got ${String(concurrency)}.`);
  }
  const timeMarginMs = timeMarginOf(options);
  const sink = consumerTelemetry(options);
  const store: IdempotencyStore | undefined =
    options.idempotency === "none" ? undefined : (options.idempotency ?? idempotencyStoreFromEnv(process.env));

  return async (event, context) => {
    const startedAt = sink.now();
    if (!Array.isArray(event?.Records)) {
      throw new TypeError("The event has no Records array; a Kinesis event source mapping sends { Records: [...] }.");
    }
    const batch = decodeKinesisEvent(event);
    // A context without the clock (a hand-made one in a local run) never runs out of time.
    const remaining = typeof context?.getRemainingTimeInMillis === "function" ? context : undefined;
    const hasTimeLeft = (): boolean => remaining === undefined || remaining.getRemainingTimeInMillis() > timeMarginMs;
    const awsRequestId = context?.awsRequestId;
    let completedBefore: ReadonlySet<string> = NONE;
    if (store !== undefined && batch.records.length > 0) {
      try {
        completedBefore = await store.completed(batch.records.map((record) => record.idempotencyKey));
      } catch (error) {
        writeStoreReadFailure(sink, batch.records.length, error, awsRequestId);
        throw error;
      }
    }
    const completions = completionWriter(store);
    let skippedDuplicates = 0;
    const run: RecordProcessor =
      store === undefined
        ? processRecord
        : async (record, ctx) => {
            if (completedBefore.has(record.idempotencyKey)) {
              skippedDuplicates++;
              return;
            }
            await processRecord(record, ctx);
            completions.add(record.idempotencyKey);
          };
    const outcome = await processInKeyOrder(batch.records, batch.parentIndex, run, concurrency, context, hasTimeLeft);
    const unrecorded = await completions.finish();
    if (unrecorded.count > 0) writeStoreWriteFailure(sink, unrecorded.count, unrecorded.error, awsRequestId);
    for (const failure of outcome.failures) {
      writeRecordFailure(sink, batch.records[failure.index]!, failure.error, awsRequestId);
    }
    const response = batchResponse(event, outcome, batch.parentIndex);
    writeBatchSummary(sink, {
      shardId: batch.records[0]?.shardId,
      awsRequestId,
      kinesisRecords: event.Records.length,
      aggregatedRecords: batch.aggregatedCount,
      records: batch.records.length,
      failed: outcome.failures.length,
      deferred: outcome.deferred.length,
      skipped: outcome.skipped,
      skippedDuplicates,
      firstFailedSequenceNumber: response.batchItemFailures[0]?.itemIdentifier,
      maxRecordAgeMs: maxRecordAgeMs(event, startedAt),
      durationMs: sink.now() - startedAt,
    });
    return response;
  };
}

const NONE: ReadonlySet<string> = new Set();

/** Age of the oldest record when the batch arrived, in ms (0 for an empty batch or a clock behind Kinesis). */
export function maxRecordAgeMs(event: KinesisStreamEvent, now: number): number {
  let oldest = Infinity;
  for (const record of event.Records) oldest = Math.min(oldest, record.kinesis.approximateArrivalTimestamp);
  return oldest === Infinity ? 0 : Math.max(0, Math.round(now - oldest * 1000));
}

/**
 * Collects the keys of processed records and records them in the store: in the store's chunks as they fill
 * (a remote store's writes then overlap the batch), the rest when the batch ends. `finish` waits for every
 * write and says how many keys could not be recorded, and why.
 */
function completionWriter(store: IdempotencyStore | undefined) {
  let pending: string[] = [];
  const writes: Array<Promise<number>> = [];
  let lastError: unknown;
  const write = (keys: string[]): void => {
    if (store === undefined || keys.length === 0) return;
    writes.push(
      store.complete(keys).then(
        () => 0,
        (error: unknown) => {
          lastError = error;
          return keys.length;
        },
      ),
    );
  };
  return {
    add(key: string): void {
      pending.push(key);
      if (store?.completionChunk !== undefined && pending.length >= store.completionChunk) {
        write(pending);
        pending = [];
      }
    },
    async finish(): Promise<{ count: number; error: unknown }> {
      write(pending);
      pending = [];
      const failed = await Promise.all(writes);
      return { count: failed.reduce((sum, n) => sum + n, 0), error: lastError };
    },
  };
}

/** The `timeMarginMs` option, checked (shared by every consumer factory). */
export function timeMarginOf(options: Pick<ConsumerOptions, "timeMarginMs">): number {
  const timeMarginMs = options.timeMarginMs ?? DEFAULT_TIME_MARGIN_MS;
  if (!Number.isFinite(timeMarginMs) || timeMarginMs < 0) {
    throw new RangeError(`timeMarginMs must be a number of milliseconds of at least 0, got ${String(timeMarginMs)}.`);
  }
  return timeMarginMs;
}
