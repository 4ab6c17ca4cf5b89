/**
 * The `memory` idempotency store: completed keys in this execution environment's memory, bounded in count
 * and in time. It costs nothing and covers every redelivery that reaches the same warm container (the
 * retries of a batch after a partial failure, which is where nearly all duplicates come from).
 */
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS, type IdempotencyStore, type RecordHistory } from "./store";

/** Default number of keys kept: about 17 MB of heap (measured ≈ 330 bytes a key of a 56-digit sequence number). */
const DEFAULT_MEMORY_MAX_KEYS = 50_000;

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryStoreOptions {
  /** Keys kept; the oldest completion is forgotten first. @default 50000 */
  readonly maxKeys?: number;
  /** How long a completion is remembered. @default 90000 (25 h) */
  readonly ttlSeconds?: number;
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * Completed keys in a Map kept in completion order, so eviction drops the oldest first; failure counts of
 * keys not completed in a second Map, bounded the same way.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly expiresAt = new Map<string, number>();
  private readonly failures = new Map<string, { attempts: number; expiresAt: number }>();
  private readonly maxKeys: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MEMORY_MAX_KEYS;
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1)
      throw new RangeError(`maxKeys must be an integer of at least 1, got ${String(this.maxKeys)}.`);
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
      throw new RangeError(`ttlSeconds must be an integer of at least 1, got ${String(ttlSeconds)}.`);
    this.ttlMs = ttlSeconds * 1000;
    this.now = options.now ?? Date.now;
  }

  /** How many keys are held (expired ones included until they are looked up or evicted). */
  get size(): number {
    return this.expiresAt.size;
  }

  async lookup(keys: readonly string[]): Promise<RecordHistory> {
    const completed = this.completedNow(keys);
    return { completed, failedAttempts: this.failedAttemptsNow(keys.filter((key) => !completed.has(key))) };
  }

  /** The completed keys among `keys` (a convenience over {@link lookup}). */
  async completed(keys: readonly string[]): Promise<ReadonlySet<string>> {
    return this.completedNow(keys);
  }

  /** The failure counts of `keys` that failed and have not expired. */
  failedAttemptsNow(keys: readonly string[]): Map<string, number> {
    const now = this.now();
    const found = new Map<string, number>();
    for (const key of keys) {
      const failure = this.failures.get(key);
      if (failure === undefined) continue;
      if (failure.expiresAt > now) found.set(key, failure.attempts);
      else this.failures.delete(key);
    }
    return found;
  }

  async recordFailures(attempts: ReadonlyMap<string, number>): Promise<void> {
    const expiresAt = this.now() + this.ttlMs;
    for (const [key, count] of attempts) {
      this.failures.delete(key);
      this.failures.set(key, { attempts: count, expiresAt });
    }
    evictOldest(this.failures, this.maxKeys);
  }

  /** {@link completed} without the promise: the DynamoDB store consults its cache with it. */
  completedNow(keys: readonly string[]): Set<string> {
    const now = this.now();
    const found = new Set<string>();
    for (const key of keys) {
      const expiry = this.expiresAt.get(key);
      if (expiry === undefined) continue;
      if (expiry > now) found.add(key);
      else this.expiresAt.delete(key);
    }
    return found;
  }

  async complete(keys: readonly string[]): Promise<void> {
    this.remember(keys, this.now() + this.ttlMs);
  }

  /** Records `keys` as completed until `expiresAtMs`. */
  remember(keys: readonly string[], expiresAtMs: number): void {
    for (const key of keys) {
      this.expiresAt.delete(key); // re-inserted at the end: the newest completion
      this.expiresAt.set(key, expiresAtMs);
      this.failures.delete(key);
    }
    evictOldest(this.expiresAt, this.maxKeys);
  }
}

/** Drops the first-inserted entries of `map` until it holds at most `maxKeys`. */
function evictOldest(map: Map<string, unknown>, maxKeys: number): void {
  for (const key of map.keys()) {
    if (map.size <= maxKeys) break;
    map.delete(key);
  }
}
