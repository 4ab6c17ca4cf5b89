/**
 * The shard maps of the proxied streams (semantics/shard-map.ts), cached per stream and refreshed after
 * resharding, so each write can be charged to the shard it lands on.
 */
import type { ListShardsCall } from "../../semantics/list-shards";
import { ShardMap } from "../../semantics/shard-map";

/** Shard maps per stream, fetched on first use and kept for `ttlMs` or until `invalidate`. */
export class ShardDirectory {
  private readonly cache = new Map<string, { readonly map: Promise<ShardMap>; readonly fetchedAt: number }>();

  constructor(
    private readonly listShards: ListShardsCall,
    private readonly ttlMs = 2000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The current shard map of `streamName`. Rejects when the stream cannot be listed (e.g. it does not exist). */
  mapOf(streamName: string): Promise<ShardMap> {
    const cached = this.cache.get(streamName);
    if (cached && this.clock() - cached.fetchedAt < this.ttlMs) return cached.map;
    const map = ShardMap.load(this.listShards, streamName);
    this.cache.set(streamName, { map, fetchedAt: this.clock() });
    map.catch(() => this.cache.delete(streamName));
    return map;
  }

  /** Forgets the cached map, e.g. after SplitShard, MergeShards or UpdateShardCount. */
  invalidate(streamName: string): void {
    this.cache.delete(streamName);
  }
}
