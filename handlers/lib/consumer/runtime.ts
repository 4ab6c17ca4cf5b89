/**
 * What every per-batch consumer factory shares: decode the event, ask the idempotency store which records
 * completed before, run a delivery strategy, record the new completions, and answer with the partial batch
 * response and one summary line.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { idempotencyStoreFromEnv } from "../idempotency/from-env";
import type { IdempotencyStore } from "../idempotency/store";
import { decodeKinesisEvent, type DecodedBatch } from "./decode";
import type { BatchOutcome } from "./ordered";
import { batchResponse } from "./response";
import { consumerTelemetry, writeBatchSummary, writeRecordFailure, writeStoreReadFailure, writeStoreWriteFailure } from "./telemetry";
import type { ConsumerOptions, ConsumerRecord } from "./types";

/** A Lambda handler for a Kinesis event source mapping with `FunctionResponseTypes: ["ReportBatchItemFailures"]`. */
export type KinesisConsumerHandler = (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse>;

/** Default time kept in reserve at the end of an invocation. */
export const DEFAULT_TIME_MARGIN_MS = 1_000;

/** What a delivery strategy gets for one batch. */
export interface BatchRun {
  readonly batch: DecodedBatch;
  readonly context: Context | undefined;
  /** Whether a record may still be started (false once less than the time margin is left). */
  readonly hasTimeLeft: () => boolean;
  /**
   * True when the store says the record completed in an earlier delivery: the strategy then acknowledges it
   * without processing it (and the runtime counts it as a skipped duplicate).
   */
  readonly completedBefore: (record: ConsumerRecord) => boolean;
  /** Records that the record was processed, so a redelivery skips it. Never call it for a failed record. */
  readonly complete: (record: ConsumerRecord) => void;
  /** Whether completions are remembered (an idempotency store is on): a redelivery then skips what `complete` named. */
  readonly remembers: boolean;
}

/** Processes one decoded batch and says which records failed, were deferred or never attempted. */
export type DeliveryStrategy = (run: BatchRun) => Promise<BatchOutcome>;

/**
 * The handler around `strategy`. A lookup in the store that fails throws (Lambda retries the batch, nothing
 * was processed); a completion write that fails is logged and the batch is still acknowledged (its records
 * were processed; they risk being processed again only if they are delivered again).
 */
export function consumerRuntime(options: ConsumerOptions, strategy: DeliveryStrategy): KinesisConsumerHandler {
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
    let completed: ReadonlySet<string> = NONE;
    if (store !== undefined && batch.records.length > 0) {
      try {
        completed = await store.completed(batch.records.map((record) => record.idempotencyKey));
      } catch (error) {
        writeStoreReadFailure(sink, batch.records.length, error, awsRequestId);
        throw error;
      }
    }
    const completions = completionWriter(store);
    let skippedDuplicates = 0;
    const outcome = await strategy({
      batch,
      context,
      hasTimeLeft,
      completedBefore: (record) => {
        if (!completed.has(record.idempotencyKey)) return false;
        skippedDuplicates++;
        return true;
      },
      complete: (record) => completions.add(record.idempotencyKey),
      remembers: store !== undefined,
    });
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
      if (store === undefined) return;
      pending.push(key);
      if (store.completionChunk !== undefined && pending.length >= store.completionChunk) {
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
