/**
 * What the consumer runtime asks of an idempotency store: which records of a batch completed before, and
 * that the records this batch processed are now complete. Records are named by their idempotency key
 * (`shardId:sequenceNumber:subSequenceNumber`).
 */

/** The per-consumer setting `idempotency`: where completed records are remembered, or `none`. */
export type IdempotencyMode = "memory" | "dynamodb" | "none";

/** The idempotency table's key attribute (type S: the idempotency key); the program declares the table with it. */
export const IDEMPOTENCY_KEY_ATTRIBUTE = "id";
/** The idempotency table's TTL attribute (type N, epoch seconds). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = "expiresAt";

/** The stores' common default time a completion is remembered: the stream's default retention (24 h) plus 1 h. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 25 * 3600;

/**
 * A store of completed records. There is no in-progress state: the runtime only ever records a record after
 * its processor resolved, so a record that fails, times out or is never reached stays absent and is
 * processed when it comes again.
 */
export interface IdempotencyStore {
  /**
   * The keys among `keys` that were completed and have not expired. Rejects when the store cannot answer
   * for every key: the runtime then fails the whole batch, so nothing is processed and nothing is skipped.
   */
  completed(keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** Remembers `keys` as completed. Rejects when some could not be recorded (they may then be processed again). */
  complete(keys: readonly string[]): Promise<void>;
  /**
   * When set, the runtime hands completions over in chunks of this many while the batch is still running, so
   * a remote store's writes overlap the processing instead of following it. @default all at the batch's end
   */
  readonly completionChunk?: number;
}

/** The store could not answer or record: it names how many keys were left and why. */
export class IdempotencyStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IdempotencyStoreError";
  }
}
