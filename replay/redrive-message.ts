/**
 * Redrive of one on-failure message: re-read exactly its range from the shard (AT_SEQUENCE_NUMBER start,
 * stop after end), deliver every record of it that the target takes, and leave in the queue exactly what
 * cannot be delivered: the message itself when nothing more precise can be said, else one message per
 * record that still fails (narrowing.ts), written before the original is deleted. A range that has partly
 * or wholly left the stream is reported with its pointers and the message is kept, unless
 * `deleteExpired`; nothing is dropped silently.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import { deliveryBatches } from "./batches";
import { awsErrorName, describeError } from "../semantics/errors";
import { pointsAtExactly, writeOneRecordMessages } from "./narrowing";
import { parseOnFailureRecord, type FailedBatchPointer } from "./on-failure-record";
import {
  addCounts,
  countDelivery,
  noRecords,
  recordLine,
  stillFails,
  worthALine,
  type RecordCounts,
  type RecordLine,
  type RecordResult,
} from "./record-results";
import { readShard } from "./shard-reader";
import type { ReplayTarget } from "./targets/target";
import type { StreamRecord } from "./types";

/** What redriving one message needs. */
export interface MessageRedriveOptions {
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  readonly queueUrl: string;
  /**
   * The target for one failed batch (a function target names the batch's stream as event source), asked to
   * reprocess the records `reprocess` names. Absent in a dry run.
   */
  readonly targetFor?: (batch: FailedBatchPointer, reprocess: readonly string[] | undefined) => ReplayTarget;
  /** Records per delivery. @default 100 */
  readonly batchSize?: number;
  /** Delete messages whose range has expired, once what is left of it was redriven. @default false */
  readonly deleteExpired?: boolean;
  /** Delete nothing: an export (`redrive --to-file` without `--delete`). @default false */
  readonly keepMessages?: boolean;
}

/** What happened to one message, and to the records of its range (counted by outcome, record-results.ts). */
export interface MessageOutcome extends Partial<RecordCounts> {
  readonly messageId: string;
  /**
   * `redriven` every record taken, deleted; `narrowed` each record that still fails is now a message of its
   * own (`newMessageIds`), the original deleted; `exported` written, kept (`keepMessages`); `expired` some
   * or all records left the stream; `failed` some records still fail and the message is kept; `invalid` not
   * an on-failure record; `dry-run` listed only.
   */
  readonly status: "redriven" | "narrowed" | "exported" | "expired" | "failed" | "invalid" | "dry-run";
  readonly deleted: boolean;
  readonly pointer?: FailedBatchPointer;
  /** Records of the range still in the stream. */
  readonly found?: number;
  readonly firstFoundSequenceNumber?: string;
  /** On-failure records written during the redrive: by redrive, and by the consumer for records it isolated. */
  readonly newMessageIds?: readonly string[];
  readonly reason?: string;
  /** The records not delivered (skipped, isolated, failed), each printed on a line of its own. */
  readonly records?: readonly RecordLine[];
}

export async function redriveMessage(options: MessageRedriveOptions, message: Message): Promise<MessageOutcome> {
  const messageId = message.MessageId ?? "";
  let pointer: FailedBatchPointer;
  try {
    pointer = parseOnFailureRecord(message.Body ?? "");
  } catch (error) {
    return { messageId, status: "invalid", deleted: false, reason: (error as Error).message };
  }
  const read = await readRange(options.kinesis, pointer);
  const found = read.records.length;
  const firstFound = read.records[0]?.sequenceNumber;
  const expired = read.missing !== undefined || found < pointer.batchSize || firstFound !== pointer.startSequenceNumber;
  const expiredReason = expired
    ? (read.missing ??
      `${found} of ${pointer.batchSize} records are still in the stream${firstFound && firstFound !== pointer.startSequenceNumber ? `, the first from ${firstFound}` : ""}: the start is older than the trim horizon`)
    : undefined;
  const base = { messageId, pointer, found, firstFoundSequenceNumber: firstFound };
  if (!options.targetFor) return { ...base, status: "dry-run", deleted: false, reason: expiredReason };

  // The consumer marked a record it isolated as completed: without asking, it would skip it as a duplicate.
  const target = options.targetFor(pointer, pointer.recordKey === undefined ? undefined : [pointer.recordKey]);
  const counts = noRecords();
  const results: RecordResult[] = [];
  let firstFailure: string | undefined;
  try {
    // Every batch, also after one that failed: the range's later records are delivered all the same.
    for (const batch of deliveryBatches(read.records, options.batchSize ?? 100, target.maxBatchBytes)) {
      const outcome = await target.deliver(batch);
      addCounts(counts, countDelivery(batch.length, outcome));
      results.push(...(outcome.results ?? []));
      const [firstFailed] = outcome.failed;
      if (firstFailed !== undefined) firstFailure ??= `from ${firstFailed.sequenceNumber} still fail: ${outcome.reason ?? "not delivered"}`;
    }
  } finally {
    await target.close();
  }
  const isolatedIds = results.flatMap((result) => (result.onFailureMessageId === undefined ? [] : [result.onFailureMessageId]));
  const reasons = [
    expiredReason,
    firstFailure && `${counts.failed} records ${firstFailure}`,
    counts.isolated > 0 ? `${counts.isolated} records were isolated by the consumer, each into a message of its own` : undefined,
  ].filter((r) => r !== undefined);
  const reason = reasons.length > 0 ? reasons.join("; ") : undefined;
  const removable = !options.keepMessages && (!expired || (options.deleteExpired ?? false));
  const decided = (status: MessageOutcome["status"], deleted: boolean, more?: Partial<MessageOutcome>): MessageOutcome => ({
    ...base,
    ...counts,
    status,
    deleted,
    newMessageIds: isolatedIds,
    reason,
    // Lines, not results: a run keeps every outcome until its summary, and results hold the records' data.
    records: results.filter(worthALine).map(recordLine),
    ...more,
  });

  if (counts.failed === 0) return decided(expired ? "expired" : options.keepMessages ? "exported" : "redriven", removable);
  const failing = results.filter(stillFails);
  // Only records the target described one by one can be narrowed to; the message stays for any other.
  if (!removable || failing.length !== counts.failed || pointsAtExactly(pointer, results, failing))
    return decided(expired ? "expired" : "failed", false);
  const { written, error } = await writeOneRecordMessages(options.sqs, options.queueUrl, pointer, failing);
  const newMessageIds = [...isolatedIds, ...written];
  if (error !== undefined) {
    const why = `${reason}; an on-failure record could not be written (${error}): the message is kept`;
    return decided(expired ? "expired" : "failed", false, { newMessageIds, reason: why });
  }
  return decided(expired ? "expired" : "narrowed", true, { newMessageIds });
}

/** Reads the batch's range; `missing` explains when the shard or stream is gone altogether. */
async function readRange(kinesis: KinesisClient, pointer: FailedBatchPointer): Promise<{ records: StreamRecord[]; missing?: string }> {
  const records: StreamRecord[] = [];
  try {
    for await (const page of readShard({
      client: kinesis,
      streamName: pointer.streamName,
      shardId: pointer.shardId,
      start: { type: "AT_SEQUENCE_NUMBER", sequenceNumber: pointer.startSequenceNumber },
      endSequenceNumber: pointer.endSequenceNumber,
    })) {
      records.push(...page.records);
    }
    return { records };
  } catch (error) {
    const name = awsErrorName(error) ?? awsErrorName((error as { cause?: unknown }).cause);
    if (name === "ResourceNotFoundException" || name === "InvalidArgumentException") {
      return { records: [], missing: `the range cannot be read any more (${describeError(error)})` };
    }
    throw error;
  }
}
