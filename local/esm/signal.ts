/** A wake-up the shard poller waits on while its lanes are full. */

/** A one-shot wake-up many waiters can await; `notify` wakes them all and re-arms it. */
export class Signal {
  private waiters: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
