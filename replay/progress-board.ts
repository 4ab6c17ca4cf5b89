/**
 * The replay's TTY progress: one line per shard (state, records read and delivered, the arrival time it
 * has reached, how much time is left to the replay's end, Kinesis' MillisBehindLatest) and a total line,
 * redrawn in place. Silent when not a TTY.
 */
import type { ReplayStats, ShardStats } from "./replay-stats";

/** Starts redrawing `stats` on `out` every `intervalMs`; returns a function that draws once more and stops. */
export function showProgress(stats: ReplayStats, out: NodeJS.WriteStream = process.stderr, intervalMs = 500): () => void {
  if (!out.isTTY) return () => undefined;
  let drawnLines = 0;
  const draw = () => {
    const lines = renderProgress(stats);
    // Move up over the previous frame and clear it, then print the new one.
    if (drawnLines > 0) out.write(`\x1b[${drawnLines}A\x1b[0J`);
    out.write(lines.join("\n") + "\n");
    drawnLines = lines.length;
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    draw();
  };
}

/** The lines of one frame (exported for tests). */
export function renderProgress(stats: ReplayStats, now = Date.now()): string[] {
  const lines = [...stats.shards.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, s]) => shardLine(id, s, stats.until));
  const t = stats.totals();
  const seconds = Math.max((now - stats.startedAt) / 1000, 0.001);
  lines.push(
    `total  ${t.shardsDone}/${t.shards} shards done  read ${t.read}  delivered ${t.delivered}` +
      `${t.failed ? `  failed ${t.failed}` : ""}  ${Math.round(t.delivered / seconds)} records/s` +
      `${t.retries ? `  retries ${t.retries}` : ""}`,
  );
  return lines;
}

function shardLine(shardId: string, s: ShardStats, until: Date | undefined): string {
  const reached = s.lastArrival ? s.lastArrival.toISOString() : "-";
  const toEnd =
    until && s.lastArrival && s.state === "reading"
      ? `  to end ${formatDuration(Math.max(0, until.getTime() - s.lastArrival.getTime()))}`
      : "";
  return (
    `${shardId}  ${s.state.padEnd(7)}  read ${String(s.read).padStart(7)}  delivered ${String(s.delivered).padStart(7)}` +
    `${s.failed ? `  failed ${s.failed}` : ""}  at ${reached}${toEnd}  behind tip ${formatDuration(s.millisBehindLatest)}`
  );
}

/** `1h02m`, `3m04s`, `850ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
