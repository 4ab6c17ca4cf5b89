/** Bounded retries with full-jitter exponential backoff for the Kinesis, SQS and Lambda calls. */
import { awsErrorName } from "./errors";
import { sleep } from "./pacing";

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

/** Errors that mean "slow down" or "try again": throttling, service hiccups, dropped connections. */
const RETRIABLE = new Set([
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "KMSThrottlingException",
  "ThrottlingException",
  "TooManyRequestsException",
  "InternalFailure",
  "InternalFailureException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/** True for the errors worth another attempt. */
export function isRetriable(error: unknown): boolean {
  const name = awsErrorName(error);
  if (name && RETRIABLE.has(name)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRIABLE.has(code);
}

/** The delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
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
      await sleep(backoffDelay(attempt, policy));
    }
  }
}
