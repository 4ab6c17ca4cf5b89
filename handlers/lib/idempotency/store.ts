/**
 * What the consumer runtime asks of an idempotency store: which records of a batch completed before and how
 * often the others failed, that the records this batch processed are now complete, and that others failed
 * once more (the count that makes a record poison, see semantics/poison-records.ts). Records are named by
 * their idempotency key (`shardId:sequenceNumber:subSequenceNumber`).
 */
import { ConsumerError } from "../consumer/errors";

/** The per-consumer setting `idempotency`: where completed records are remembered, or `none`. */
export type IdempotencyMode = "memory" | "dynamodb" | "none";

/** The idempotency table's key attribute (type S: the idempotency key); the program declares the table with it. */
export const IDEMPOTENCY_KEY_ATTRIBUTE = "id";
/** The idempotency table's TTL attribute (type N, epoch seconds). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = "expiresAt";
/** Present (type N) on the item of a record that failed and has not completed: how many times it failed. */
export const IDEMPOTENCY_FAILURES_ATTRIBUTE = "failedAttempts";

/** The stores' common default time a completion is remembered: the stream's default retention (24 h) plus 1 h. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 25 * 3600;

/** What a store knows of a batch's records. */
export interface RecordHistory {
  /** The keys that were completed and have not expired. */
  readonly completed: ReadonlySet<string>;
  /** For keys not completed: how many times they failed (a key that never failed is absent). */
  readonly failedAttempts: ReadonlyMap<string, number>;
}

/**
 * A store of completed records. There is no in-progress state: the runtime only ever records a record after
 * its processor resolved (or after it was isolated as poison), so a record that fails, times out or is never
 * reached stays absent and is processed when it comes again.
 */
export interface IdempotencyStore {
  /**
   * What is known of `keys`. Rejects when the store cannot answer for every key: the runtime then fails the
   * whole batch, so nothing is processed and nothing is skipped.
   */
  lookup(keys: readonly string[]): Promise<RecordHistory>;
  /** Remembers `keys` as completed. Rejects when some could not be recorded (they may then be processed again). */
  complete(keys: readonly string[]): Promise<void>;
  /**
   * Remembers how many times each key has failed, this failure included. Rejects when some could not be
   * recorded (those records then need more failures before they count as poison).
   */
  recordFailures(attempts: ReadonlyMap<string, number>): Promise<void>;
  /**
   * When set, the runtime hands completions over in chunks of this many while the batch is still running, so
   * a remote store's writes overlap the processing instead of following it. @default all at the batch's end
   */
  readonly completionChunk?: number;
}

/** The store could not answer or record: it names how many keys were left and why. */
export class IdempotencyStoreError extends ConsumerError {}
