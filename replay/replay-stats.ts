/** Live counters of a replay, per shard and in total: what the progress board shows and the summary prints. */
import { addCounts, noRecords, type RecordCounts } from "./record-results";

/**
 * One shard's progress. Of the records that passed the filters, by outcome (record-results.ts): delivered
 * (or, in a dry run, would be), skipped, isolated, acknowledged, or failed after the retries.
 */
export interface ShardStats extends RecordCounts {
  state: "waiting" | "reading" | "done" | "skipped";
  /** Records read from the shard. */
  read: number;
  /** Kinesis' MillisBehindLatest of the last GetRecords. */
  millisBehindLatest: number;
  /** Arrival time of the last record read (how far the replay has come). */
  lastArrival?: Date;
  /** Throttled or expired-iterator calls retried. */
  retries: number;
}

/** A range of records the target never accepted, reported with its pointers. */
export interface FailedRange {
  readonly shardId: string;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  readonly count: number;
  readonly reason: string;
}

/** The replay's counters; the replay writes, the progress board and the CLI read. */
export class ReplayStats {
  readonly shards = new Map<string, ShardStats>();
  readonly failures: FailedRange[] = [];
  readonly startedAt = Date.now();
  /** The replay's end instant, once known. */
  until?: Date;

  /** The counters of one shard, created on first use. */
  shard(shardId: string): ShardStats {
    let stats = this.shards.get(shardId);
    if (!stats) {
      stats = { state: "waiting", read: 0, ...noRecords(), millisBehindLatest: 0, retries: 0 };
      this.shards.set(shardId, stats);
    }
    return stats;
  }

  /** Sums over all shards. */
  totals(): RecordCounts & { read: number; retries: number; shardsDone: number; shards: number } {
    const counts = noRecords();
    let read = 0,
      retries = 0,
      shardsDone = 0;
    for (const s of this.shards.values()) {
      read += s.read;
      addCounts(counts, s);
      retries += s.retries;
      if (s.state === "done" || s.state === "skipped") shardsDone++;
    }
    return { ...counts, read, retries, shardsDone, shards: this.shards.size };
  }
}
