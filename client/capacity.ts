/** The two bounds that keep a producer's memory flat: buffered records/bytes, and requests in flight. */

/**
 * Counts records accepted by `put()` and not yet settled. `acquire` waits (FIFO) while the buffer is full;
 * that wait is the back-pressure a fast caller feels. A single record larger than `maxBytes` is admitted
 * when the buffer is empty, so it can never deadlock.
 */
export class BufferBudget {
  private records = 0;
  private bytes = 0;
  private readonly waiters: Array<{ size: number; resolve: () => void }> = [];
  private readonly roomWaiters: Array<() => void> = [];

  constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
  ) {}

  get bufferedRecords(): number {
    return this.records;
  }

  /** Resolves once one more record of up to `size` bytes would be admitted without waiting. */
  ready(size = 1): Promise<void> {
    if (this.waiters.length === 0 && this.fits(size)) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Reserves room for one record of `size` bytes, waiting behind earlier callers while the buffer is full. */
  acquire(size: number): Promise<void> {
    if (this.waiters.length === 0 && this.fits(size)) {
      this.take(size);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ size, resolve }));
  }

  /** Returns the room a settled record held, and admits waiters that now fit. */
  release(size: number): void {
    this.records -= 1;
    this.bytes -= size;
    for (let next = this.waiters[0]; next !== undefined && this.fits(next.size); next = this.waiters[0]) {
      this.waiters.shift();
      this.take(next.size);
      next.resolve();
    }
    if (this.waiters.length === 0 && this.fits(1)) {
      for (const resolve of this.roomWaiters.splice(0)) resolve();
    }
  }

  private fits(size: number): boolean {
    if (this.records === 0) return true;
    return this.records + 1 <= this.maxRecords && this.bytes + size <= this.maxBytes;
  }

  private take(size: number): void {
    this.records += 1;
    this.bytes += size;
  }
}

/** A counting semaphore: at most `permits` holders at once, waiters served in order. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];

  constructor(permits: number) {
    this.available = permits;
  }

  acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available += 1;
  }

  /** Runs `task` holding one permit. */
  async with<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
