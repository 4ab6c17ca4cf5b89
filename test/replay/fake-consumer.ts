/**
 * A stand-in for a consumer built on the runtime, answering as semantics/consumer-report.ts says: an
 * idempotency store in memory (a completed record is skipped unless the tool asks to reprocess it), the
 * records of a key in order (none started after the key's failure, each reported `not-attempted`),
 * poison records isolated through the test's writer and remembered as completed, and the per-record report
 * only when the event asks for it. Plain records only (sub-sequence number 0).
 */
import type { KinesisStreamEvent } from "aws-lambda";
import type { ConsumerControl, RecordReport } from "../../semantics/consumer-report";
import type { FunctionReply } from "./support";

/** What the consumer's processor does with a record this time. */
export type Verdict = { readonly kind: "deliver" } | { readonly kind: "fail" | "isolate"; readonly reason: string };

/** A record as the processor sees it. */
export interface FakeRecord {
  readonly idempotencyKey: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly data: { readonly key: string; readonly n: number };
}

export interface FakeConsumer {
  answer(event: KinesisStreamEvent): Promise<FunctionReply>;
  /** Idempotency keys the store holds: delivered or isolated. */
  readonly completed: Set<string>;
  /** Records the processor delivered, in order (a record twice when it ran twice). */
  readonly deliveries: FakeRecord[];
  /** Each event's request (`undefined` when it sent none). */
  readonly controls: (ConsumerControl | undefined)[];
}

export function fakeConsumer(
  verdict: (record: FakeRecord) => Verdict = () => ({ kind: "deliver" }),
  isolate: (record: FakeRecord, reason: string) => Promise<string> = () => Promise.reject(new Error("no on-failure queue")),
): FakeConsumer {
  const completed = new Set<string>();
  const deliveries: FakeRecord[] = [];
  const controls: (ConsumerControl | undefined)[] = [];
  return {
    completed,
    deliveries,
    controls,
    async answer(event) {
      const control = (event as unknown as { kinesisIngest?: ConsumerControl }).kinesisIngest;
      controls.push(control);
      const reprocess = (key: string) => control?.reprocess === true || (control?.reprocess ?? []).includes(key);
      const stopped = new Set<string>();
      const reports: RecordReport[] = [];
      const failures: string[] = [];
      for (const entry of event.Records) {
        const { sequenceNumber, partitionKey } = entry.kinesis;
        const record: FakeRecord = {
          idempotencyKey: `${entry.eventID.split(":")[0]}:${sequenceNumber}:0`,
          partitionKey,
          sequenceNumber,
          data: JSON.parse(Buffer.from(entry.kinesis.data, "base64").toString()) as FakeRecord["data"],
        };
        const report = (outcome: RecordReport["outcome"], more: Partial<RecordReport> = {}) =>
          reports.push({ sequenceNumber, subSequenceNumber: 0, outcome, ...more });
        if (stopped.has(partitionKey)) {
          failures.push(sequenceNumber);
          report("not-attempted");
        } else if (completed.has(record.idempotencyKey) && !reprocess(record.idempotencyKey)) {
          report("skipped");
        } else {
          const decided = verdict(record);
          if (decided.kind === "deliver") {
            completed.add(record.idempotencyKey);
            deliveries.push(record);
            report("delivered");
          } else if (decided.kind === "isolate") {
            const onFailureMessageId = await isolate(record, decided.reason);
            completed.add(record.idempotencyKey);
            report("isolated", { reason: decided.reason, onFailureMessageId });
          } else {
            stopped.add(partitionKey);
            failures.push(sequenceNumber);
            report("failed", { reason: decided.reason });
          }
        }
      }
      const response = { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
      return { payload: control?.report ? { ...response, kinesisIngest: { records: reports } } : response };
    },
  };
}
