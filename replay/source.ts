/**
 * Where a replay reads from: a stream (shards read with GetRecords) or the S3 archive (objects read back
 * line by line). The replay itself (filters, batches, pacing, checkpoints, targets) is the same for both;
 * a source only says which shards there are, in which order they may run, and yields each shard's records.
 */
import type { ShardPage } from "./shard-reader";

/** One shard as a source hands it to the replay. */
export interface SourceShard {
  readonly shardId: string;
  /** `skip`: wholly before the start point, nothing to read (stream `--from-sequence` ancestors). */
  readonly skip?: boolean;
  /**
   * The shard's records in sequence order, page by page, after `resumeAfter` (the checkpointed sequence
   * number) when given. The last page has `last: true`.
   */
  pages(resumeAfter: string | undefined, onRetry: () => void): AsyncIterable<ShardPage>;
}

/** A source opened for one replay range. */
export interface OpenedSource {
  readonly shards: readonly SourceShard[];
  /** Runs `visit` for every shard in the order the source needs (parents before children for a stream). */
  runInOrder(visit: (shard: SourceShard) => Promise<void>): Promise<void>;
}

/** A replay source before the replay's end instant is known. */
export interface ReplaySource {
  /** For the checkpoint scope and the summary: the stream's name, or `s3://bucket/prefix`. */
  readonly name: string;
  /** The start point as text (checkpoint scope), e.g. `time:2024-05-01T00:00:00.000Z`. */
  readonly from: string;
  /** The start instant when the start is a time (checked against the end). */
  readonly startTime?: Date;
  /** Prepares the shards to read records up to `until`. */
  open(until: Date): Promise<OpenedSource>;
}
