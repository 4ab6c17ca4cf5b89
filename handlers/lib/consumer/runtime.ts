/**
 * What every per-batch consumer factory shares: decode the event, ask the idempotency store which records
 * completed before, run a delivery strategy, record the new completions, and answer with the partial batch
 * response and one summary line.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { CONTROL_MEMBER, type ConsumerControl, type ReportedBatchResponse } from "../../../semantics/consumer-report";
import { idempotencyStoreFromEnv } from "../idempotency/from-env";
import type { IdempotencyStore, RecordHistory } from "../idempotency/store";
import { BatchLedger, type RecordBook } from "./batch-ledger";
import { decodeKinesisEvent, type DecodedBatch } from "./decode";
import { InvalidEventError } from "./errors";
import type { BatchOutcome } from "./ordered";
import { poisonPolicyOf } from "./poison";
import { batchResponse } from "./response";
import { consumerTelemetry, writeBatchSummary, writeRecordFailure, writeStoreReadFailure, writeStoreWriteFailure } from "./telemetry";
import type { ConsumerOptions } from "./types";

/** A Lambda handler for a Kinesis event source mapping with `FunctionResponseTypes: ["ReportBatchItemFailures"]`. */
export type KinesisConsumerHandler = (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse>;

/** Default time kept in reserve at the end of an invocation. */
export const DEFAULT_TIME_MARGIN_MS = 1_000;

/** What a delivery strategy gets for one batch: the records, the clock, and the batch's book. */
export interface BatchRun extends RecordBook {
  readonly batch: DecodedBatch;
  readonly context: Context | undefined;
  /** Whether a record may still be started (false once less than the time margin is left). */
  readonly hasTimeLeft: () => boolean;
}

/** Processes one decoded batch and says which records failed, were deferred or never attempted. */
export type DeliveryStrategy = (run: BatchRun) => Promise<BatchOutcome>;

/**
 * The handler around `strategy`. A lookup in the store that fails throws (Lambda retries the batch, nothing
 * was processed); a completion write that fails is logged and the batch is still acknowledged (its records
 * were processed; they risk being processed again only if they are delivered again). Poison records are
 * isolated or fail as `poisonRecords` says (poison.ts). A tool's request in the event (semantics/consumer-report.ts)
 * may ask to run completed records again and for a report of each record.
 */
export function consumerRuntime(options: ConsumerOptions, strategy: DeliveryStrategy): KinesisConsumerHandler {
  const timeMarginMs = timeMarginOf(options);
  const sink = consumerTelemetry(options);
  const store: IdempotencyStore | undefined =
    options.idempotency === "none" ? undefined : (options.idempotency ?? idempotencyStoreFromEnv(process.env));
  const policy = poisonPolicyOf(options, process.env, store !== undefined);

  return async (event, context) => {
    const startedAt = sink.now();
    if (!Array.isArray(event?.Records)) {
      throw new InvalidEventError("The event has no Records array; a Kinesis event source mapping sends { Records: [...] }.");
    }
    const control = controlOf(event);
    const batch = decodeKinesisEvent(event);
    // A context without the clock (a hand-made one in a local run) never runs out of time.
    const remaining = typeof context?.getRemainingTimeInMillis === "function" ? context : undefined;
    const hasTimeLeft = (): boolean => remaining === undefined || remaining.getRemainingTimeInMillis() > timeMarginMs;
    const awsRequestId = context?.awsRequestId;
    let history: RecordHistory = NOTHING_KNOWN;
    if (store !== undefined && batch.records.length > 0) {
      try {
        history = await store.lookup(batch.records.map((record) => record.idempotencyKey));
      } catch (error) {
        writeStoreReadFailure(sink, batch.records.length, error, awsRequestId);
        throw error;
      }
    }
    const reprocess = control.reprocess === true ? true : control.reprocess === undefined ? undefined : new Set(control.reprocess);
    const ledger = new BatchLedger({ store, history, policy, reprocess, context, sink });
    const outcome = await strategy({
      batch,
      context,
      hasTimeLeft,
      completedBefore: ledger.completedBefore,
      complete: ledger.complete,
      settle: ledger.settle,
      remembers: ledger.remembers,
    });
    const unrecorded = await ledger.finish();
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
      isolated: ledger.isolated,
      deferred: outcome.deferred.length,
      skipped: outcome.skipped,
      skippedDuplicates: ledger.skippedDuplicates,
      firstFailedSequenceNumber: response.batchItemFailures[0]?.itemIdentifier,
      maxRecordAgeMs: maxRecordAgeMs(event, startedAt),
      durationMs: sink.now() - startedAt,
    });
    if (control.report !== true) return response;
    const reported: ReportedBatchResponse = { ...response, kinesisIngest: { records: ledger.report(batch.records) } };
    return reported as unknown as KinesisStreamBatchResponse;
  };
}

const NOTHING_KNOWN: RecordHistory = { completed: new Set(), failedAttempts: new Map() };

/** The tool's request in the event, checked: an event source mapping never sends one. */
function controlOf(event: KinesisStreamEvent): ConsumerControl {
  const control = (event as unknown as Record<string, unknown>)[CONTROL_MEMBER];
  if (control === undefined) return {};
  const { report, reprocess } = (control ?? {}) as Record<string, unknown>;
  const keys = Array.isArray(reprocess) && reprocess.every((key) => typeof key === "string");
  if (
    typeof control !== "object" ||
    (report !== undefined && typeof report !== "boolean") ||
    !(reprocess === undefined || reprocess === true || keys)
  ) {
    throw new InvalidEventError(`The event's ${CONTROL_MEMBER} must be {"report"?: boolean, "reprocess"?: true | [idempotency keys]}.`);
  }
  return control as ConsumerControl;
}

/** Age of the oldest record when the batch arrived, in ms (0 for an empty batch or a clock behind Kinesis). */
export function maxRecordAgeMs(event: KinesisStreamEvent, now: number): number {
  let oldest = Infinity;
  for (const record of event.Records) oldest = Math.min(oldest, record.kinesis.approximateArrivalTimestamp);
  return oldest === Infinity ? 0 : Math.max(0, Math.round(now - oldest * 1000));
}

/** The `timeMarginMs` option, checked (shared by every consumer factory). */
export function timeMarginOf(options: Pick<ConsumerOptions, "timeMarginMs">): number {
  const timeMarginMs = options.timeMarginMs ?? DEFAULT_TIME_MARGIN_MS;
  if (!Number.isFinite(timeMarginMs) || timeMarginMs < 0) {
    throw new RangeError(`timeMarginMs must be a number of milliseconds of at least 0, got ${String(timeMarginMs)}.`);
  }
  return timeMarginMs;
}
