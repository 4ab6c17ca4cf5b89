/**
 * What a target did with each user record it was handed, and the counts replay and redrive print. Only
 * the function target knows per record: it asks the consumer for its report (semantics/consumer-report.ts).
 * The other targets count a batch as delivered except the records they return as failed.
 */
import type { RecordOutcome } from "../semantics/consumer-report";
import type { StreamRecord } from "./types";

/**
 * The consumer's outcomes, and `acknowledged`: the function took the record but sent no report (it is not
 * built on the consumer runtime), so whether it delivered or skipped it is not known.
 */
type ResultOutcome = RecordOutcome | "acknowledged";

/** The final result of one user record of a delivery. */
export interface RecordResult {
  /** The Kinesis record that carried it (a KPL aggregate carries several). */
  readonly record: StreamRecord;
  /** The user record's own partition key. */
  readonly partitionKey: string;
  readonly subSequenceNumber: number;
  /** `shardId:sequenceNumber:subSequenceNumber`, the consumer's idempotency key. */
  readonly idempotencyKey: string;
  readonly outcome: ResultOutcome;
  /** Why it failed or was isolated: the consumer's words, else the invocation's. */
  readonly reason?: string;
  /** For `isolated`: the on-failure record the consumer wrote for it. */
  readonly onFailureMessageId?: string;
  /** Invocations that carried it. */
  readonly invocations: number;
}

/** Records by final outcome; `failed` includes `not-attempted` (neither was delivered). */
export interface RecordCounts {
  delivered: number;
  skipped: number;
  isolated: number;
  acknowledged: number;
  failed: number;
}

const COUNTED: readonly (keyof RecordCounts)[] = ["delivered", "skipped", "isolated", "acknowledged", "failed"];

export function noRecords(): RecordCounts {
  return { delivered: 0, skipped: 0, isolated: 0, acknowledged: 0, failed: 0 };
}

/** Not delivered once the bounded invocations are over. */
export function stillFails(result: Pick<RecordResult, "outcome">): boolean {
  return result.outcome === "failed" || result.outcome === "not-attempted";
}

/**
 * The counts of one delivered batch: from the results when the target has them (user records), else the
 * batch's Kinesis records, delivered but for those returned as failed.
 */
export function countDelivery(
  batchSize: number,
  outcome: { readonly failed: readonly unknown[]; readonly results?: readonly RecordResult[] },
): RecordCounts {
  if (!outcome.results) return { ...noRecords(), delivered: batchSize - outcome.failed.length, failed: outcome.failed.length };
  const counts = noRecords();
  for (const result of outcome.results) {
    if (stillFails(result)) counts.failed++;
    else counts[result.outcome as Exclude<ResultOutcome, "failed" | "not-attempted">]++;
  }
  return counts;
}

/** Adds the counts of `more` into `into` (either may carry other fields, as a shard's stats do). */
export function addCounts(into: RecordCounts, more: RecordCounts): void {
  for (const key of COUNTED) into[key] += more[key];
}

/** The records that get a line of their own: every one not delivered (skipped, isolated, failed, not attempted). */
export function worthALine(result: RecordResult): boolean {
  return result.outcome !== "delivered" && result.outcome !== "acknowledged";
}

/** A record's line (`{"record": …}` in the replay and redrive output): pointers and outcome, no data. */
export interface RecordLine {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly outcome: ResultOutcome;
  readonly reason?: string;
  readonly onFailureMessageId?: string;
}

export function recordLine(result: RecordResult): RecordLine {
  return {
    shardId: result.record.shardId,
    sequenceNumber: result.record.sequenceNumber,
    subSequenceNumber: result.subSequenceNumber,
    partitionKey: result.partitionKey,
    outcome: result.outcome,
    ...(result.reason !== undefined && { reason: result.reason }),
    ...(result.onFailureMessageId !== undefined && { onFailureMessageId: result.onFailureMessageId }),
  };
}
