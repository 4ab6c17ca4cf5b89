/**
 * Shard iterators are opaque, so the limits proxy remembers which shard each iterator it handed out
 * belongs to (from GetShardIterator and from each GetRecords' NextShardIterator). Bounded: iterators
 * expire after 5 minutes in Kinesis anyway, and the oldest entries are forgotten first.
 */

/** A shard of a stream. */
export interface ShardRef {
  readonly stream: string;
  readonly shardId: string;
}

export class IteratorShards {
  private readonly shards = new Map<string, ShardRef>();

  constructor(private readonly capacity = 100_000) {}

  remember(iterator: string, shard: ShardRef): void {
    this.shards.set(iterator, shard);
    if (this.shards.size > this.capacity) {
      const oldest = this.shards.keys().next().value;
      if (oldest !== undefined) this.shards.delete(oldest);
    }
  }

  /** The shard `iterator` reads, if the proxy handed it out. */
  shardOf(iterator: string): ShardRef | undefined {
    return this.shards.get(iterator);
  }
}
