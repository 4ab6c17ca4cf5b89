/**
 * One lane of a shard: with a parallelization factor N the shard's records are dealt into N lanes (see
 * {@link KeyRouter}), so the records of a key stay in one lane, in order, and never sit in two concurrent
 * batches ("Kinesis event source mapping parameters": ParallelizationFactor). Each lane runs one batch at a
 * time, formed at the first of: batch size reached, 6 MB payload reached, batching window expired.
 */
import { EVENT_ENVELOPE_BYTES } from "../../semantics/lambda-event";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../semantics/limits";
import type { ShardRecord } from "./types";

export interface LaneOptions {
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds in milliseconds; 0 invokes with whatever has been read. */
  readonly windowMs: number;
  /** Takes a batch to completion (or until the mapping stops). */
  readonly run: (records: readonly ShardRecord[]) => Promise<void>;
  /** Called after each batch, so the poller can read more or notice the shard is drained. */
  readonly onBatchDone: () => void;
  readonly onError?: (error: unknown, during: string) => void;
  /** Records with different keys never share a batch (a tumbling window's start); unset: no such cut. */
  readonly batchKey?: (record: ShardRecord) => number;
}

export class Lane {
  private buffer: ShardRecord[] = [];
  private bytes = 0;
  private inFlight = 0;
  private firstBufferedAt = 0;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private stopped = false;

  constructor(private readonly options: LaneOptions) {}

  /** Records waiting for a batch. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Event bytes of the records waiting. */
  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Records waiting or in the running batch. */
  get load(): number {
    return this.buffer.length + this.inFlight;
  }

  /** No batch running and nothing waiting. */
  get idle(): boolean {
    return this.running === undefined && this.buffer.length === 0;
  }

  /** Adds records read from the shard (in shard order). */
  push(record: ShardRecord): void {
    if (this.buffer.length === 0) this.firstBufferedAt = Date.now();
    this.buffer.push(record);
    this.bytes += record.eventBytes;
  }

  /** Starts a batch if one is due; call after pushing. */
  pump(): void {
    if (this.running !== undefined || this.stopped || this.buffer.length === 0) return;
    const count = this.batchLength();
    const due = count < this.buffer.length || count >= this.options.batchSize || this.flushing;
    const wait = this.firstBufferedAt + this.options.windowMs - Date.now();
    if (!due && wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0, count);
    for (const record of batch) this.bytes -= record.eventBytes;
    this.inFlight = batch.length;
    this.running = this.options
      .run(batch)
      .catch((error: unknown) => this.options.onError?.(error, "processing a batch"))
      .finally(() => {
        this.running = undefined;
        this.inFlight = 0;
        this.options.onBatchDone();
        this.pump();
      });
  }

  /** The shard is closed: no more records will come, so waiting out the window gains nothing. */
  flush(): void {
    this.flushing = true;
    this.pump();
  }

  /** Stops forming batches and waits for the running one (which returns early once the mapping aborts it). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** How many buffered records the next batch takes: up to the batch size, within the 6 MB payload, one batch key. */
  private batchLength(): number {
    const { batchKey } = this.options;
    const key = batchKey && this.buffer.length > 0 ? batchKey(this.buffer[0] as ShardRecord) : undefined;
    let bytes = EVENT_ENVELOPE_BYTES;
    let count = 0;
    for (const record of this.buffer) {
      if (count >= this.options.batchSize) break;
      if (count > 0 && bytes + record.eventBytes > MAX_INVOKE_PAYLOAD_BYTES) break;
      if (batchKey && batchKey(record) !== key) break;
      bytes += record.eventBytes;
      count++;
    }
    return count;
  }
}
