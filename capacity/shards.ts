/**
 * Shards a provisioned stream needs, from the per-shard limits (semantics/limits.ts): writes 1 MiB/s and
 * 1,000 records/s, reads 2 MiB/s shared by every GetRecords reader, or 2 MiB/s for each enhanced fan-out
 * consumer. With KPL aggregation, records travel packed up to 1 MiB a Kinesis record, so the record-count
 * limit no longer binds and bytes alone decide (the aggregate's few bytes of framing per record ignored).
 */
import { SHARD_READ_LIMITS, SHARD_WRITE_LIMITS } from "../semantics/limits";
import type { Readers, Traffic } from "./types";

/** The shard count and what each limit alone would need, at the peak. */
export interface ShardNeed {
  /** Unaggregated records: the largest of the three, at least 1. */
  readonly shards: number;
  readonly forWriteBytes: number;
  readonly forWriteRecords: number;
  readonly forReads: number;
  /** With KPL aggregation: bytes only. */
  readonly aggregatedShards: number;
}

/** Bytes per second written at the peak. */
export function peakBytesPerSecond(traffic: Traffic): number {
  return traffic.peak * traffic.recordBytes;
}

/** The shards `traffic` needs with `readers`. */
export function shardsFor(traffic: Traffic, readers: Readers): ShardNeed {
  const bytes = peakBytesPerSecond(traffic);
  const forWriteBytes = Math.ceil(bytes / SHARD_WRITE_LIMITS.bytesPerSecond);
  const forWriteRecords = Math.ceil(traffic.peak / SHARD_WRITE_LIMITS.recordsPerSecond);
  const forReads = Math.ceil((bytes * sharedReaders(readers)) / SHARD_READ_LIMITS.bytesPerSecond);
  return {
    shards: Math.max(1, forWriteBytes, forWriteRecords, forReads),
    forWriteBytes,
    forWriteRecords,
    forReads,
    aggregatedShards: Math.max(1, forWriteBytes, forReads),
  };
}

/**
 * How many 2 MiB/s read budgets one shard's data must fill: every shared reader takes from the same budget;
 * enhanced fan-out consumers each have their own, so one budget's worth is what each needs.
 */
function sharedReaders(readers: Readers): number {
  if (readers.consumers === 0) return 0;
  return readers.efo ? 1 : readers.consumers;
}
