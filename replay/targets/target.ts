/** What the replay delivers records to: a function, another stream, a file, or nothing (dry run). */
import type { RecordResult } from "../record-results";
import type { StreamRecord } from "../types";

/** The result of delivering one batch. */
export interface DeliveryOutcome {
  /** Records still not delivered after the bounded retries; reported with their pointers. */
  readonly failed: readonly StreamRecord[];
  /** Why they failed, as a sentence. */
  readonly reason?: string;
  /** What became of each user record, when the target knows (the function target, from the consumer's report). */
  readonly results?: readonly RecordResult[];
}

/** A replay destination. Batches of one shard arrive in order; batches of different shards concurrently. */
export interface ReplayTarget {
  /** For reports and the checkpoint scope, e.g. `function:forwarder`. */
  readonly description: string;
  /** Most record data bytes one delivery may carry (the function target's invoke payload limit). */
  readonly maxBatchBytes?: number;
  /** Delivers one batch (all from one shard, in sequence order). */
  deliver(records: readonly StreamRecord[]): Promise<DeliveryOutcome>;
  /**
   * For targets that can undo a partial write (the file): the position covering everything delivered so
   * far. The replay stores it with each checkpoint and calls `rewindTo` when resuming.
   */
  position?(): number;
  rewindTo?(position: number): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}

/** `--dry-run`: delivers nothing, so the replay only counts what it would deliver. */
export function dryRunTarget(): ReplayTarget {
  return {
    description: "dry-run",
    deliver: async () => ({ failed: [] }),
    close: async () => undefined,
  };
}
