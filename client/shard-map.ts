/**
 * Which open shard a partition key lands on: MD5(partitionKey) as a 128-bit integer, against the shards'
 * HashKeyRange (the Kinesis rule), from ListShards. Shards that a split or merge closed are left out.
 */
import { ListShardsCommand, type KinesisClient, type Shard } from "@aws-sdk/client-kinesis";
import { partitionKeyHash } from "./record";

/** One open shard and its hash key range (inclusive). */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The open shards of a stream, sorted by hash key range. */
export class ShardMap {
  private readonly ranges: ShardRange[];
  private readonly keys = new Map<string, string>();
  private nextShard = 0;

  constructor(ranges: readonly ShardRange[]) {
    if (ranges.length === 0) throw new Error("A stream must have at least one open shard.");
    this.ranges = [...ranges].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
  }

  /** Reads the stream's open shards (every ListShards page). */
  static async load(client: KinesisClient, streamName: string): Promise<ShardMap> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(nextToken === undefined ? new ListShardsCommand({ StreamName: streamName }) : new ListShardsCommand({ NextToken: nextToken }));
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    const open = shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined);
    return new ShardMap(
      open.map((shard) => ({
        shardId: shard.ShardId!,
        startingHashKey: BigInt(shard.HashKeyRange!.StartingHashKey!),
        endingHashKey: BigInt(shard.HashKeyRange!.EndingHashKey!),
      })),
    );
  }

  get shards(): readonly ShardRange[] {
    return this.ranges;
  }

  /** The open shard whose range holds `hash` (binary search). */
  shardFor(hash: bigint): ShardRange {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.ranges[middle].startingHashKey <= hash) low = middle;
      else high = middle - 1;
    }
    return this.ranges[low];
  }

  /**
   * A partition key for a record that has none: each call picks the next shard in turn and returns a key
   * that hashes into it, so keyless records spread evenly and, aggregated, share one key table entry.
   */
  nextKey(): string {
    const shard = this.ranges[this.nextShard];
    this.nextShard = (this.nextShard + 1) % this.ranges.length;
    let key = this.keys.get(shard.shardId);
    for (let attempt = 0; key === undefined; attempt++) {
      const candidate = `k${attempt}`;
      const hash = partitionKeyHash(candidate);
      if (hash >= shard.startingHashKey && hash <= shard.endingHashKey) key = candidate;
    }
    this.keys.set(shard.shardId, key);
    return key;
  }
}
