/**
 * What a tool (replay, redrive, the local console) may ask of a consumer built on the runtime, and what the
 * runtime then answers, beside Lambda's partial batch response. An event source mapping never sends the
 * member, and the runtime never adds anything to its answer unless asked, so what Lambda reads is unchanged.
 */

/** The member of the Kinesis event that carries a tool's request. */
export const CONTROL_MEMBER = "kinesisIngest";

/** `event.kinesisIngest`. */
export interface ConsumerControl {
  /** Answer with one {@link RecordReport} per user record. */
  readonly report?: boolean;
  /**
   * Run records the idempotency store says completed before: `true` for every record of the event, or the
   * idempotency keys (`shardId:sequenceNumber:subSequenceNumber`) of those to run again.
   */
  readonly reprocess?: true | readonly string[];
}

/**
 * What the runtime did with one user record:
 * - `delivered`: the processor ran and resolved;
 * - `skipped`: completed before (idempotency), acknowledged without running the processor;
 * - `isolated`: poison, written alone to the on-failure queue and acknowledged;
 * - `failed`: the processor threw and the record was reported in `batchItemFailures`;
 * - `not-attempted`: not started (after an earlier failure of its key, or out of time); Lambda redelivers it.
 */
export type RecordOutcome = "delivered" | "skipped" | "isolated" | "failed" | "not-attempted";
const RECORD_OUTCOMES: readonly RecordOutcome[] = ["delivered", "skipped", "isolated", "failed", "not-attempted"];

export interface RecordReport {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly outcome: RecordOutcome;
  /** For `failed` and `isolated`: the error, as `Name: message` (shortened). */
  readonly reason?: string;
  /** For `isolated`: the SQS message id of the on-failure record written for it. */
  readonly onFailureMessageId?: string;
}

/** The answer to an event that asked for a report: `{"batchItemFailures":[…],"kinesisIngest":{"records":[…]}}`. */
export interface ReportedBatchResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
  readonly kinesisIngest: { readonly records: readonly RecordReport[] };
}

/** The report of an answer, or undefined when the function sent none (it is not built on the runtime). */
export function readRecordReports(answer: unknown): RecordReport[] | undefined {
  const member = (answer as { kinesisIngest?: { records?: unknown } } | null)?.kinesisIngest?.records;
  if (!Array.isArray(member)) return undefined;
  return member.filter(
    (entry): entry is RecordReport =>
      typeof entry === "object" &&
      entry !== null &&
      typeof (entry as RecordReport).sequenceNumber === "string" &&
      typeof (entry as RecordReport).subSequenceNumber === "number" &&
      RECORD_OUTCOMES.includes((entry as RecordReport).outcome),
  );
}
