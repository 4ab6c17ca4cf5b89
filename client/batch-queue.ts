/**
 * Groups queued items into batches bounded by count and bytes, closes a partial batch after a linger time,
 * and keeps at most `maxInFlight` batches sending at once. While every slot is busy, new items keep filling
 * the open batch, so a slow destination gets fewer, fuller requests instead of many small ones.
 */

/** Anything with a size in bytes. */
export interface Sized {
  readonly size: number;
}

/** Batching settings. */
export interface BatchQueueOptions<T extends Sized> {
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly lingerMs: number;
  readonly maxInFlight: number;
  /** Sends one batch and settles every item in it; must not reject (a rejection is reported to `onSendError`). */
  readonly send: (batch: T[]) => Promise<void>;
  /** Called if `send` rejects despite its contract, with the batch, so the owner can settle its items. */
  readonly onSendError: (batch: T[], error: unknown) => void;
}

/** One queue of items sent in batches. */
export class BatchQueue<T extends Sized> {
  private open: T[] = [];
  private openBytes = 0;
  private readonly full: T[][] = [];
  private inFlight = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private lingerExpired = false;
  private flushing = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: BatchQueueOptions<T>) {}

  /** Items queued or sending. */
  get size(): number {
    return this.open.length + this.full.reduce((sum, batch) => sum + batch.length, 0);
  }

  get idle(): boolean {
    return this.open.length === 0 && this.full.length === 0 && this.inFlight === 0;
  }

  push(item: T): void {
    if (this.open.length > 0 && (this.open.length >= this.options.maxRecords || this.openBytes + item.size > this.options.maxBytes)) {
      this.closeOpenBatch();
    }
    this.open.push(item);
    this.openBytes += item.size;
    if (this.open.length >= this.options.maxRecords || this.openBytes >= this.options.maxBytes) this.closeOpenBatch();
    else if (this.lingerTimer === undefined && !this.lingerExpired) this.startLinger();
    this.pump();
  }

  /** Sends everything queued, ignoring the linger time, and resolves when the queue is idle. */
  async flush(): Promise<void> {
    this.flushing += 1;
    try {
      this.pump();
      while (!this.idle) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    } finally {
      this.flushing -= 1;
    }
  }

  /** Stops the linger timer (call after a final flush). */
  close(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private startLinger(): void {
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.lingerExpired = true;
      this.pump();
    }, this.options.lingerMs);
  }

  private closeOpenBatch(): void {
    if (this.open.length === 0) return;
    this.full.push(this.open);
    this.open = [];
    this.openBytes = 0;
    this.lingerExpired = false;
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight) {
      if (this.full.length === 0 && this.open.length > 0 && (this.lingerExpired || this.flushing > 0)) this.closeOpenBatch();
      const batch = this.full.shift();
      if (batch === undefined) break;
      this.inFlight += 1;
      this.options
        .send(batch)
        .catch((error: unknown) => this.options.onSendError(batch, error))
        .finally(() => {
          this.inFlight -= 1;
          if (this.open.length > 0 && this.lingerTimer === undefined && !this.lingerExpired) this.startLinger();
          this.pump();
        });
    }
    if (this.idle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
