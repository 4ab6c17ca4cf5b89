/**
 * Orders shard reads across resharding: a child shard is read only after every parent it has in the
 * stream (ParentShardId, AdjacentParentShardId) was read to its end, so per-partition-key order holds.
 * Shards with no ancestry between them are read in parallel.
 */
import type { ShardInfo } from "./types";

/** The parents of a shard that are still listed (older ones expired and need no waiting). */
export function listedParents(shard: ShardInfo, listed: ReadonlySet<string>): string[] {
  return [shard.parentShardId, shard.adjacentParentShardId].filter((id): id is string => id !== undefined && id !== "" && listed.has(id));
}

/**
 * Groups shards into waves: every shard of a wave has all its listed parents in earlier waves.
 * Used for display and tests; `runInShardOrder` starts each shard as soon as its own parents end.
 * @example shardWaves([{shardId:"a"},{shardId:"b",parentShardId:"a"}]) // [["a"],["b"]]
 */
export function shardWaves(shards: readonly ShardInfo[]): string[][] {
  const listed = new Set(shards.map((s) => s.shardId));
  const depth = new Map<string, number>();
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) throw new Error(`Shard graph has a cycle through ${id}.`);
    seen.add(id);
    const shard = byId.get(id) as ShardInfo;
    const d = Math.max(-1, ...listedParents(shard, listed).map((p) => depthOf(p, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const waves: string[][] = [];
  for (const shard of shards) {
    const d = depthOf(shard.shardId, new Set());
    (waves[d] ??= []).push(shard.shardId);
  }
  return waves.map((wave) => wave.sort());
}

/**
 * Runs `readShard` for every shard, each as soon as all its listed parents have finished, concurrently
 * otherwise. On the first failure no new shard starts; the running ones finish and the error is thrown.
 */
export async function runInShardOrder(shards: readonly ShardInfo[], readShard: (shard: ShardInfo) => Promise<void>): Promise<void> {
  shardWaves(shards); // rejects cycles before anything is read
  const listed = new Set(shards.map((s) => s.shardId));
  const finished = new Map<string, Promise<void>>();
  let firstError: { error: unknown } | undefined;
  const start = (shard: ShardInfo): Promise<void> => {
    const existing = finished.get(shard.shardId);
    if (existing) return existing;
    const parents = listedParents(shard, listed).map((id) => start(shards.find((s) => s.shardId === id) as ShardInfo));
    const run = Promise.all(parents).then(async () => {
      if (firstError) return;
      try {
        await readShard(shard);
      } catch (error) {
        firstError ??= { error };
      }
    });
    finished.set(shard.shardId, run);
    return run;
  };
  await Promise.all(shards.map(start));
  if (firstError) throw firstError.error;
}
