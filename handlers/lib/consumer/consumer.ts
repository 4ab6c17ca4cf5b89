/**
 * The Lambda handler factory for Kinesis consumers with a per-record function: decode → process in key
 * order → partial batch response, with one summary line (log + metrics) per batch.
 */
import { processInKeyOrder } from "./ordered";
import { consumerRuntime, type KinesisConsumerHandler } from "./runtime";
import type { ConsumerOptions, RecordProcessor } from "./types";

/** Default number of partition keys processed at once. */
export const DEFAULT_CONCURRENCY = 10;

/**
 * Builds the Lambda handler of a Kinesis consumer around a per-record function.
 *
 * - Each record's `data` is base64-decoded; KPL aggregates are de-aggregated into their user records.
 * - Records of one partition key run strictly one after another in sequence order; different keys run
 *   concurrently, up to `concurrency` at once. A key's later records are never attempted after that key
 *   failed. Other keys go on after a failure when an idempotency store remembers what they completed (the
 *   redelivery skips them); with `idempotency: "none"` no record at or after the lowest failed Kinesis
 *   record is started (Lambda will redeliver them anyway).
 * - Poison records (the processor threw `PermanentRecordError`, or the record failed `maxRecordAttempts`
 *   times) are written alone to the on-failure queue and acknowledged with `poisonRecords: "isolate"` (the
 *   default), so nothing waits behind them; with `"block"` they fail like any other record.
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
 * import { createKinesisConsumer, PermanentRecordError } from "kinesis-ingest/consumer";
 *
 * export const handler = createKinesisConsumer(async (record) => {
 *   const order = parseOrder(record.data); // throws PermanentRecordError for data that is not an order
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
  const concurrency = concurrencyOf(options);
  return consumerRuntime(options, ({ batch, context, hasTimeLeft, completedBefore, complete, settle, remembers }) =>
    processInKeyOrder(
      batch.records,
      batch.parentIndex,
      async (record, ctx) => {
        if (completedBefore(record)) return;
        await processRecord(record, ctx);
        complete(record);
      },
      concurrency,
      context,
      hasTimeLeft,
      { settle, continueAfterFailure: remembers },
    ),
  );
}

/** The `concurrency` option, checked (shared by every consumer factory that runs work in parallel). */
export function concurrencyOf(options: Pick<ConsumerOptions, "concurrency">): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer of at least 1, got ${String(concurrency)}.`);
  }
  return concurrency;
}
