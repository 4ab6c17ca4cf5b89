/**
 * What a stream's capacity mode gives it beyond the per-shard limits of `limits.ts`
 * (docs/aws-semantics.md#kinesis-capacity-modes-and-prices; Kinesis developer guide, "Quotas and limits" and
 * "Choose the right mode"): an on-demand stream's write throughput, and the account's default shard quota.
 */
import { MIB } from "./limits";

/** The Regions where on-demand streams reach 10 GB/s and accounts start with 20,000 shards. */
const LARGE_REGIONS: readonly string[] = ["us-east-1", "us-west-2", "eu-west-1"];

/**
 * A new on-demand stream writes 4 MB/s (and 4,000 records/s, its four shards' worth); it then adapts to
 * twice its peak of the last 30 days, so a jump beyond twice the previous peak throttles until it scales
 * (On-demand Advantage's warm throughput sets the capacity ahead instead).
 */
export const ON_DEMAND_INITIAL_WRITE = { bytesPerSecond: 4 * MIB, recordsPerSecond: 4000 } as const;

/** The most an on-demand stream writes in `region` by default: 10 GB/s in the large Regions, 200 MB/s elsewhere. */
export function onDemandMaxWriteBytesPerSecond(region: string): number {
  return LARGE_REGIONS.includes(region) ? 10 * 1024 * MIB : 200 * MIB;
}

/**
 * The account's default shard quota in `region`: 20,000 in the large Regions; elsewhere "1,000 or 6,000"
 * (the guide does not say which Region has which), so the lower.
 */
export function defaultShardQuota(region: string): number {
  return LARGE_REGIONS.includes(region) ? 20_000 : 1000;
}
