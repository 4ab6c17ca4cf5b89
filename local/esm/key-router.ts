/**
 * Deals a shard's records into its lanes while keeping each partition key in order: a key that still has
 * records waiting or in flight stays on their lane; a key with none goes to the least-loaded lane. Order per
 * key holds (a key's earlier records are all processed before it may move), and load spreads evenly however
 * the keys hash, so N lanes give close to N times the throughput of one.
 */
import type { Lane } from "./lane";
import type { ShardRecord } from "./types";

export class KeyRouter {
  private readonly pendingByKey = new Map<string, { lane: Lane; pending: number }>();

  constructor(private readonly lanes: readonly Lane[]) {
    if (lanes.length === 0) throw new Error("A KeyRouter needs at least one lane");
  }

  /** The lane for `record`; it stays pending until {@link release}d. */
  route(record: ShardRecord): Lane {
    const entry = this.pendingByKey.get(record.partitionKey);
    if (entry) {
      entry.pending++;
      return entry.lane;
    }
    let lane = this.lanes[0] as Lane;
    for (const candidate of this.lanes) if (candidate.load < lane.load) lane = candidate;
    this.pendingByKey.set(record.partitionKey, { lane, pending: 1 });
    return lane;
  }

  /** Records processed (succeeded or discarded): their keys may move to another lane once none is pending. */
  release(records: readonly ShardRecord[]): void {
    for (const record of records) {
      const entry = this.pendingByKey.get(record.partitionKey);
      if (entry && --entry.pending === 0) this.pendingByKey.delete(record.partitionKey);
    }
  }
}
