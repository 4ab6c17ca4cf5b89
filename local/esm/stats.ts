/** The mapping's counters, shared by its shard pollers and batch processors. */
import type { EventSourceMappingStats } from "./types";

export class MappingCounters {
  invocations = 0;
  records = 0;
  batchItemFailures = 0;
  retries = 0;
  bisections = 0;
  dlqRecords = 0;
  idlePolls = 0;
  private readonly iteratorAgeByShard = new Map<string, number>();

  /** Records a shard's iterator age: the age of the last record of the batch being invoked, or 0 when caught up. */
  setIteratorAge(shardId: string, ageMs: number): void {
    this.iteratorAgeByShard.set(shardId, Math.max(0, ageMs));
  }

  /** Forgets a shard that was fully processed. */
  forgetShard(shardId: string): void {
    this.iteratorAgeByShard.delete(shardId);
  }

  snapshot(): EventSourceMappingStats {
    return {
      invocations: this.invocations,
      records: this.records,
      batchItemFailures: this.batchItemFailures,
      retries: this.retries,
      bisections: this.bisections,
      dlqRecords: this.dlqRecords,
      idlePolls: this.idlePolls,
      iteratorAgeMs: Math.max(0, ...this.iteratorAgeByShard.values()),
    };
  }
}
