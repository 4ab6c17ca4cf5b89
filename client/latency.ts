/**
 * Latency percentiles in constant memory: a log-scale histogram (buckets 5% wide), so a producer that
 * sends a billion records keeps the same few kilobytes of counters.
 */
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 400; // 1.05^400 ms ≈ 3·10^8 ms: far beyond any deadline

/** Records latencies and answers percentiles to within 5%. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  record(ms: number): void {
    const bucket = ms < 1 ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total += 1;
  }

  /** The latency below which `fraction` (0–1) of the recorded latencies fall; 0 when nothing was recorded. */
  percentile(fraction: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(fraction * this.total);
    let seen = 0;
    for (const [bucket, count] of this.counts.entries()) {
      seen += count;
      if (seen >= rank) return bucket === 0 ? 1 : Math.round(GROWTH ** bucket);
    }
    return Math.round(GROWTH ** BUCKETS);
  }
}
