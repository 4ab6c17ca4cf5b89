/** Which Kinesis errors are worth retrying: an explicit set, as lifion-kinesis does, never "everything". */

/** Entry error codes and call error names that mean "try again later". */
const RETRIABLE = new Set([
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "ThrottlingException",
  "InternalFailure",
  "InternalFailureException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "KMSThrottlingException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
]);

/** Socket-level failures: the request may not have arrived. */
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);

/** Whether a PutRecords entry's `ErrorCode` is retriable. */
export function isRetriableEntryError(code: string): boolean {
  return RETRIABLE.has(code);
}

/** Whether a failed PutRecords call is retriable: throttling, 5xx, or a network failure. */
export function isRetriableCallError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as NodeJS.ErrnoException;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return RETRIABLE.has(error.name) || (code !== undefined && NETWORK_CODES.has(code)) || (status !== undefined && status >= 500);
}

/** `name: message` of an error, for `lastError`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as NodeJS.ErrnoException;
  return `${error.name}${code === undefined ? "" : ` (${code})`}: ${error.message}`;
}
