/**
 * Where each shard's replay starts. `--from TIME`: every shard AT_TIMESTAMP. `--from-sequence SHARD:SEQ`:
 * that shard AT_SEQUENCE_NUMBER; its ancestors are skipped (all older); its descendants from
 * TRIM_HORIZON (all newer); every other shard AT_TIMESTAMP of that record's arrival, so the whole stream
 * is replayed from the same point.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { UsageError } from "./errors";
import { listedParents } from "./shard-graph";
import { readRecordAt } from "./stream-info";
import type { ShardInfo, StartPosition, StreamDescription } from "./types";

/** The operator's start point. */
export type ReplayStart =
  { readonly kind: "time"; readonly at: Date } | { readonly kind: "sequence"; readonly shardId: string; readonly sequenceNumber: string };

/** A shard's start, or `skip` for shards wholly before the start point. */
export type ShardStart = StartPosition | { readonly type: "skip" };

/** Text for the checkpoint scope and reports. */
export function describeStart(start: ReplayStart): string {
  return start.kind === "time" ? `time:${start.at.toISOString()}` : `sequence:${start.shardId}:${start.sequenceNumber}`;
}

/** Parses `--from-sequence SHARD:SEQ`. */
export function parseSequenceStart(text: string): ReplayStart {
  const [, shardId, sequenceNumber] = /^(shardId-\d+):(\d+)$/.exec(text) ?? [];
  if (shardId === undefined || sequenceNumber === undefined)
    throw new UsageError(`--from-sequence must look like shardId-000000000001:<sequence number>, got "${text}".`);
  return { kind: "sequence", shardId, sequenceNumber };
}

/** Plans every listed shard's start position. */
export async function planShardStarts(
  client: KinesisClient,
  stream: StreamDescription,
  start: ReplayStart,
): Promise<Map<string, ShardStart>> {
  const plan = new Map<string, ShardStart>();
  if (start.kind === "time") {
    for (const shard of stream.shards) plan.set(shard.shardId, { type: "AT_TIMESTAMP", timestamp: start.at });
    return plan;
  }
  const origin = stream.shards.find((s) => s.shardId === start.shardId);
  if (!origin) {
    const listed = stream.shards.map((s) => s.shardId).join(", ");
    throw new UsageError(`--from-sequence names ${start.shardId}, which stream "${stream.streamName}" does not have (it has ${listed}).`);
  }
  const record = await readRecordAt(client, stream.streamName, start.shardId, start.sequenceNumber);
  if (!record) {
    throw new UsageError(
      `--from-sequence: ${start.shardId} has no record ${start.sequenceNumber} (expired past the trim horizon, or never written).`,
    );
  }
  const ancestors = relatives(stream.shards, origin, "ancestors");
  const descendants = relatives(stream.shards, origin, "descendants");
  for (const shard of stream.shards) {
    if (shard.shardId === origin.shardId) plan.set(shard.shardId, { type: "AT_SEQUENCE_NUMBER", sequenceNumber: start.sequenceNumber });
    else if (ancestors.has(shard.shardId)) plan.set(shard.shardId, { type: "skip" });
    else if (descendants.has(shard.shardId)) plan.set(shard.shardId, { type: "TRIM_HORIZON" });
    else plan.set(shard.shardId, { type: "AT_TIMESTAMP", timestamp: record.approximateArrivalTimestamp });
  }
  return plan;
}

function relatives(shards: readonly ShardInfo[], origin: ShardInfo, direction: "ancestors" | "descendants"): Set<string> {
  const listed = new Set(shards.map((s) => s.shardId));
  const found = new Set<string>();
  const queue = [origin.shardId];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const next =
      direction === "ancestors"
        ? listedParents(shards.find((s) => s.shardId === id) as ShardInfo, listed)
        : shards.filter((s) => listedParents(s, listed).includes(id)).map((s) => s.shardId);
    for (const relative of next) {
      if (found.has(relative)) continue;
      found.add(relative);
      queue.push(relative);
    }
  }
  return found;
}
