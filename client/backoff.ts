/** Retry timing: exponential backoff with full jitter, and the server's `Retry-After`. */

/** Backoff settings. */
export interface BackoffOptions {
  /** First retry waits up to this long. @default 100 */
  readonly baseMs?: number;
  /** No single wait exceeds this. @default 5000 */
  readonly maxMs?: number;
}

/**
 * Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): a uniform wait in
 * [0, min(max, base·2^attempt)], so that many clients throttled together do not retry together.
 * `attempt` counts from 0 for the first retry.
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 5000;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Parses an HTTP `Retry-After` value (delta seconds or an HTTP date) into milliseconds from `now`;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    setTimeout(resolve, ms);
  });
}
