/**
 * What both producers share: the bounded buffer, per-record deadlines, the retry loop (exponential backoff
 * with full jitter, `Retry-After` honoured, only the records that failed are retried), and the counters.
 * Subclasses decide where a record is queued and how one attempt sends a batch.
 */
import { BufferBudget } from "./capacity";
import { PRODUCER_DEFAULTS } from "./producer-defaults";
import { RECORD_SIZE_KIB } from "../semantics/large-records";
import { backoffDelay, sleep, type BackoffOptions } from "../semantics/backoff";
import { LatencyHistogram } from "./latency";
import { encodeRecord, type EncodedRecord } from "./record";
import { ProducerClosedError, ProducerError, RecordDeadlineError } from "./errors";
import type { BatchQueue, Sized } from "./batch-queue";
import type { Producer, ProducerRecord, ProducerStats, PutResult } from "./types";

/** Settings every producer has. */
export interface BatchingProducerOptions {
  /** Records accepted and not yet settled before `put` waits. @default 10000 */
  readonly maxBufferedRecords?: number;
  /** Bytes accepted and not yet settled before `put` waits. @default 64 MiB */
  readonly maxBufferedBytes?: number;
  /** A record not stored this long after `put()` fails with `RecordDeadlineError`. @default 60000 */
  readonly recordTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /**
   * The stream's maximum record size in KiB (its `stream.maxRecordSizeKiB`, 1024 to 10240): a larger record is
   * refused at `put()`. @default 1024 (Kinesis's default 1 MiB)
   */
  readonly maxRecordSizeKiB?: number;
}

/** A record on its way: what was put, when, and how to settle its promise. */
export interface PendingRecord extends Sized {
  readonly encoded: EncodedRecord;
  /** The partition key sent (the caller's, or one derived for it). */
  readonly partitionKey: string | undefined;
  readonly startedAt: number;
  readonly deadline: number;
  attempts: number;
  lastError: string;
  /** Set once the record's promise is settled, so nothing settles it twice. */
  done: boolean;
  readonly resolve: (result: PutResult) => void;
  readonly reject: (error: Error) => void;
}

/** One attempt's outcome for the records still unsettled after it; the attempt settles the others itself. */
export interface AttemptOutcome<P extends PendingRecord> {
  readonly retry: P[];
  /** The server's `Retry-After`, in ms. */
  readonly retryAfterMs?: number;
}

export abstract class BatchingProducer<P extends PendingRecord> implements Producer {
  private readonly budget: BufferBudget;
  private readonly latency = new LatencyHistogram();
  private readonly recordTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly maxRecordBytes: number;
  private closed = false;
  private counters = { sent: 0, sentBytes: 0, retried: 0, failed: 0, pending: 0, requests: 0 };

  protected constructor(options: BatchingProducerOptions) {
    this.budget = new BufferBudget(options.maxBufferedRecords ?? 10_000, options.maxBufferedBytes ?? 64 * 1024 * 1024);
    this.recordTimeoutMs = options.recordTimeoutMs ?? PRODUCER_DEFAULTS.recordTimeoutMs;
    this.backoff = options.backoff ?? {};
    this.maxRecordBytes = checkedRecordSizeKiB(options.maxRecordSizeKiB) * 1024;
  }

  /** Queues the new pending record (extended with what the subclass needs to send it) on the right queue. */
  protected abstract enqueue(pending: PendingRecord, record: ProducerRecord): void;
  /** Every queue, for `flush()`. */
  protected abstract allQueues(): Iterable<BatchQueue<P>>;
  /** Releases connections after the final flush. */
  protected abstract release(): Promise<void>;
  /** The partition key to send for a record without one (undefined: let the server derive it). */
  protected abstract derivePartitionKey(): string | undefined;

  async put(record: ProducerRecord): Promise<PutResult> {
    if (this.closed) throw new ProducerClosedError();
    let encoded: EncodedRecord;
    try {
      encoded = encodeRecord(record, this.maxRecordBytes);
    } catch (error) {
      this.counters.failed += 1;
      throw error;
    }
    await this.budget.acquire(encoded.size);
    this.counters.pending += 1;
    const startedAt = Date.now();
    return new Promise<PutResult>((resolve, reject) => {
      this.enqueue(
        {
          encoded,
          partitionKey: encoded.partitionKey ?? this.derivePartitionKey(),
          size: encoded.size,
          startedAt,
          deadline: startedAt + this.recordTimeoutMs,
          attempts: 0,
          lastError: "",
          done: false,
          resolve,
          reject,
        },
        record,
      );
    });
  }

  ready(): Promise<void> {
    return this.budget.ready();
  }

  async flush(): Promise<void> {
    await Promise.all([...this.allQueues()].map((queue) => queue.flush()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    for (const queue of this.allQueues()) queue.close();
    await this.release();
  }

  stats(): ProducerStats {
    const latencyMs = { p50: this.latency.percentile(0.5), p90: this.latency.percentile(0.9), p99: this.latency.percentile(0.99) };
    return { ...this.counters, latencyMs };
  }

  protected succeed(pending: P, result: PutResult): void {
    if (pending.done) return;
    this.counters.sent += 1;
    this.counters.sentBytes += pending.size;
    this.settled(pending);
    pending.resolve(result);
  }

  protected fail(pending: P, error: ProducerError): void {
    if (pending.done) return;
    this.counters.failed += 1;
    this.settled(pending);
    pending.reject(error);
  }

  /** Counts one request (HTTP call or PutRecords call). */
  protected countRequest(): void {
    this.counters.requests += 1;
  }

  /**
   * Runs `attempt` on the batch, then again on exactly the records it returns for retry, after a full-jitter
   * backoff (at least `Retry-After` when the server sent one), until none is left or their deadlines pass.
   */
  protected async sendWithRetries(batch: P[], attempt: (records: P[]) => Promise<AttemptOutcome<P>>): Promise<void> {
    let remaining = batch;
    for (let retry = 0; remaining.length > 0; retry++) {
      for (const pending of remaining) pending.attempts += 1;
      const outcome = await attempt(remaining);
      if (outcome.retry.length === 0) return;
      const jitter = backoffDelay(retry, this.backoff);
      const delay = outcome.retryAfterMs === undefined ? jitter : outcome.retryAfterMs + backoffDelay(0, this.backoff);
      const wakeAt = Date.now() + delay;
      remaining = [];
      for (const pending of outcome.retry) {
        if (wakeAt >= pending.deadline)
          this.fail(pending, new RecordDeadlineError(pending.attempts, pending.lastError, this.recordTimeoutMs));
        else remaining.push(pending);
      }
      this.counters.retried += remaining.length;
      if (remaining.length > 0) await sleep(delay);
    }
  }

  /** Settles every record of a batch whose send threw unexpectedly, so no `put()` promise hangs. */
  protected failBatch(batch: P[], error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    for (const pending of batch) this.fail(pending, new ProducerError(`Sending the record failed unexpectedly: ${message}`));
  }

  private settled(pending: P): void {
    pending.done = true;
    this.counters.pending -= 1;
    this.latency.record(Date.now() - pending.startedAt);
    this.budget.release(pending.size);
  }
}

/** `maxRecordSizeKiB`, or 1024 when not given; @throws RangeError outside Kinesis's 1024–10240 KiB. */
function checkedRecordSizeKiB(kib: number | undefined): number {
  if (kib === undefined) return RECORD_SIZE_KIB.default;
  if (!Number.isInteger(kib) || kib < RECORD_SIZE_KIB.min || kib > RECORD_SIZE_KIB.max)
    throw new RangeError(`maxRecordSizeKiB must be an integer from ${RECORD_SIZE_KIB.min} to ${RECORD_SIZE_KIB.max} (KiB), got ${kib}.`);
  return kib;
}
