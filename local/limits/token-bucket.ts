/**
 * A token bucket on an injectable clock: the building block of the Kinesis limits layer. Tokens refill
 * continuously at `ratePerSecond` up to `capacity`; a shard's "1,000 records per second" is a bucket of
 * 1,000 tokens refilling at 1,000 a second.
 */

/** Milliseconds since some fixed origin; `Date.now` in production, a fake in tests. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  /**
   * @param ratePerSecond tokens added per second
   * @param capacity most tokens the bucket holds (the burst); it starts full
   * @param clock time source in milliseconds
   */
  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = capacity;
    this.refilledAt = clock();
  }

  /** Tokens available now (negative while a charged debt is being repaid). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `n` tokens if that many are available; otherwise takes none and returns false. */
  tryTake(n: number): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /**
   * Takes `n` tokens unconditionally, possibly going into debt: for costs known only after the fact, such
   * as the bytes a GetRecords call returned. Kinesis answers the next calls with a throttle until the debt
   * is repaid.
   */
  charge(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  /** Gives back `n` tokens taken by a `tryTake` whose other half failed (never above capacity). */
  refund(n: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + n);
  }

  private refill(): void {
    const now = this.clock();
    const elapsedMs = now - this.refilledAt;
    if (elapsedMs <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.refilledAt = now;
  }
}
