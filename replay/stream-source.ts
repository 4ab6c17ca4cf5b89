/**
 * The stream as a replay source: every shard still within retention, each read from its planned start
 * (`--from` time or `--from-sequence`) with paced GetRecords, closed parents before their children.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { SHARD_READ_LIMITS } from "../semantics/limits";
import { ShardReadPacer } from "./pacing";
import type { RetryPolicy } from "./retry";
import { runInShardOrder } from "./shard-graph";
import { readShard } from "./shard-reader";
import type { ReplaySource, SourceShard } from "./source";
import { describeStart, planShardStarts, type ReplayStart, type ShardStart } from "./start-plan";
import { describeStream } from "./stream-info";
import type { ShardInfo } from "./types";

/** What reading a stream needs. */
export interface StreamSourceOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly start: ReplayStart;
  /** Per-shard read limits to pace to. @default SHARD_READ_LIMITS (5 calls/s, 2 MiB/s) */
  readonly readLimits?: { callsPerSecond: number; bytesPerSecond: number };
  /** GetRecords `Limit`. @default 10000 */
  readonly getRecordsLimit?: number;
  readonly retry?: RetryPolicy;
  /** See ShardReadOptions.atTimestampTimeoutMs: set against emulators only. */
  readonly atTimestampTimeoutMs?: number;
  /** For the "stream not found" message, e.g. `in us-east-1 at http://127.0.0.1:4567`. */
  readonly location?: string;
}

/** A stream to replay from. */
export function streamSource(options: StreamSourceOptions): ReplaySource {
  return {
    name: options.streamName,
    from: describeStart(options.start),
    startTime: options.start.kind === "time" ? options.start.at : undefined,
    async open(until) {
      const stream = await describeStream(options.kinesis, options.streamName, options.location);
      const plan = await planShardStarts(options.kinesis, stream, options.start);
      const byId = new Map<string, SourceShard>();
      for (const shard of stream.shards) byId.set(shard.shardId, sourceShard(options, shard, plan.get(shard.shardId) as ShardStart, until));
      return {
        shards: [...byId.values()],
        runInOrder: (visit) => runInShardOrder(stream.shards, (shard: ShardInfo) => visit(byId.get(shard.shardId) as SourceShard)),
      };
    },
  };
}

function sourceShard(options: StreamSourceOptions, shard: ShardInfo, planned: ShardStart, until: Date): SourceShard {
  return {
    shardId: shard.shardId,
    skip: planned.type === "skip",
    pages: (resumeAfter, onRetry) =>
      readShard({
        client: options.kinesis,
        streamName: options.streamName,
        shardId: shard.shardId,
        start:
          resumeAfter !== undefined
            ? { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: resumeAfter }
            : (planned as Exclude<ShardStart, { type: "skip" }>),
        until,
        pacer: new ShardReadPacer(options.readLimits ?? SHARD_READ_LIMITS),
        limit: options.getRecordsLimit,
        retry: options.retry,
        onRetry,
        atTimestampTimeoutMs: options.atTimestampTimeoutMs,
      }),
  };
}
