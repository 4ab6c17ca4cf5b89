/**
 * The partial batch response Lambda reads when the mapping has `ReportBatchItemFailures`.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import type { BatchOutcome } from "./ordered";

/**
 * `{"batchItemFailures":[{"itemIdentifier": sequenceNumber}, …]}`: one entry per Kinesis record with a
 * failed or deferred user record (a KPL aggregate is named once, by its own sequence number), in sequence
 * order, so the first entry is the lowest, where Lambda checkpoints. Records skipped after a failure are not listed:
 * Lambda redelivers everything from the lowest entry on. An empty list acknowledges the whole batch.
 */
export function batchResponse(
  event: KinesisStreamEvent,
  outcome: BatchOutcome,
  parentIndex: readonly number[],
): KinesisStreamBatchResponse {
  if (outcome.failures.length === 0 && outcome.deferred.length === 0) return { batchItemFailures: [] };
  const indices = [...outcome.failures.map((failure) => failure.index), ...outcome.deferred];
  const failedParents = [...new Set(indices.map((index) => parentIndex[index]!))].sort((a, b) => a - b);
  return {
    batchItemFailures: failedParents.map((i) => ({ itemIdentifier: event.Records[i]!.kinesis.sequenceNumber })),
  };
}
