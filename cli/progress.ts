/**
 * A one-line progress display on a TTY (stderr): records, MiB, records/s, retries, failures, redrawn a few
 * times a second from a snapshot function. On anything that is not a TTY it prints nothing, so logs and
 * pipes stay clean.
 */

/** What the progress line shows; the command supplies it on demand. */
export interface ProgressSnapshot {
  readonly records: number;
  readonly bytes: number;
  readonly retries: number;
  readonly failed: number;
}

/** Options of {@link startProgress}. */
export interface ProgressOptions {
  /** Shown first on the line, e.g. `send`. */
  readonly label: string;
  /** @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Force on or off; by default on exactly when `stream` is a TTY. */
  readonly enabled?: boolean;
  /** @default 250 */
  readonly intervalMs?: number;
}

/** A running progress line; `stop()` draws the last state and ends the line. */
export interface Progress {
  stop(): void;
}

/** Formats a snapshot: `send  12,345 records  1.18 MiB  4,321 rec/s  retries 12  failed 0`. */
export function formatProgress(label: string, snapshot: ProgressSnapshot, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((snapshot.records * 1000) / elapsedMs) : 0;
  const mib = (snapshot.bytes / (1024 * 1024)).toFixed(2);
  return `${label}  ${snapshot.records.toLocaleString("en-US")} records  ${mib} MiB  ${rate.toLocaleString("en-US")} rec/s  retries ${snapshot.retries.toLocaleString("en-US")}  failed ${snapshot.failed.toLocaleString("en-US")}`;
}

/**
 * Starts redrawing the progress line.
 *
 * @example
 * const progress = startProgress(() => ({ records, bytes, retries, failed }), { label: "send" });
 * // … work …
 * progress.stop();
 */
export function startProgress(snapshot: () => ProgressSnapshot, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled) return { stop: () => undefined };
  const started = Date.now();
  const draw = () => stream.write(`\r\x1b[2K${formatProgress(options.label, snapshot(), Date.now() - started)}`);
  const timer = setInterval(draw, options.intervalMs ?? 250);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      draw();
      stream.write("\n");
    },
  };
}
