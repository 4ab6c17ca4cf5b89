/**
 * Per-shard throughput as Kinesis enforces it (Kinesis Data Streams developer guide, "Quotas and limits"):
 * writes 1 MiB/s or 1,000 records/s, partition keys counting toward the bytes; reads 5 GetRecords calls/s
 * and 2 MiB/s, where one large read makes the following calls fail until the shard's budget recovers.
 */
import { SHARD_READ_LIMITS, SHARD_WRITE_LIMITS } from "../../semantics/limits";
import { TokenBucket, systemClock, type Clock } from "./token-bucket";

/** The documented per-shard limits. */
export interface ShardLimits {
  readonly writeBytesPerSecond: number;
  readonly writeRecordsPerSecond: number;
  readonly readBytesPerSecond: number;
  readonly readCallsPerSecond: number;
  /**
   * Bytes a shard may write at once: a stream with a raised maximum record size bursts beyond 1 MiB/s to take a
   * large record, then refills at the sustained rate (Kinesis guide, "Handle large records"). @default writeBytesPerSecond
   */
  readonly writeBurstBytes?: number;
}

/** Kinesis's per-shard limits for a provisioned stream. */
export const KINESIS_SHARD_LIMITS: ShardLimits = {
  writeBytesPerSecond: SHARD_WRITE_LIMITS.bytesPerSecond,
  writeRecordsPerSecond: SHARD_WRITE_LIMITS.recordsPerSecond,
  readBytesPerSecond: SHARD_READ_LIMITS.bytesPerSecond,
  readCallsPerSecond: SHARD_READ_LIMITS.callsPerSecond,
};

/** One shard's four budgets. */
export class ShardThroughput {
  private readonly writeBytes: TokenBucket;
  private readonly writeRecords: TokenBucket;
  private readonly readBytes: TokenBucket;
  private readonly readCalls: TokenBucket;

  constructor(limits: ShardLimits = KINESIS_SHARD_LIMITS, clock: Clock = systemClock) {
    const burst = Math.max(limits.writeBytesPerSecond, limits.writeBurstBytes ?? 0);
    this.writeBytes = new TokenBucket(limits.writeBytesPerSecond, burst, clock);
    this.writeRecords = new TokenBucket(limits.writeRecordsPerSecond, limits.writeRecordsPerSecond, clock);
    this.readBytes = new TokenBucket(limits.readBytesPerSecond, limits.readBytesPerSecond, clock);
    this.readCalls = new TokenBucket(limits.readCallsPerSecond, limits.readCallsPerSecond, clock);
  }

  /** Admits one record of `bytes` (data plus partition key), or refuses it without using any budget. */
  tryWrite(bytes: number): boolean {
    if (!this.writeRecords.tryTake(1)) return false;
    if (this.writeBytes.tryTake(bytes)) return true;
    this.writeRecords.refund(1);
    return false;
  }

  /** Admits one GetRecords call if the call rate allows it and no earlier read left the byte budget in debt. */
  tryRead(): boolean {
    if (this.readBytes.available() <= 0) return false;
    return this.readCalls.tryTake(1);
  }

  /** Charges the bytes a GetRecords call returned, once they are known. */
  chargeRead(bytes: number): void {
    this.readBytes.charge(bytes);
  }
}

/** The throughput budgets of every shard seen, created on first use. */
export class ShardThroughputRegistry {
  private readonly shards = new Map<string, ShardThroughput>();

  constructor(
    private readonly limits: ShardLimits = KINESIS_SHARD_LIMITS,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The budgets of `shardId` in `streamName`. */
  of(streamName: string, shardId: string): ShardThroughput {
    const key = `${streamName}/${shardId}`;
    let shard = this.shards.get(key);
    if (!shard) {
      shard = new ShardThroughput(this.limits, this.clock);
      this.shards.set(key, shard);
    }
    return shard;
  }
}
