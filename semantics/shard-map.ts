/**
 * Which open shard a record lands on: the shard whose inclusive hash key range holds the record's hash
 * (docs/aws-semantics.md#partition-keys-and-shards). The ranges come from ListShards.
 */
import { randomBytes } from "node:crypto";
import { isOpenShard, listShards, type ListShardsCall } from "./list-shards";
import { entryHash } from "./partition-key";

/** One open shard and its hash key range (inclusive). */
interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The open shards of a stream, sorted by hash key range. */
export class ShardMap {
  private readonly ranges: readonly ShardRange[];

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
   * A partition key for a record that has none: 16 random bytes in base64url (22 characters), the form the
   * ingest API draws (docs/aws-semantics.md#partition-keys-and-shards). MD5 spreads random keys evenly over
   * the hash key space, so keyless records land on each shard in proportion to its range, as through the
   * API; and distinct keys let a consumer's per-key ordering and parallelization lanes spread them too,
   * where one fixed key per shard would serialise every keyless record of a shard behind one key.
   */
  nextKey(): string {
    return randomBytes(16).toString("base64url");
  }

  private rangeOf(hash: bigint): ShardRange | undefined {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.ranges[middle].startingHashKey <= hash) low = middle;
      else high = middle - 1;
    }
    const range = this.ranges[low];
    return range !== undefined && hash >= range.startingHashKey && hash <= range.endingHashKey ? range : undefined;
  }
}
