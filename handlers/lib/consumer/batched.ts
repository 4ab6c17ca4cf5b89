/**
 * The Lambda handler factory for consumers that deliver through a batch API: records are cut into requests
 * (see `../chunks.ts`), each request answers for its records one by one, and the answers become the same partial
 * batch response, idempotency records and summary line as the per-record runtime's.
 */
import type { Context } from "aws-lambda";
import { concurrencyOf } from "./consumer";
import { checkChunkLimits, planChunks, type ChunkLimits } from "../chunks";
import type { BatchOutcome, RecordFailure } from "./ordered";
import { consumerRuntime, type BatchRun, type KinesisConsumerHandler } from "./runtime";
import { ConsumerError } from "./errors";
import { PermanentRecordError } from "./poison";
import type { ConsumerOptions, ConsumerRecord } from "./types";

/** A target's answer to one request: which of its records (by position in the request) it did not take. */
export interface ChunkAnswer {
  readonly failed: ReadonlyArray<{ readonly index: number; readonly error: unknown }>;
}

/**
 * Delivers one request's records (in sequence order) to the target. Resolve with nothing when the target
 * took every record; with a {@link ChunkAnswer} naming the records it refused; throw when the request as a
 * whole failed, which fails every record of it.
 */
export type ChunkProcessor = (records: readonly ConsumerRecord[], context: Context | undefined) => Promise<ChunkAnswer | void>;

/** Options of {@link createBatchedConsumer}: the consumer runtime's, and the bounds of the target's requests. */
export interface BatchedConsumerOptions extends ConsumerOptions, ChunkLimits {
  /**
   * A record's share of a request's `maxBytes` (the entry as the target counts it).
   * @default the record's data length
   */
  readonly sizeOf?: (record: ConsumerRecord) => number;
  /**
   * Ends a request between two consecutive records even though both bounds would allow more.
   * @default never
   */
  readonly splitBetween?: (previous: ConsumerRecord, next: ConsumerRecord) => boolean;
}

/** A record larger than one request of the target may be: it can never be delivered, so it is poison. */
export class OversizeRecordError extends PermanentRecordError {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `The record is ${bytes} bytes as the target counts it, over the limit of ${maxBytes} bytes per request; it cannot be delivered.`,
      {
        logFields: { recordBytes: bytes, maxBytes },
      },
    );
  }
}

/**
 * Builds a Kinesis consumer that delivers through a batch API.
 *
 * - Records not completed before (idempotency) are cut, in sequence order, into requests of at most
 *   `maxRecords` records and `maxBytes` bytes; a record over `maxBytes` is poison ({@link OversizeRecordError}).
 * - Up to `concurrency` requests are in flight at once, but never two holding the same partition key: a
 *   key's records reach the target in sequence order, one request after the other.
 * - A record the target refused fails, or is isolated when it is poison (the target refused it with a
 *   `PermanentRecordError`, or it failed `maxRecordAttempts` times); a request refused for good as a whole is
 *   sent again one record a request. After a failure the key's later records are not sent; other keys' are
 *   when an idempotency store remembers them (the retry skips them), and with `idempotency: "none"` no
 *   record at or after the lowest failed Kinesis record is (Lambda redelivers them).
 * - When less than `timeMarginMs` is left, no further request starts (the first record not sent is reported
 *   as deferred), except that the first request always goes, so every invocation makes progress.
 *
 * Within one request the target decides the order in which it applies records; a target that refuses a
 * record but applies a later one of the same key has seen them out of order (the retry delivers only the
 * refused one).
 */
export function createBatchedConsumer(deliver: ChunkProcessor, options: BatchedConsumerOptions): KinesisConsumerHandler {
  const concurrency = concurrencyOf(options);
  const limits: ChunkLimits = { maxRecords: options.maxRecords, maxBytes: options.maxBytes };
  checkChunkLimits(limits); // when the handler is built, not on the first batch
  const sizeOf = options.sizeOf ?? ((record: ConsumerRecord) => record.data.length);
  const plan: ChunkPlan = { limits, sizeOf, splitBetween: options.splitBetween ?? (() => false) };
  return consumerRuntime(options, (run) => deliverInChunks(run, deliver, plan, concurrency));
}

/** How a batch's records are cut into requests. */
interface ChunkPlan {
  readonly limits: ChunkLimits;
  readonly sizeOf: (record: ConsumerRecord) => number;
  readonly splitBetween: (previous: ConsumerRecord, next: ConsumerRecord) => boolean;
}

async function deliverInChunks(run: BatchRun, deliver: ChunkProcessor, plan: ChunkPlan, concurrency: number): Promise<BatchOutcome> {
  const { records, parentIndex } = run.batch;
  const { limits } = plan;
  const pending: number[] = [];
  for (let i = 0; i < records.length; i++) if (!run.completedBefore(records[i]!)) pending.push(i);
  const chunks = planChunks(
    pending,
    (i) => plan.sizeOf(records[i]!),
    limits,
    (a, b) => plan.splitBetween(records[a]!, records[b]!),
  );

  const failures: RecordFailure[] = [];
  const deferred: number[] = [];
  /** Keys with a record that failed (not isolated): their later records wait for the redelivery. */
  const failedKeys = new Set<string>();
  let firstFailedParent = Infinity;
  let attempted = 0;
  const keyOf = (i: number): string => records[i]!.partitionKey;
  // Without a store, nothing at or after the lowest failure is sent: the retry would deliver it again.
  const sendable = (i: number): boolean => !failedKeys.has(keyOf(i)) && (run.remembers || parentIndex[i]! < firstFailedParent);
  const fail = async (index: number, error: unknown): Promise<void> => {
    if (await run.settle(records[index]!, error)) return;
    failures.push({ index, error });
    failedKeys.add(keyOf(index));
    firstFailedParent = Math.min(firstFailedParent, parentIndex[index]!);
  };
  const send = async (indices: readonly number[]): Promise<void> => {
    const sent = indices.map((i) => records[i]!);
    let refused: Map<number, unknown>;
    try {
      refused = refusedRecords(await deliver(sent, run.context), sent.length);
    } catch (error) {
      if (error instanceof PermanentRecordError && indices.length > 1) {
        // Refused for good as a whole: sent again one record a request, so only the records refused alone are poison.
        for (const index of indices) if (sendable(index)) await send([index]);
        return;
      }
      for (const index of indices) await fail(index, error);
      return;
    }
    for (let j = 0; j < indices.length; j++) {
      if (refused.has(j)) await fail(indices[j]!, refused.get(j));
      else run.complete(sent[j]!);
    }
  };

  const inFlight = new Set<Promise<void>>();
  const keyHolder = new Map<string, Promise<void>>();
  for (const chunk of chunks) {
    const keys = chunk.kind === "request" ? [...new Set(chunk.indices.map(keyOf))] : [];
    while (inFlight.size >= concurrency || keys.some((key) => keyHolder.has(key))) await Promise.race(inFlight);
    const indices = (chunk.kind === "request" ? chunk.indices : [chunk.index]).filter(sendable);
    if (indices.length === 0) continue;
    if (attempted > 0 && !run.hasTimeLeft()) {
      deferred.push(indices[0]!);
      firstFailedParent = Math.min(firstFailedParent, parentIndex[indices[0]!]!);
      break;
    }
    attempted += indices.length;
    if (chunk.kind === "oversize") {
      // It can never be delivered: poison, isolated alone or failed, and the batch goes on as after any failure.
      await fail(chunk.index, new OversizeRecordError(chunk.bytes, limits.maxBytes));
      continue;
    }
    const request: Promise<void> = send(indices).finally(() => {
      inFlight.delete(request);
      for (const key of keys) if (keyHolder.get(key) === request) keyHolder.delete(key);
    });
    inFlight.add(request);
    for (const key of keys) keyHolder.set(key, request);
  }
  await Promise.all(inFlight);
  return { failures, deferred, skipped: pending.length - attempted, firstFailedParent };
}

/** The refused positions of an answer; an answer naming a position the request did not have is a bug, and fails it all. */
function refusedRecords(answer: ChunkAnswer | void, count: number): Map<number, unknown> {
  const refused = new Map<number, unknown>();
  for (const { index, error } of answer?.failed ?? []) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new ConsumerError(`The target's answer names record ${String(index)} of a request of ${count} records.`);
    }
    refused.set(index, error);
  }
  return refused;
}
