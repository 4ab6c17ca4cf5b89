/**
 * Bounded retries for the Kinesis, SQS and Lambda calls: the shared classifier and full-jitter backoff
 * (docs/aws-semantics.md#retries-and-backoff).
 */
import { backoffDelay, sleep } from "../semantics/backoff";
import { classifyAwsError } from "../semantics/errors";

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 8 */
  readonly maxAttempts: number;
  /** First backoff ceiling. @default 200 */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling. @default 5000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 5000 };

/** True for the errors worth another attempt: throttling, service faults, 5xx, dropped connections. */
export function isRetriable(error: unknown): boolean {
  return classifyAwsError(error) !== "permanent";
}

/** The wait after failed attempt `attempt` (1-based), i.e. before retry `attempt - 1` counted from 0. */
export function retryDelay(attempt: number, policy: RetryPolicy): number {
  return backoffDelay(attempt - 1, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs });
}

/**
 * Calls `operation` until it succeeds, a non-retriable error occurs, or the attempts run out.
 * `onRetry` sees each retried error (for progress counters).
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetriable(error) || attempt >= policy.maxAttempts) throw error;
      onRetry?.(error, attempt);
      await sleep(retryDelay(attempt, policy));
    }
  }
}
