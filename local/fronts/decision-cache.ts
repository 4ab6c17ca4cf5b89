/**
 * A Lambda authorizer's answers kept by identity while their TTL runs, as API Gateway and AppSync cache them
 * (`api.authorizerCacheSeconds`): a hit skips the authorizer, a TTL of 0 caches nothing. One home for the
 * local fronts' caches (http-api.ts, rest-api.ts, appsync-auth.ts), whose cached values differ.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly until: number }>();

  /** @param now the clock (tests pass their own). */
  constructor(private readonly now: () => number = Date.now) {}

  /** The fresh answer for `identity` (wrapped: a cached refusal may be `undefined`), else undefined. */
  get(identity: string): { readonly value: T } | undefined {
    const entry = this.entries.get(identity);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry;
    this.entries.delete(identity);
    return undefined;
  }

  /** Keeps `value` for `ttlMs` milliseconds; nothing when `ttlMs` is 0. */
  set(identity: string, value: T, ttlMs: number): void {
    if (ttlMs > 0) this.entries.set(identity, { value, until: this.now() + ttlMs });
  }
}
