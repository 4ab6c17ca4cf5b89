/**
 * Reads a function's partial batch response the way Lambda does (docs/aws-semantics.md#partial-batch-responses;
 * AWS Lambda developer guide, "Reporting batch item failures"): no list or an empty one is success; a list
 * entry without a non-empty `itemIdentifier`, or naming a record outside the batch, fails the whole batch;
 * otherwise the batch failed from the lowest reported sequence number on.
 */

/** What a response says about a batch. */
type BatchItemFailures =
  | { readonly kind: "success" }
  /** A report Lambda rejects: the whole batch counts as failed. */
  | { readonly kind: "invalid"; readonly reason: string }
  /** Records before `firstFailedIndex` succeeded; `reported` is the number of entries. */
  | { readonly kind: "partial"; readonly firstFailedIndex: number; readonly reported: number };

/**
 * Reads the function's (parsed) return value for a batch whose records have `sequenceNumbers`, in shard
 * order (so the lowest index is the lowest sequence number).
 *
 * @example
 * readBatchItemFailures({ batchItemFailures: [{ itemIdentifier: "49…3" }] }, ["49…1", "49…2", "49…3"])
 * // → { kind: "partial", firstFailedIndex: 2, reported: 1 }
 */
export function readBatchItemFailures(response: unknown, sequenceNumbers: readonly string[]): BatchItemFailures {
  // A null or empty response, or one that is not an object, carries no failures.
  if (response === null || typeof response !== "object" || Array.isArray(response)) return { kind: "success" };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: "success" };
  if (!Array.isArray(failures)) return { kind: "invalid", reason: `batchItemFailures must be a list, got ${typeof failures}` };
  if (failures.length === 0) return { kind: "success" };

  const indexBySequence = new Map<string, number>();
  sequenceNumbers.forEach((sequenceNumber, index) => {
    if (!indexBySequence.has(sequenceNumber)) indexBySequence.set(sequenceNumber, index);
  });
  let firstFailedIndex = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const identifier =
      failure !== null && typeof failure === "object" ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof identifier !== "string" || identifier === "") {
      return {
        kind: "invalid",
        reason: `each batchItemFailures entry needs a non-empty string itemIdentifier, got ${JSON.stringify(failure)}`,
      };
    }
    const index = indexBySequence.get(identifier);
    if (index === undefined) return { kind: "invalid", reason: `itemIdentifier ${identifier} is not a sequence number of this batch` };
    firstFailedIndex = Math.min(firstFailedIndex, index);
  }
  return { kind: "partial", firstFailedIndex, reported: failures.length };
}
