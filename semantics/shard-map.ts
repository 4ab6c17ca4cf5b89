/**
 * Which open shard a record lands on: the shard whose inclusive hash key range holds the record's hash
 * (docs/aws-semantics.md#partition-keys-and-shards). The ranges come from ListShards.
 */
import { randomBytes } from "node:crypto";
import { isOpenShard, listShards, type ListShardsCall } from "./list-shards";
import { entryHash, partitionKeyHash } from "./partition-key";

/** Random keys kept per shard for later turns; keys drawn beyond it are dropped (uneven hash ranges). */
const KEYS_KEPT_PER_SHARD = 64;

/** One open shard and its hash key range (inclusive). */
interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The open shards of a stream, sorted by hash key range. */
export class ShardMap {
  private readonly ranges: readonly ShardRange[];
  /** Unused random keys by shard id, drawn while looking for another shard's key. */
  private readonly spareKeys = new Map<string, string[]>();
  private nextShard = 0;

  constructor(ranges: readonly ShardRange[]) {
    this.ranges = [...ranges].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
  }

  /** Reads the stream's open shards (every ListShards page); shards a split or merge closed are left out. */
  static async load(call: ListShardsCall, streamName: string): Promise<ShardMap> {
    const open = (await listShards(call, streamName)).filter(isOpenShard);
    return new ShardMap(
      open.map((shard) => ({
        shardId: shard.ShardId!,
        startingHashKey: BigInt(shard.HashKeyRange!.StartingHashKey!),
        endingHashKey: BigInt(shard.HashKeyRange!.EndingHashKey!),
      })),
    );
  }

  /** The open shards, sorted by hash key range. */
  get shards(): readonly ShardRange[] {
    return this.ranges;
  }

  /**
   * The open shard whose range holds `hash` (binary search). Open shards cover the whole key space, so a
   * hash no range holds means the map is not a stream's: that throws.
   */
  shardFor(hash: bigint): ShardRange {
    const range = this.rangeOf(hash);
    if (range === undefined) throw new Error(`No open shard holds hash key ${hash}; the shard map covers ${this.ranges.length} range(s).`);
    return range;
  }

  /**
   * The shard a PutRecord(s) entry is written to; undefined when no open shard holds it or the explicit
   * hash key is not a decimal integer (Kinesis then names the problem itself).
   */
  shardOfEntry(partitionKey: string, explicitHashKey?: string): string | undefined {
    const hash = entryHash(partitionKey, explicitHashKey);
    return hash === undefined ? undefined : this.rangeOf(hash)?.shardId;
  }

  /**
   * A partition key for a record that has none: a fresh random key each call (16 random bytes in base64url,
   * the form the ingest API draws), for the next shard in turn, so keyless records spread exactly evenly
   * over the shards and, with distinct keys, over a consumer's per-key lanes too (one fixed key per shard
   * would serialise every keyless record of a shard behind one key). Random keys are drawn until one hashes
   * into the wanted shard; the others are kept for their own shards' turns, so a key costs about one MD5.
   */
  nextKey(): string {
    const shard = this.ranges[this.nextShard]!;
    this.nextShard = (this.nextShard + 1) % this.ranges.length;
    for (;;) {
      const spare = this.spareKeys.get(shard.shardId)?.pop();
      if (spare !== undefined) return spare;
      const key = randomBytes(16).toString("base64url");
      const owner = this.rangeOf(partitionKeyHash(key));
      if (owner === undefined || owner.shardId === shard.shardId) return key;
      const kept = this.spareKeys.get(owner.shardId) ?? [];
      if (kept.length < KEYS_KEPT_PER_SHARD) this.spareKeys.set(owner.shardId, [...kept, key]);
    }
  }

  private rangeOf(hash: bigint): ShardRange | undefined {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      // low < middle <= high: in range.
      if (this.ranges[middle]!.startingHashKey <= hash) low = middle;
      else high = middle - 1;
    }
    const range = this.ranges[low];
    return range !== undefined && hash >= range.startingHashKey && hash <= range.endingHashKey ? range : undefined;
  }
}
