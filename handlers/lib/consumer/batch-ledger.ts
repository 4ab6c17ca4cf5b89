/**
 * One batch's book: what the store knew of its records, what happened to each of them (delivered, skipped,
 * isolated, failed), the completions and failure counts to write back, and the isolation of poison records.
 * The runtime hands its methods to the delivery strategy as the batch's {@link BatchRun}.
 */
import type { Context } from "aws-lambda";
import type { RecordOutcome, RecordReport } from "../../../semantics/consumer-report";
import type { IdempotencyStore, RecordHistory } from "../idempotency/store";
import { errorText, isolateRecord, poisonCondition, type PoisonPolicy } from "./poison";
import { writeIsolated, writeIsolationFailure, type TelemetrySink } from "./telemetry";
import type { ConsumerRecord } from "./types";

/** What a strategy may do with the batch's records. */
export interface RecordBook {
  /**
   * True when the store says the record completed in an earlier delivery (and no tool asked to run it again):
   * the strategy then acknowledges it without processing it.
   */
  readonly completedBefore: (record: ConsumerRecord) => boolean;
  /** Records that the record was processed, so a redelivery skips it. Never call it for a failed record. */
  readonly complete: (record: ConsumerRecord) => void;
  /**
   * Settles a record whose processing threw: resolves true when it was poison and has been isolated (it is
   * then acknowledged, and its key goes on), false when it fails (its key stops).
   */
  readonly settle: (record: ConsumerRecord, error: unknown) => Promise<boolean>;
  /** Whether completions are remembered (an idempotency store is on): a redelivery then skips what `complete` named. */
  readonly remembers: boolean;
}

interface Entry {
  outcome: RecordOutcome;
  reason?: string;
  onFailureMessageId?: string;
}

/** Everything the ledger needs besides the records. */
export interface LedgerInput {
  readonly store: IdempotencyStore | undefined;
  readonly history: RecordHistory;
  readonly policy: PoisonPolicy;
  /** `true`, or the idempotency keys a tool asked to run again although they completed before. */
  readonly reprocess: true | ReadonlySet<string> | undefined;
  readonly context: Context | undefined;
  readonly sink: TelemetrySink;
}

export class BatchLedger implements RecordBook {
  readonly remembers: boolean;
  private readonly entries = new Map<string, Entry>();
  private readonly failedAttempts = new Map<string, number>();
  private readonly completions: CompletionWriter;
  isolated = 0;
  skippedDuplicates = 0;

  constructor(private readonly input: LedgerInput) {
    this.remembers = input.store !== undefined;
    this.completions = new CompletionWriter(input.store);
  }

  readonly completedBefore = (record: ConsumerRecord): boolean => {
    const key = record.idempotencyKey;
    if (!this.input.history.completed.has(key)) return false;
    const { reprocess } = this.input;
    if (reprocess === true || reprocess?.has(key)) return false;
    this.skippedDuplicates++;
    this.entries.set(key, { outcome: "skipped" });
    return true;
  };

  readonly complete = (record: ConsumerRecord): void => {
    this.entries.set(record.idempotencyKey, { outcome: "delivered" });
    this.completions.add(record.idempotencyKey);
  };

  readonly settle = async (record: ConsumerRecord, error: unknown): Promise<boolean> => {
    const { store, history, policy, context, sink } = this.input;
    const key = record.idempotencyKey;
    const attempts = store === undefined ? undefined : (history.failedAttempts.get(key) ?? 0) + 1;
    const condition = poisonCondition(policy, error, attempts);
    if (condition !== undefined && policy.mode === "isolate") {
      if (policy.destination === undefined) {
        writeIsolationFailure(
          sink,
          record,
          condition,
          new Error("the function has no on-failure queue (ON_FAILURE_QUEUE_URL)"),
          context?.awsRequestId,
        );
      } else {
        try {
          const messageId = await isolateRecord(
            policy.destination,
            record,
            { condition, error, attempts: attempts ?? 1, now: sink.now() },
            context,
          );
          this.isolated++;
          // Remembered as done: a redelivery of the batch must not isolate it a second time; redrive asks for it again.
          this.completions.add(key);
          this.entries.set(key, { outcome: "isolated", reason: errorText(error), onFailureMessageId: messageId });
          writeIsolated(sink, record, { condition, messageId, error }, context?.awsRequestId);
          return true;
        } catch (writeError) {
          writeIsolationFailure(sink, record, condition, writeError, context?.awsRequestId);
        }
      }
    }
    if (attempts !== undefined) this.failedAttempts.set(key, attempts);
    this.entries.set(key, { outcome: "failed", reason: errorText(error) });
    return false;
  };

  /** Writes completions and failure counts; says how many could not be recorded, and why. */
  async finish(): Promise<{ count: number; error: unknown }> {
    const { store } = this.input;
    const failures =
      store === undefined || this.failedAttempts.size === 0
        ? Promise.resolve({ count: 0, error: undefined })
        : store.recordFailures(this.failedAttempts).then(
            () => ({ count: 0, error: undefined }),
            (error: unknown) => ({ count: this.failedAttempts.size, error }),
          );
    const [completions, failed] = await Promise.all([this.completions.finish(), failures]);
    return { count: completions.count + failed.count, error: completions.error ?? failed.error };
  }

  /** One report per user record, in batch order. */
  report(records: readonly ConsumerRecord[]): RecordReport[] {
    return records.map((record) => {
      const entry = this.entries.get(record.idempotencyKey) ?? { outcome: "not-attempted" };
      return { sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber, ...entry };
    });
  }
}

/**
 * Collects the keys of processed records and records them in the store: in the store's chunks as they fill
 * (a remote store's writes then overlap the batch), the rest when the batch ends. `finish` waits for every
 * write and says how many keys could not be recorded, and why.
 */
class CompletionWriter {
  private pending: string[] = [];
  private readonly writes: Array<Promise<number>> = [];
  private lastError: unknown;

  constructor(private readonly store: IdempotencyStore | undefined) {}

  add(key: string): void {
    if (this.store === undefined) return;
    this.pending.push(key);
    if (this.store.completionChunk !== undefined && this.pending.length >= this.store.completionChunk) this.flush();
  }

  async finish(): Promise<{ count: number; error: unknown }> {
    this.flush();
    const failed = await Promise.all(this.writes);
    return { count: failed.reduce((sum, n) => sum + n, 0), error: this.lastError };
  }

  private flush(): void {
    const keys = this.pending;
    this.pending = [];
    if (this.store === undefined || keys.length === 0) return;
    this.writes.push(
      this.store.complete(keys).then(
        () => 0,
        (error: unknown) => {
          this.lastError = error;
          return keys.length;
        },
      ),
    );
  }
}
