/**
 * The function target's account of one batch: per user record, what the consumer reported over the
 * batch's invocations (the first and the retries from the lowest `batchItemFailures`), so each record is
 * counted once, by its final outcome; and what each invocation asks the consumer to reprocess.
 */
import type { ConsumerControl, RecordOutcome, RecordReport } from "../../semantics/consumer-report";
import { stillFails, type RecordResult } from "../record-results";
import type { StreamRecord } from "../types";
import { userRecordsOf } from "../user-records";
import type { DeliveryOutcome } from "./target";

interface Entry {
  readonly record: StreamRecord;
  readonly partitionKey: string;
  readonly subSequenceNumber: number;
  readonly idempotencyKey: string;
  outcome?: RecordOutcome | "acknowledged";
  reason?: string;
  onFailureMessageId?: string;
  invocations: number;
}

/**
 * A record this delivery delivered or isolated stays so: a retry that reports it skipped skipped the
 * delivery's own earlier run, not a duplicate from before, and must not be asked to run it again.
 */
function done(entry: Entry): boolean {
  return entry.outcome === "delivered" || entry.outcome === "isolated";
}

/** One batch's records (all of one shard, in order) and what became of each user record. */
export class DeliveryLedger {
  private readonly entries = new Map<StreamRecord, Entry[]>();
  /** By `sequenceNumber:subSequenceNumber`, the position a report names. */
  private readonly byPosition = new Map<string, Entry>();

  constructor(records: readonly StreamRecord[]) {
    for (const record of records) {
      const entries = userRecordsOf(record).map((user): Entry => ({
        record,
        partitionKey: user.partitionKey,
        subSequenceNumber: user.subSequenceNumber,
        idempotencyKey: user.idempotencyKey,
        invocations: 0,
      }));
      this.entries.set(record, entries);
      for (const entry of entries) this.byPosition.set(`${record.sequenceNumber}:${entry.subSequenceNumber}`, entry);
    }
  }

  /**
   * The request of an invocation of `pending`: always the report; and of the records `requested` for
   * reprocessing, those this delivery has not delivered or isolated yet (`true` while that is all of them).
   */
  control(pending: readonly StreamRecord[], requested: true | readonly string[] | undefined): ConsumerControl {
    if (requested === undefined) return { report: true };
    const asked = requested === true ? undefined : new Set(requested);
    const entries = this.of(pending);
    const keys = entries.filter((e) => !done(e) && (asked?.has(e.idempotencyKey) ?? true)).map((e) => e.idempotencyKey);
    if (requested === true && keys.length === entries.length) return { report: true, reprocess: true };
    return keys.length > 0 ? { report: true, reprocess: keys } : { report: true };
  }

  /** Takes an invocation's answer for `pending`: its reports, or undefined when the function sent none. */
  invoked(pending: readonly StreamRecord[], reports: readonly RecordReport[] | undefined): void {
    const reported = new Map(reports?.map((report) => [`${report.sequenceNumber}:${report.subSequenceNumber}`, report]));
    for (const record of pending) {
      for (const entry of this.entries.get(record) ?? []) {
        entry.invocations++;
        if (done(entry)) continue;
        const report = reported.get(`${record.sequenceNumber}:${entry.subSequenceNumber}`);
        entry.outcome = report?.outcome;
        entry.reason = report?.reason;
        entry.onFailureMessageId = report?.onFailureMessageId;
      }
    }
  }

  /** Records Lambda's rule takes as processed (all of a success, those before the lowest failure): unreported ones were acknowledged. */
  settled(records: readonly StreamRecord[]): void {
    for (const entry of this.of(records)) entry.outcome ??= "acknowledged";
  }

  /** The batch's outcome once the invocations are over; a record never settled still fails, for `reason`. */
  finish(reason?: string): DeliveryOutcome {
    const results = [...this.entries.values()].flat().map((entry): RecordResult => {
      const outcome = entry.outcome ?? "failed";
      return {
        record: entry.record,
        partitionKey: entry.partitionKey,
        subSequenceNumber: entry.subSequenceNumber,
        idempotencyKey: entry.idempotencyKey,
        outcome,
        reason: entry.reason ?? (stillFails({ outcome }) ? (reason ?? "not delivered") : undefined),
        onFailureMessageId: entry.onFailureMessageId,
        invocations: entry.invocations,
      };
    });
    const failing = results.filter(stillFails);
    const failed = [...new Set(failing.map((result) => result.record))];
    const [firstFailing] = failing;
    return { failed, reason: firstFailing === undefined ? undefined : (reason ?? firstFailing.reason), results };
  }

  private of(records: readonly StreamRecord[]): Entry[] {
    return records.flatMap((record) => this.entries.get(record) ?? []);
  }
}
