/**
 * The Lambda handler factory for Kinesis consumers: decode → process in key order → partial batch response,
 * with one summary line (log + metrics) per batch.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { decodeKinesisEvent } from "./decode";
import { processInKeyOrder } from "./ordered";
import { batchResponse } from "./response";
import { telemetrySink, writeBatchSummary, writeRecordFailure } from "./telemetry";
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
 * - One JSON line per batch on stdout is both the log summary and the CloudWatch EMF metrics `Records`,
 *   `FailedRecords`, `SkippedRecords` and `MaxRecordAgeMs` (age of the oldest record when the batch arrived);
 *   each failed record gets an `error` line with its sequence number, partition key and error.
 * - When the Lambda context reports less than `timeMarginMs` left, no further record is started; the first
 *   of those is reported like a failure, so the work done is checkpointed instead of lost to a timeout.
 * - The handler itself only throws for an event it cannot read, which fails the whole batch.
 *
 * **Handlers must be idempotent.** Delivery is at-least-once: Lambda retries and bisects batches, a timeout
 * retries a whole batch, a redrive replays it, and records of other keys that succeeded after the lowest
 * failure are delivered again with the retry. Make the side effect conditional on
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
  const timeMarginMs = options.timeMarginMs ?? DEFAULT_TIME_MARGIN_MS;
  if (!Number.isFinite(timeMarginMs) || timeMarginMs < 0) {
    throw new RangeError(`timeMarginMs must be a number of milliseconds of at least 0, got ${String(timeMarginMs)}.`);
  }
  const sink = telemetrySink(
    options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? "kinesis-consumer",
    options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? "kinesis-ingest",
    options.writeLine ?? ((line) => void process.stdout.write(line + "\n")),
    options.now ?? Date.now,
  );

  return async (event, context) => {
    const startedAt = sink.now();
    if (!Array.isArray(event?.Records)) {
      throw new TypeError("The event has no Records array; a Kinesis event source mapping sends { Records: [...] }.");
    }
    const batch = decodeKinesisEvent(event);
    // A context without the clock (a hand-made one in a local run) never runs out of time.
    const remaining = typeof context?.getRemainingTimeInMillis === "function" ? context : undefined;
    const hasTimeLeft = (): boolean => remaining === undefined || remaining.getRemainingTimeInMillis() > timeMarginMs;
    const outcome = await processInKeyOrder(batch.records, batch.parentIndex, processRecord, concurrency, context, hasTimeLeft);
    const awsRequestId = context?.awsRequestId;
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
      firstFailedSequenceNumber: response.batchItemFailures[0]?.itemIdentifier,
      maxRecordAgeMs: maxRecordAgeMs(event, startedAt),
      durationMs: sink.now() - startedAt,
    });
    return response;
  };
}

/** Age of the oldest record when the batch arrived, in ms (0 for an empty batch or a clock behind Kinesis). */
export function maxRecordAgeMs(event: KinesisStreamEvent, now: number): number {
  let oldest = Infinity;
  for (const record of event.Records) oldest = Math.min(oldest, record.kinesis.approximateArrivalTimestamp);
  return oldest === Infinity ? 0 : Math.max(0, Math.round(now - oldest * 1000));
}
