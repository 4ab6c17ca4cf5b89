/**
 * Takes one batch to completion under Lambda's Kinesis error-handling rules ("Retain discarded batch records
 * for a Kinesis Data Streams event source in Lambda" and "Configuring partial batch response", AWS Lambda
 * developer guide):
 * - records older than `maxRecordAgeSeconds` are discarded with condition RecordAgeExceeded;
 * - a function error, or a malformed batchItemFailures report, fails the whole batch: with bisect on a batch
 *   of two or more is split in two halves, each retried on its own, and splitting does not use the retry
 *   quota; otherwise the batch is retried up to `maxRetryAttempts` (-1: until its records are too old);
 * - a valid partial report checkpoints before the lowest reported record and retries from it; with bisect on
 *   the batch is bisected there and only the remaining records (from the reported one) are retried, as a new
 *   batch that uses no retry (a report naming the batch's first record is a plain retry);
 * - exhausted retries discard the (remaining) batch with condition RetryAttemptsExhausted;
 * - an invoke that never reached the function (throttled) is retried with backoff and never counted;
 * - with a tumbling window, the event carries the window and its state, and a response without a state fails
 *   the whole batch (see {@link ShardWindows}).
 * A discarded batch is described to the on-failure destination, then the shard moves on.
 */
import { randomUUID } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { backoffDelay, sleep } from "../../semantics/backoff";
import { readBatchItemFailures } from "../../semantics/batch-response";
import { kinesisEvent } from "../../semantics/lambda-event";
import type { OnFailureCondition } from "../../semantics/on-failure-record";
import { buildOnFailureRecord, sendOnFailureRecord, type LastResponse } from "./on-failure";
import type { MappingCounters } from "./stats";
import type { ShardWindows } from "./tumbling-window";
import type { InvokeFunction, InvokeResult, MappingSettings, ShardRecord } from "./types";

/** What the processor needs from its mapping. */
export interface BatchProcessorContext {
  readonly settings: MappingSettings;
  readonly reportBatchItemFailures: boolean;
  readonly invoke: InvokeFunction;
  readonly sqs: SQSClient;
  readonly dlqUrl?: string;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly counters: MappingCounters;
  readonly clock: () => number;
  readonly retryBaseDelayMs: number;
  /** Aborted when the mapping stops or is disabled: the batch is then left unfinished, to be read again. */
  readonly signal: AbortSignal;
  readonly onError?: (error: unknown, during: string) => void;
  /** The shard's tumbling windows, when the mapping has one. */
  readonly windows?: ShardWindows;
}

/** A run of a batch's records still to be delivered, with what it has been through. */
interface PendingRun {
  records: readonly ShardRecord[];
  /** Retries counted against `maxRetryAttempts`; halves of a split inherit their parent's count. */
  retries: number;
  /**
   * Invocations of this run since it became a batch of its own (the on-failure record's approximateInvokeCount:
   * the first attempt plus its retries). A split makes new batches, so halves start at 0.
   */
  invokeCount: number;
  /** The next invocation is a retry (counted in the stats when it happens). */
  retryDue?: boolean;
  lastResponse?: LastResponse;
}

/**
 * Delivers `records` (one batch, shard order) until each is processed or discarded, calling `onDone` with
 * every run that is finished, in order. Returns early, leaving the rest undone, when the context's signal aborts.
 */
export async function processBatch(
  records: readonly ShardRecord[],
  context: BatchProcessorContext,
  onDone: (records: readonly ShardRecord[]) => void,
): Promise<void> {
  const { settings, counters, signal } = context;
  const queue: PendingRun[] = [{ records, retries: 0, invokeCount: 0 }];
  let throttledAttempts = 0;

  while (queue.length > 0 && !signal.aborted) {
    const run = queue[0] as PendingRun;
    const expired = expiredPrefix(run.records, settings.maxRecordAgeSeconds, context.clock());
    if (expired > 0) {
      if (!(await discard(run, run.records.slice(0, expired), "RecordAgeExceeded", context))) return;
      onDone(run.records.slice(0, expired));
      run.records = run.records.slice(expired);
      if (run.records.length === 0) queue.shift();
      continue;
    }

    const { windows } = context;
    if (windows && !(await windows.enter(run.records))) return;
    const requestId = randomUUID();
    const last = run.records[run.records.length - 1] as ShardRecord;
    counters.setIteratorAge(last.shardId, context.clock() - last.arrivalMs);
    let result;
    try {
      result = await context.invoke(windows ? windows.eventFor(run.records) : kinesisEvent(run.records.map((record) => record.event)), {
        requestId,
      });
    } catch (error) {
      // Never reached the function (throttle, service error): not a retry attempt.
      context.onError?.(error, "invoking the function");
      await sleep(backoffDelay(throttledAttempts++, { baseMs: context.retryBaseDelayMs }), signal);
      continue;
    }
    throttledAttempts = 0;
    counters.invocations++;
    if (run.retryDue) counters.retries++;
    run.retryDue = false;
    counters.records += run.records.length;
    run.invokeCount++;
    run.lastResponse = { requestId, statusCode: result.statusCode ?? 200, functionError: result.functionError };

    let outcome = classifyResponse(result, run.records, context.reportBatchItemFailures);
    if (windows && (outcome.kind === "success" || outcome.kind === "partial")) {
      const verdict = await windows.accept(result.payload);
      if (signal.aborted) return;
      if (verdict.kind === "terminated-early") continue; // the same records again, in the window's fresh state
      if (verdict.kind === "invalid") outcome = { kind: "invalid-report", reason: verdict.reason };
    }
    if (outcome.kind === "success") {
      onDone(run.records);
      queue.shift();
      continue;
    }
    if (outcome.kind === "partial") {
      counters.batchItemFailures += outcome.reported;
      onDone(run.records.slice(0, outcome.firstFailedIndex));
      // With bisect on, the batch is bisected at the reported record and only the remaining records are
      // retried, as a batch of their own (no retry used); reported at its first record, it is a plain retry.
      const bisected = settings.bisectOnError && outcome.firstFailedIndex > 0;
      run.records = run.records.slice(outcome.firstFailedIndex);
      if (bisected) {
        counters.bisections++;
        run.invokeCount = 0;
        continue;
      }
    } else if (settings.bisectOnError && run.records.length > 1) {
      counters.bisections++;
      const half = Math.ceil(run.records.length / 2);
      queue.splice(
        0,
        1,
        { ...run, records: run.records.slice(0, half), invokeCount: 0 },
        { ...run, records: run.records.slice(half), invokeCount: 0 },
      );
      continue;
    }

    if (settings.maxRetryAttempts === -1 || run.retries < settings.maxRetryAttempts) {
      run.retries++;
      run.retryDue = true;
      await sleep(backoffDelay(run.retries - 1, { baseMs: context.retryBaseDelayMs }), signal);
      continue;
    }
    if (!(await discard(run, run.records, "RetryAttemptsExhausted", context))) return;
    onDone(run.records);
    queue.shift();
  }
}

/** What Lambda makes of one invocation's result: success, a function error, a partial failure, or a rejected report. */
type BatchOutcome =
  | { readonly kind: "success" }
  | { readonly kind: "function-error"; readonly functionError: string }
  | { readonly kind: "invalid-report"; readonly reason: string }
  | { readonly kind: "partial"; readonly firstFailedIndex: number; readonly reported: number };

/**
 * Classifies one invocation's result for `records` (the batch, in shard order). Without ReportBatchItemFailures
 * in FunctionResponseTypes Lambda ignores the response body.
 */
function classifyResponse(result: InvokeResult, records: readonly ShardRecord[], reportBatchItemFailures: boolean): BatchOutcome {
  if (result.functionError !== undefined) return { kind: "function-error", functionError: result.functionError };
  if (!reportBatchItemFailures) return { kind: "success" };
  const read = readBatchItemFailures(
    result.payload,
    records.map((record) => record.sequenceNumber),
  );
  return read.kind === "invalid" ? { kind: "invalid-report", reason: read.reason } : read;
}

/** How many leading records are older than the maximum age (arrival times rise along a shard). */
function expiredPrefix(records: readonly ShardRecord[], maxAgeSeconds: number, nowMs: number): number {
  if (maxAgeSeconds === -1) return 0;
  const oldestAllowed = nowMs - maxAgeSeconds * 1000;
  let count = 0;
  while (count < records.length && (records[count] as ShardRecord).arrivalMs < oldestAllowed) count++;
  return count;
}

/** Sends the on-failure record (when a destination is set); false when stopped before it was accepted. */
async function discard(
  run: PendingRun,
  records: readonly ShardRecord[],
  condition: OnFailureCondition,
  context: BatchProcessorContext,
): Promise<boolean> {
  if (context.dlqUrl !== undefined) {
    const record = buildOnFailureRecord({
      functionArn: context.functionArn,
      streamArn: context.streamArn,
      condition,
      approximateInvokeCount: run.invokeCount,
      lastResponse: run.lastResponse,
      records,
      nowMs: context.clock(),
      fallbackRequestId: randomUUID(),
    });
    if (!(await sendOnFailureRecord(context.sqs, context.dlqUrl, record, context.signal, context.onError))) return false;
  }
  context.counters.dlqRecords += records.length;
  return true;
}
