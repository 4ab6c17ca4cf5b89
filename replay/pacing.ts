/**
 * Pacing: the Kinesis read limits per shard (5 GetRecords calls/s, 2 MiB/s) and the operator's `--rate`
 * cap in records/s across all shards. Pacing ourselves keeps throttling errors the exception, not the rule.
 */
import { sleep } from "../semantics/backoff";
import { SHARD_READ_LIMITS } from "../semantics/limits";

/** One shard's read budget: spaces GetRecords calls and pays back the bytes each call returned. */
export class ShardReadPacer {
  private nextCallAt = 0;
  private bytesFreeAt = 0;

  constructor(private readonly limits: { callsPerSecond: number; bytesPerSecond: number } = SHARD_READ_LIMITS) {}

  /** Waits until this shard may issue its next GetRecords call, and books the call. */
  async beforeCall(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextCallAt, this.bytesFreeAt);
    this.nextCallAt = at + 1000 / this.limits.callsPerSecond;
    await sleep(at - now);
  }

  /** Books the bytes a call returned: the shard's next call waits until they fit in 2 MiB/s. */
  afterCall(bytes: number): void {
    this.bytesFreeAt = Math.max(this.bytesFreeAt, Date.now()) + (bytes * 1000) / this.limits.bytesPerSecond;
  }
}

/** A records/s cap shared by all shards (`--rate`); `undefined` rate means no cap. */
export class RecordRateLimiter {
  private nextFreeAt = 0;

  constructor(private readonly recordsPerSecond?: number) {}

  /** Waits until `count` more records may be delivered. */
  async acquire(count: number): Promise<void> {
    if (!this.recordsPerSecond || count === 0) return;
    const now = Date.now();
    const at = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = at + (count * 1000) / this.recordsPerSecond;
    await sleep(at - now);
  }
}
