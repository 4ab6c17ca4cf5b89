/**
 * A shard's checkpoint under parallel lanes: records finish out of read order (each lane at its own pace),
 * and the checkpoint is the last record of the finished prefix of the read order, i.e. the minimum over the
 * lanes. Resuming after it redelivers nothing before it, at worst some records after it (at-least-once).
 */
import type { ShardRecord } from "./types";

export class ShardCheckpoint {
  /** Records read and not yet behind the checkpoint, in read order; `head` is the first one still tracked. */
  private pending: ShardRecord[] = [];
  private head = 0;
  private readonly finished = new Set<ShardRecord>();

  /**
   * @param sequenceNumber where the shard stands (undefined before any record was processed)
   * @param onAdvance told each time the checkpoint moves, so the mapping can keep it across a disable
   */
  constructor(
    private sequenceNumber: string | undefined,
    private readonly onAdvance: (sequenceNumber: string) => void,
  ) {}

  /** The sequence number after which the shard resumes. */
  get current(): string | undefined {
    return this.sequenceNumber;
  }

  /** Records read but not yet behind the checkpoint. */
  get outstanding(): number {
    return this.pending.length - this.head;
  }

  /** Registers records as read, in shard order. */
  track(records: readonly ShardRecord[]): void {
    for (const record of records) this.pending.push(record);
  }

  /** Marks records processed (succeeded or discarded) and moves the checkpoint over the finished prefix. */
  complete(records: readonly ShardRecord[]): void {
    for (const record of records) this.finished.add(record);
    let advanced: ShardRecord | undefined;
    for (let next = this.pending[this.head]; next !== undefined && this.finished.has(next); next = this.pending[this.head]) {
      advanced = next;
      this.finished.delete(next);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    if (advanced) {
      this.sequenceNumber = advanced.sequenceNumber;
      this.onAdvance(advanced.sequenceNumber);
    }
  }
}
