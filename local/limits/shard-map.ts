/**
 * Which shard a record lands on: Kinesis hashes the partition key with MD5 into a 128-bit integer (or takes
 * the ExplicitHashKey) and picks the open shard whose hash key range holds it. The ranges come from
 * ListShards, cached per stream and refreshed after resharding.
 */
import { createHash } from "node:crypto";

/** An open shard and its inclusive hash key range. */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The 128-bit hash Kinesis uses for a partition key. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash("md5").update(partitionKey, "utf8").digest("hex")}`);
}

/** The open shards of one stream, sorted by hash range. */
export class ShardMap {
  private readonly ranges: readonly ShardRange[];

  constructor(ranges: readonly ShardRange[]) {
    this.ranges = [...ranges].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
  }

  /**
   * The shard a record with this partition key (or explicit hash key) is written to; undefined when no open
   * shard holds it or the explicit hash key is not a decimal integer (the emulator then names the problem).
   */
  shardFor(partitionKey: string, explicitHashKey?: string): string | undefined {
    if (explicitHashKey !== undefined && !/^\d{1,39}$/.test(explicitHashKey)) return undefined;
    const hash = explicitHashKey === undefined ? partitionKeyHash(partitionKey) : BigInt(explicitHashKey);
    return this.ranges.find((r) => hash >= r.startingHashKey && hash <= r.endingHashKey)?.shardId;
  }
}

/** A ListShards page, as the Kinesis JSON API returns it. */
export interface ListShardsPage {
  readonly Shards?: ReadonlyArray<{
    readonly ShardId: string;
    readonly HashKeyRange: { readonly StartingHashKey: string; readonly EndingHashKey: string };
    readonly SequenceNumberRange: { readonly EndingSequenceNumber?: string | null };
  }>;
  readonly NextToken?: string | null;
}

/** Calls ListShards: with `StreamName` for the first page, `NextToken` for the next ones. */
export type ListShards = (request: { StreamName?: string; NextToken?: string }) => Promise<ListShardsPage>;

/** Shard maps per stream, fetched on first use and kept for `ttlMs` or until `invalidate`. */
export class ShardDirectory {
  private readonly cache = new Map<string, { readonly map: Promise<ShardMap>; readonly fetchedAt: number }>();

  constructor(
    private readonly listShards: ListShards,
    private readonly ttlMs = 2000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The current shard map of `streamName`. Rejects when the stream cannot be listed (e.g. it does not exist). */
  mapOf(streamName: string): Promise<ShardMap> {
    const cached = this.cache.get(streamName);
    if (cached && this.clock() - cached.fetchedAt < this.ttlMs) return cached.map;
    const map = this.fetch(streamName);
    this.cache.set(streamName, { map, fetchedAt: this.clock() });
    map.catch(() => this.cache.delete(streamName));
    return map;
  }

  /** Forgets the cached map, e.g. after SplitShard, MergeShards or UpdateShardCount. */
  invalidate(streamName: string): void {
    this.cache.delete(streamName);
  }

  private async fetch(streamName: string): Promise<ShardMap> {
    const ranges: ShardRange[] = [];
    let page = await this.listShards({ StreamName: streamName });
    for (;;) {
      for (const shard of page.Shards ?? []) {
        // closed by resharding; kinesis-local writes an open shard's ending as null, kinesalite leaves it out
        if (shard.SequenceNumberRange.EndingSequenceNumber != null) continue;
        ranges.push({
          shardId: shard.ShardId,
          startingHashKey: BigInt(shard.HashKeyRange.StartingHashKey),
          endingHashKey: BigInt(shard.HashKeyRange.EndingHashKey),
        });
      }
      if (!page.NextToken) return new ShardMap(ranges);
      page = await this.listShards({ NextToken: page.NextToken });
    }
  }
}
