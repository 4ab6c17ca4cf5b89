/**
 * Reads the function's answer to a batch the way Lambda does ("Configuring partial batch response with
 * Kinesis Data Streams and Lambda", AWS Lambda developer guide): success, a function error, a partial
 * failure at the lowest reported sequence number, or a malformed report that fails the whole batch.
 */
import type { InvokeResult, ShardRecord } from "./types";

export type BatchOutcome =
  | { readonly kind: "success" }
  | { readonly kind: "function-error"; readonly functionError: string }
  /** A report Lambda rejects: the whole batch counts as failed. */
  | { readonly kind: "invalid-report"; readonly reason: string }
  /** Records before `firstFailedIndex` succeeded; `reported` is the number of entries. */
  | { readonly kind: "partial"; readonly firstFailedIndex: number; readonly reported: number };

/**
 * Classifies one invocation's result for `records` (the batch, in shard order).
 *
 * @example
 * classifyResponse({ payload: { batchItemFailures: [{ itemIdentifier: "49…" }] } }, batch, true)
 * // → { kind: "partial", firstFailedIndex: 3, reported: 1 }
 */
export function classifyResponse(
  result: InvokeResult,
  records: readonly ShardRecord[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (result.functionError !== undefined) return { kind: "function-error", functionError: result.functionError };
  // Without ReportBatchItemFailures in FunctionResponseTypes Lambda ignores the response body.
  if (!reportBatchItemFailures) return { kind: "success" };
  const payload = result.payload;
  // A null or empty EventResponse, or one that is not an object, carries no failures.
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return { kind: "success" };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: "success" };
  if (!Array.isArray(failures)) {
    return { kind: "invalid-report", reason: `batchItemFailures must be a list, got ${typeof failures}` };
  }
  if (failures.length === 0) return { kind: "success" };

  const indexBySequence = new Map(records.map((record, index) => [record.sequenceNumber, index]));
  let firstFailedIndex = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const identifier =
      failure !== null && typeof failure === "object" ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof identifier !== "string" || identifier === "") {
      return {
        kind: "invalid-report",
        reason: `each batchItemFailures entry needs a non-empty string itemIdentifier, got ${JSON.stringify(failure)}`,
      };
    }
    const index = indexBySequence.get(identifier);
    if (index === undefined) {
      return { kind: "invalid-report", reason: `itemIdentifier ${identifier} is not a sequence number of this batch` };
    }
    firstFailedIndex = Math.min(firstFailedIndex, index);
  }
  return { kind: "partial", firstFailedIndex, reported: failures.length };
}
