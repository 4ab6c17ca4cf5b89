/**
 * Client-side pacing per shard (as the KPL's `RateLimit` does): a token bucket for records and one for
 * bytes, each holding one second of the shard's write limit, so the producer sends at the shard's rate
 * instead of overshooting and paying for throttles with backoff.
 */
import { sleep } from "../semantics/backoff";
import { SHARD_WRITE_LIMITS } from "../semantics/limits";

/** A shard's write limits (docs/aws-semantics.md#kinesis-data-streams-limits: 1,000 records/s and 1 MiB/s). */
export interface ShardRate {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** The default pace: Kinesis's own per-shard write limit. */
export const KINESIS_SHARD_WRITE_RATE: ShardRate = SHARD_WRITE_LIMITS;

/** Paces one shard's writes. */
export class ShardRateLimiter {
  private records: number;
  private bytes: number;
  private refilledAt = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly rate: ShardRate) {
    this.records = rate.recordsPerSecond;
    this.bytes = rate.bytesPerSecond;
  }

  /** Waits until `records` records of `bytes` bytes may be written, then takes them (callers served in order). */
  take(records: number, bytes: number): Promise<void> {
    const turn = this.queue.then(() => this.wait(Math.min(records, this.rate.recordsPerSecond), Math.min(bytes, this.rate.bytesPerSecond)));
    this.queue = turn;
    return turn;
  }

  private async wait(records: number, bytes: number): Promise<void> {
    for (;;) {
      this.refill();
      if (this.records >= records && this.bytes >= bytes) break;
      const short = Math.max((records - this.records) / this.rate.recordsPerSecond, (bytes - this.bytes) / this.rate.bytesPerSecond);
      await sleep(Math.ceil(short * 1000));
    }
    this.records -= records;
    this.bytes -= bytes;
  }

  private refill(): void {
    const now = Date.now();
    const seconds = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.records = Math.min(this.rate.recordsPerSecond, this.records + seconds * this.rate.recordsPerSecond);
    this.bytes = Math.min(this.rate.bytesPerSecond, this.bytes + seconds * this.rate.bytesPerSecond);
  }
}
