/**
 * One classifier of AWS call and entry errors (docs/aws-semantics.md#retries-and-backoff): an explicit set
 * of names, codes and statuses, never "everything". `throttle` means "slow down" (HTTP 429 to a caller),
 * `retry` a service fault or a dropped connection (the request may not have arrived), `permanent` the rest.
 */

/** What to do about a failed call or PutRecords entry. */
type ErrorClass = "retry" | "throttle" | "permanent";

/** Error names and entry codes that mean "too fast": retry after backing off. */
const THROTTLE_NAMES: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceededException",
  "KMSThrottlingException",
  "ThrottlingException",
  "LimitExceededException",
  "TooManyRequestsException",
]);

/** Error names and entry codes of service faults and timeouts. */
const FAULT_NAMES: ReadonlySet<string> = new Set([
  "InternalFailure",
  "InternalFailureException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
]);

/** Socket-level failures: the request may not have arrived. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Classifies an error name, a Node error code or a PutRecords entry's `ErrorCode`. */
export function classifyErrorCode(code: string | undefined): ErrorClass {
  if (code === undefined) return "permanent";
  if (THROTTLE_NAMES.has(code)) return "throttle";
  return FAULT_NAMES.has(code) || NETWORK_CODES.has(code) ? "retry" : "permanent";
}

/** Whether a PutRecords entry's `ErrorCode` is worth sending again (e.g. KMS access errors are not). */
export function isRetriableEntryError(code: string): boolean {
  return classifyErrorCode(code) !== "permanent";
}

/**
 * Classifies a thrown SDK or network error by its name, its Node `code`, its HTTP status (429 throttle,
 * 5xx retry) and the SDK's own `$retryable` mark.
 *
 * @example
 * classifyAwsError(Object.assign(new Error("slow down"), { name: "ProvisionedThroughputExceededException" })) // "throttle"
 */
export function classifyAwsError(error: unknown): ErrorClass {
  if (typeof error !== "object" || error === null) return "permanent";
  const { name, code, $metadata, $retryable } = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
  };
  for (const candidate of [name, code]) {
    const verdict = classifyErrorCode(typeof candidate === "string" ? candidate : undefined);
    if (verdict !== "permanent") return verdict;
  }
  const status = $metadata?.httpStatusCode;
  if (status === 429) return "throttle";
  if (typeof status === "number" && status >= 500) return "retry";
  if ($retryable !== undefined) return $retryable?.throttling === true ? "throttle" : "retry";
  return "permanent";
}

/** The AWS error name of a thrown SDK error (`ProvisionedThroughputExceededException`, …), else its `code`. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const named = error as { name?: unknown; code?: unknown };
  if (typeof named.name === "string") return named.name;
  return typeof named.code === "string" ? named.code : undefined;
}

/** `name (code): message` of an error, for one-line reports. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as NodeJS.ErrnoException;
  return `${error.name}${code === undefined ? "" : ` (${code})`}: ${error.message}`;
}

/**
 * Whether an HTTP answer says "try again": 408 Request Timeout, 429 Too Many Requests and every 5xx
 * (RFC 9110 §15.5.9 and §15.6, RFC 6585 §4). Any other answer is the request's own fault and is not retried.
 * The one rule of the producer client (answers of the front) and the forwarder (answers of its downstream).
 */
export function isRetriableHttpStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
