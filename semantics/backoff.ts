/**
 * Retry timing (docs/aws-semantics.md#retries-and-backoff): exponential backoff with full jitter (AWS
 * Architecture Blog, "Exponential Backoff and Jitter"), and a sleep a stop can cut short.
 *
 * Attempt counting: `retry` is 0 before the first retry (the second attempt), 1 before the second, and so on.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** The first retry waits up to this long. @default 100 */
  readonly baseMs?: number;
  /** No single wait exceeds this. @default 5000 */
  readonly maxMs?: number;
}

/**
 * Full jitter: a wait in ms, uniform in [0, min(max, base·2^retry)), so that many clients throttled together
 * do not retry together. `retry` counts from 0 for the first retry.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 5000;
  return random() * Math.min(max, base * 2 ** Math.min(retry, 30));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
