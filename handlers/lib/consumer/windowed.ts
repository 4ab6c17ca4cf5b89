/**
 * The Lambda handler factory for Kinesis consumers behind a tumbling window (`tumblingWindowSeconds > 0`):
 * a fold of the window's records into a state that Lambda carries from one invocation to the next, and a
 * last call with the window's result (docs/aws-semantics.md#tumbling-windows).
 */
import type { Context, KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from "aws-lambda";
import { MAX_WINDOW_STATE_BYTES } from "../../../semantics/tumbling-window";
import { maxRecordAgeMs, timeMarginOf } from "./runtime";
import { ConsumerError, InvalidEventError } from "./errors";
import { decodeKinesisEvent } from "./decode";
import { consumerTelemetry, writeBatchSummary, writeRecordFailure } from "./telemetry";
import type { ConsumerOptions, ConsumerRecord } from "./types";

/** The window an invocation belongs to, as the event names it. */
export interface WindowInfo {
  /** ISO-8601 start (inclusive) and end (exclusive) of the window, e.g. `2020-12-09T07:04:00Z`. */
  readonly start: string;
  readonly end: string;
  /** The shard whose records were aggregated (one state per shard and window). */
  readonly shardId: string | undefined;
  /**
   * True when Lambda ended the window before its end because the state outgrew 1 MB: `state` then holds the
   * records aggregated so far, and the same window goes on with a fresh state (`initialState()`), so
   * `onWindowEnd` is called again for it later. Sum partial results downstream, keyed by `start` and shard.
   */
  readonly terminatedEarly: boolean;
}

/** What {@link createWindowedConsumer} needs: how to start, grow and finish a window's state. */
export interface WindowedConsumerOptions<S> extends Omit<ConsumerOptions, "concurrency"> {
  /** The state of a window before its first record; called once per window and shard. */
  readonly initialState: () => S;
  /**
   * Adds one user record to the state and returns the new state (it may update `state` in place and return
   * it). Throw to fail the record, before changing `state`: the invocation then returns the state of the
   * records before it, and Lambda delivers the batch again from that record.
   */
  readonly reduce: (state: S, record: ConsumerRecord, context: Context | undefined) => S | Promise<S>;
  /**
   * Called once with the window's final state (the invocation Lambda flags `isFinalInvokeForWindow`).
   * Throw to have Lambda retry it: the shard waits until it succeeds. Must be idempotent (key the write by
   * `window.start` and `window.shardId`): a retry after a timeout calls it again.
   */
  readonly onWindowEnd: (state: S, window: WindowInfo, context: Context | undefined) => Promise<unknown> | unknown;
}

/** The event behind a tumbling window: Lambda also sends `shardId` and `eventSourceARN` at the top level. */
export type KinesisWindowedEvent = KinesisStreamTumblingWindowEvent & { readonly shardId?: string; readonly eventSourceARN?: string };

/** A Lambda handler for a Kinesis mapping with a tumbling window and `ReportBatchItemFailures`. */
export type WindowedConsumerHandler = (event: KinesisWindowedEvent, context?: Context) => Promise<KinesisStreamStateResponse>;

/** The state as it travels through Lambda: the user's state under one key, so a fresh window's `{}` is told apart. */
const STATE_KEY = "aggregate";

/** A returned state Lambda would not keep (over 1 MB once serialised). */
export class WindowStateTooLargeError extends ConsumerError {
  constructor(readonly bytes: number) {
    super(
      `The window state is ${bytes} bytes as JSON; Lambda keeps at most ${MAX_WINDOW_STATE_BYTES} bytes per shard. ` +
        "Keep the state bounded (counts, sums, top-N) or shorten the consumer's tumblingWindowSeconds.",
    );
  }
}

/**
 * Builds the Lambda handler of a windowed Kinesis consumer: Lambda requires every response of a mapping with
 * `TumblingWindowInSeconds` to carry `state`, and counts a response without it as a failed invocation.
 *
 * - Each invocation starts from the state Lambda sends (`initialState()` at a window's first invocation),
 *   reduces the batch's user records in sequence order (KPL aggregates de-aggregated), and returns
 *   `{ state, batchItemFailures }`. The state must survive `JSON.stringify` / `JSON.parse`.
 * - When `reduce` throws, no later record is reduced: the response names that record in
 *   `batchItemFailures` and carries the state of the records before it, so Lambda retries from the failed
 *   record with a state that counted every earlier one exactly once. Records not started because the
 *   context ran short of `timeMarginMs` are reported the same way.
 * - The final invocation (`isFinalInvokeForWindow`) calls `onWindowEnd(state, window)` after reducing any
 *   records it carries; if it throws, the handler throws and Lambda retries it until it succeeds.
 * - A state over 1 MB fails the invocation with a {@link WindowStateTooLargeError} instead of being returned.
 * - One summary line per invocation (log + EMF metrics), as {@link createKinesisConsumer} writes.
 *
 * @example
 * ```ts
 * import { createWindowedConsumer } from "./lib/consumer";
 *
 * // Orders per customer per window; the totals are written once per window and shard.
 * export const handler = createWindowedConsumer<Record<string, number>>({
 *   initialState: () => ({}),
 *   reduce: (counts, record) => {
 *     const { customer } = JSON.parse(record.data.toString("utf8")) as { customer: string };
 *     counts[customer] = (counts[customer] ?? 0) + 1;
 *     return counts;
 *   },
 *   onWindowEnd: async (counts, window) => {
 *     // Idempotent: the same window and shard always write the same item.
 *     await ddb.send(new PutItemCommand({ TableName: "order-counts", Item: {
 *       pk: { S: `${window.shardId}:${window.start}` }, counts: { S: JSON.stringify(counts) },
 *     } }));
 *   },
 * });
 * ```
 */
export function createWindowedConsumer<S>(options: WindowedConsumerOptions<S>): WindowedConsumerHandler {
  const timeMarginMs = timeMarginOf(options);
  const sink = consumerTelemetry(options);

  return async (event, context) => {
    const startedAt = sink.now();
    if (!Array.isArray(event?.Records) || typeof event.window?.start !== "string") {
      throw new InvalidEventError(
        "The event is not a tumbling-window Kinesis event ({ Records: [...], window: {start, end}, state }); is the mapping's tumblingWindowSeconds set?",
      );
    }
    const batch = decodeKinesisEvent(event);
    const carried = event.state;
    let state = carried !== undefined && Object.hasOwn(carried, STATE_KEY) ? (carried[STATE_KEY] as S) : options.initialState();
    const remaining = typeof context?.getRemainingTimeInMillis === "function" ? context : undefined;
    let stoppedAt: number | undefined;
    let failed = 0;
    // The state before the current KPL aggregate: a retry redelivers a failed aggregate whole.
    let beforeAggregate: S | undefined;
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i]!;
      const startsParent = i === 0 || batch.parentIndex[i - 1] !== batch.parentIndex[i];
      // The first record is always attempted, so every invocation makes progress; an aggregate is never cut.
      if (i > 0 && startsParent && remaining !== undefined && remaining.getRemainingTimeInMillis() <= timeMarginMs) {
        stoppedAt = i;
        break;
      }
      if (startsParent) beforeAggregate = record.aggregated ? structuredClone(state) : undefined;
      try {
        state = await options.reduce(state, record, context);
      } catch (error) {
        writeRecordFailure(sink, record, error, context?.awsRequestId);
        failed = 1;
        stoppedAt = i;
        if (beforeAggregate !== undefined) state = beforeAggregate;
        break;
      }
    }
    const shardId = event.shardId ?? batch.records[0]?.shardId;
    const complete = stoppedAt === undefined;
    // A failed or deferred record means the window is not complete yet: the final call waits for the retry.
    if (event.isFinalInvokeForWindow && complete) {
      await options.onWindowEnd(
        state,
        { start: event.window.start, end: event.window.end, shardId, terminatedEarly: event.isWindowTerminatedEarly === true },
        context,
      );
    }
    // After the final invocation Lambda drops the state; it still needs a `state` property.
    const wireState = event.isFinalInvokeForWindow && complete ? {} : { [STATE_KEY]: state };
    const bytes = Buffer.byteLength(JSON.stringify(wireState));
    if (bytes > MAX_WINDOW_STATE_BYTES) throw new WindowStateTooLargeError(bytes);
    // One entry: the Kinesis record of the first user record not reduced. Lambda redelivers from it.
    const firstFailed = stoppedAt === undefined ? undefined : event.Records[batch.parentIndex[stoppedAt]!]!.kinesis.sequenceNumber;
    writeBatchSummary(sink, {
      // No idempotency store: a retried batch's records were reduced into a state Lambda discarded, so
      // they must be reduced again, never skipped.
      skippedDuplicates: 0,
      // A window's reduce stops at the first failure and keeps the window's order: nothing is isolated.
      isolated: 0,
      shardId,
      awsRequestId: context?.awsRequestId,
      kinesisRecords: event.Records.length,
      aggregatedRecords: batch.aggregatedCount,
      records: batch.records.length,
      failed,
      deferred: !complete && failed === 0 ? 1 : 0,
      skipped: stoppedAt === undefined ? 0 : batch.records.length - stoppedAt - failed,
      firstFailedSequenceNumber: firstFailed,
      maxRecordAgeMs: maxRecordAgeMs(event, startedAt),
      durationMs: sink.now() - startedAt,
    });
    return { state: wireState, batchItemFailures: firstFailed === undefined ? [] : [{ itemIdentifier: firstFailed }] };
  };
}
