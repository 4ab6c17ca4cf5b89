/**
 * The replay: reads every shard of a source (a stream, or the S3 archive) up to a fixed end (`--to`, or the
 * moment the replay first started), in the order the source needs, filters, delivers in batches to a target,
 * and checkpoints each shard after every delivered batch so a killed replay resumes with no gap and no repeat.
 */
import { deliveryBatches } from "./batches";
import { CheckpointFile, assertSameScope, type CheckpointState } from "./checkpoint";
import { UsageError } from "./errors";
import { describeFilters, recordFilter, type FieldCondition } from "./filters";
import { RecordRateLimiter } from "./pacing";
import { addCounts, countDelivery, worthALine, type RecordResult } from "./record-results";
import { ReplayStats } from "./replay-stats";
import type { ReplaySource, SourceShard } from "./source";
import type { ReplayTarget } from "./targets/target";
import type { StreamRecord } from "./types";

/** Everything a replay needs. */
export interface ReplayOptions {
  /** Where the records come from (`streamSource`, `archiveSource`). */
  readonly source: ReplaySource;
  /** Replay records that arrived up to this instant; capped at the moment the replay (first) starts. */
  readonly to?: Date;
  readonly partitionKeys?: readonly string[];
  readonly where?: readonly FieldCondition[];
  readonly target: ReplayTarget;
  /** Records per delivered batch. @default 100 */
  readonly batchSize?: number;
  /** Records/s cap over all shards. @default no cap */
  readonly rate?: number;
  readonly checkpoint?: CheckpointFile;
  /** Counters to fill (the CLI's progress board reads them). */
  readonly stats?: ReplayStats;
  /** Told, as soon as it is known, of each record the target did not deliver: skipped, isolated or failed. */
  readonly onRecord?: (result: RecordResult) => void;
}

/** What the replay did. */
export interface ReplaySummary {
  /** The source's name: the stream, or `s3://bucket/prefix`. */
  readonly source: string;
  readonly from: string;
  readonly until: Date;
  readonly resumed: boolean;
  readonly stats: ReplayStats;
}

/** Runs a replay to its end. Throws on unrecoverable errors (missing stream or bucket, foreign checkpoint, …). */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new UsageError(`--batch-size must be an integer from 1 to 10000, got ${batchSize}.`);
  }
  const stats = options.stats ?? new ReplayStats();
  const { source } = options;
  const filters = { partitionKeys: options.partitionKeys, where: options.where };
  const scope = {
    stream: source.name,
    from: source.from,
    filters: describeFilters(filters),
    target: options.target.description,
  };
  const saved = await options.checkpoint?.load();
  if (saved && options.checkpoint) assertSameScope(saved, scope, options.checkpoint.filePath);
  const now = new Date();
  const until = saved ? new Date(saved.until) : options.to && options.to < now ? options.to : now;
  if (source.startTime && source.startTime > until) {
    throw new UsageError(`--from ${source.startTime.toISOString()} is after the replay's end ${until.toISOString()} (--to, or now).`);
  }
  stats.until = until;
  const opened = await source.open(until);
  const state: CheckpointState = saved ?? { version: 1, scope, until: until.toISOString(), shards: {} };
  await options.target.rewindTo?.(saved?.targetBytes ?? 0);
  const matches = recordFilter(filters);
  const rate = new RecordRateLimiter(options.rate);
  const exclusive = new Mutex();
  const rewindable = options.target.position !== undefined;
  for (const shard of opened.shards) stats.shard(shard.shardId);

  /** Records the shard's new position and saves a snapshot; consistent with the target's position. */
  const checkpointAt = async (shardId: string, sequenceNumber: string | undefined, done: boolean, deliver?: () => Promise<void>) => {
    const saving = await exclusive.run(rewindable, async () => {
      await deliver?.();
      const entry = (state.shards[shardId] ??= { done: false });
      if (sequenceNumber !== undefined) entry.sequenceNumber = sequenceNumber;
      entry.done = done;
      // Snapshot and queue the write in the same tick, so writes land in the order the state changed.
      return { written: options.checkpoint?.save({ ...state, targetBytes: options.target.position?.() }) };
    });
    await saving.written;
  };

  const replayShard = async (shard: SourceShard): Promise<void> => {
    const shardStats = stats.shard(shard.shardId);
    const resumeFrom = state.shards[shard.shardId];
    if (resumeFrom?.done || shard.skip) {
      shardStats.state = resumeFrom?.done ? "done" : "skipped";
      if (!resumeFrom?.done) await checkpointAt(shard.shardId, undefined, true);
      return;
    }
    shardStats.state = "reading";
    const pages = shard.pages(resumeFrom?.sequenceNumber, () => shardStats.retries++);
    let position = resumeFrom?.sequenceNumber;
    for await (const page of pages) {
      shardStats.read += page.records.length;
      shardStats.millisBehindLatest = page.millisBehindLatest;
      const lastRecord = page.records.at(-1);
      if (lastRecord !== undefined) shardStats.lastArrival = lastRecord.approximateArrivalTimestamp;
      const selected = page.records.filter(matches);
      for (const batch of deliveryBatches(selected, batchSize, options.target.maxBatchBytes)) {
        await rate.acquire(batch.length);
        const last = batch.at(-1)!.sequenceNumber; // deliveryBatches yields no empty batch
        await checkpointAt(shard.shardId, last, false, async () => {
          const outcome = await options.target.deliver(batch);
          addCounts(shardStats, countDelivery(batch.length, outcome));
          if (outcome.failed.length > 0) recordFailure(stats, outcome.failed, outcome.reason ?? "not delivered");
          for (const result of outcome.results ?? []) if (worthALine(result)) options.onRecord?.(result);
        });
        position = last;
      }
      const pageEnd = page.records.at(-1)?.sequenceNumber;
      // Move past trailing filtered-out records too, so a resume doesn't read them again.
      if (page.last || (pageEnd !== undefined && pageEnd !== position)) {
        await checkpointAt(shard.shardId, pageEnd, page.last);
        position = pageEnd ?? position;
      }
    }
    shardStats.state = "done";
  };

  await opened.runInOrder(replayShard);
  return { source: source.name, from: scope.from, until, resumed: saved !== undefined, stats };
}

function recordFailure(stats: ReplayStats, failed: readonly StreamRecord[], reason: string): void {
  const first = failed[0];
  const last = failed.at(-1);
  if (first === undefined || last === undefined) throw new Error("recordFailure needs at least one failed record.");
  stats.failures.push({
    shardId: first.shardId,
    firstSequenceNumber: first.sequenceNumber,
    lastSequenceNumber: last.sequenceNumber,
    count: failed.length,
    reason,
  });
}

/** Runs sections one at a time when asked to (file target), concurrently otherwise. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(exclusive: boolean, section: () => Promise<T>): Promise<T> {
    if (!exclusive) return section();
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
