/**
 * The local stand-in for what the deployed scaler reads from CloudWatch: the stream's writes summed per minute
 * (`IncomingBytes`, `IncomingRecords`, `WriteProvisionedThroughputExceeded`), from what the limits proxy saw
 * (local/limits/write-meter.ts), on the scaler's clock.
 *
 * The scaler's clock runs `60 / periodSeconds` times faster than real time (`npm start -- --scaler-period-seconds N`,
 * default 60: real time). Every duration of the scaling rules — the minutes read, the cooldowns, the 24-hour window —
 * is measured on it, so all of them shrink by the same factor and none changes relative to another. A scaler
 * minute holds `periodSeconds` of real writes; its sums are scaled up to a real minute's, so the per-shard
 * thresholds (bytes and records per second) are the deployed ones exactly.
 */
import { MINUTE_MS, scaledMinutes, SECONDS_PER_MINUTE, type MinuteSample } from "../handlers/lib/scaling/decide";
import type { WriteCounts } from "./limits";

/** The period at which the scaler's clock is real time: the deployed scaler runs every minute (`rate(1 minute)`). */
export const REAL_TIME_PERIOD_SECONDS = SECONDS_PER_MINUTE;

/** The scaler's clock: real time sped up by `60 / periodSeconds` from the moment it was made. */
export class ScalerClock {
  readonly factor: number;
  private readonly originMs: number;

  constructor(
    readonly periodSeconds: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.factor = SECONDS_PER_MINUTE / periodSeconds;
    this.originMs = realNow();
  }

  /** Now, on the scaler's clock (ms). */
  now(): number {
    return this.originMs + (this.realNow() - this.originMs) * this.factor;
  }

  /** A real duration (ms) that lasts `scalerMs` on the scaler's clock. */
  realMs(scalerMs: number): number {
    return scalerMs / this.factor;
  }
}

/** One stream's writes per scaler minute, kept for as long as the scaler reads back. */
export class ScalerMinutes {
  private readonly sums = new Map<number, { bytes: number; records: number; throttled: number }>();

  constructor(private readonly clock: ScalerClock) {}

  /** Adds one answered write call, at the scaler clock's now. */
  add(counts: WriteCounts): void {
    const minute = Math.floor(this.clock.now() / MINUTE_MS) * MINUTE_MS;
    const sum = this.sums.get(minute) ?? { bytes: 0, records: 0, throttled: 0 };
    sum.bytes += counts.bytes;
    sum.records += counts.records;
    sum.throttled += counts.throttled;
    this.sums.set(minute, sum);
  }

  /** The complete minutes a run at `nowMs` (scaler clock) reads, as a real minute of the same rates would sum. */
  minutes(nowMs: number): MinuteSample[] {
    const starts = scaledMinutes(nowMs);
    for (const minute of this.sums.keys()) if (minute < starts[0]!) this.sums.delete(minute);
    const { factor } = this.clock;
    return starts.map((minute) => {
      const sum = this.sums.get(minute);
      return { bytes: (sum?.bytes ?? 0) * factor, records: (sum?.records ?? 0) * factor, throttled: (sum?.throttled ?? 0) * factor };
    });
  }
}
