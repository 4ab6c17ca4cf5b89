/**
 * A consumer's on-failure queue as the console shows it: how many messages it holds, read from the queue
 * itself (the mapping's `dlqRecords` counts only the ranges the mapping sent, not the records the consumer
 * runtime isolated nor those redrive wrote), and its latest messages, read without consuming them
 * (ReceiveMessage with a visibility timeout of 0: each stays visible, only its receive count grows).
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";

/** One on-failure message, as a row of the console. */
export interface OnFailureEntry {
  readonly messageId: string;
  /** When the message was sent (SentTimestamp, ISO). */
  readonly sentAt?: string;
  /** `shardId start..end`, or `shardId sequenceNumber` for a range of one record. */
  readonly range: string;
  /** Records the range holds (a one-record message: 1). */
  readonly batchSize?: number;
  /** `RetryAttemptsExhausted`, `RecordAgeExceeded` (Lambda's, a range) or the runtime's and redrive's for one record. */
  readonly condition: string;
  /** Why: the record's error for one record; for a range, how the last invocation ended. */
  readonly why: string;
  /** The one user record's partition key (one-record messages only). */
  readonly partitionKey?: string;
}

/** What the console knows of one queue. */
export interface OnFailureQueueView {
  readonly url: string;
  /** Messages the queue holds: visible, in flight (being redriven, or just read) and delayed. */
  readonly depth: number;
  /** Up to {@link PEEK_MAX} of its visible messages, newest first. */
  readonly latest: readonly OnFailureEntry[];
}

/** Most messages one ReceiveMessage returns. */
const PEEK_MAX = 10;

/** The queue's depth: every message it holds, whether visible, in flight or delayed. */
export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  const count = (name: string) => Number(Attributes[name as keyof typeof Attributes] ?? 0) || 0;
  return (
    count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible") + count("ApproximateNumberOfMessagesDelayed")
  );
}

/** Reads up to 10 visible messages without consuming them (visibility timeout 0), newest first. */
export async function peekOnFailureRecords(sqs: SQSClient, url: string): Promise<OnFailureEntry[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: PEEK_MAX,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ["SentTimestamp"],
    }),
  );
  return Messages.map((message) => {
    const sent = Number(message.Attributes?.SentTimestamp);
    return {
      messageId: message.MessageId ?? "",
      ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
      ...describeOnFailureBody(message.Body ?? ""),
    };
  }).sort((a, b) => (b.sentAt ?? "").localeCompare(a.sentAt ?? ""));
}

/** The range, condition and reason of an on-failure record's JSON body; a body that is none says so. */
export function describeOnFailureBody(body: string): Omit<OnFailureEntry, "messageId" | "sentAt"> {
  let record: Partial<KinesisOnFailureRecord>;
  try {
    record = JSON.parse(body) as Partial<KinesisOnFailureRecord>;
  } catch {
    return { range: "—", condition: "not an on-failure record", why: "the message body is not JSON" };
  }
  const info = record?.KinesisBatchInfo;
  if (typeof info !== "object" || info === null)
    return { range: "—", condition: "not an on-failure record", why: "the message has no KinesisBatchInfo" };
  const one = info.startSequenceNumber === info.endSequenceNumber;
  const range = one
    ? `${info.shardId} ${info.startSequenceNumber}`
    : `${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber}`;
  const condition = record.requestContext?.condition ?? "unknown";
  const detail = record.kinesisIngest;
  return {
    range,
    ...(typeof info.batchSize === "number" ? { batchSize: info.batchSize } : {}),
    condition,
    why: detail?.reason ?? rangeReason(record, condition),
    ...(detail?.partitionKey !== undefined ? { partitionKey: detail.partitionKey } : {}),
  };
}

/** Why Lambda gave up on a range: its condition in words, and how the last invocation ended. */
function rangeReason(record: Partial<KinesisOnFailureRecord>, condition: string): string {
  const invocations = record.requestContext?.approximateInvokeCount;
  const tries = invocations === undefined ? "" : ` after ${invocations} invocation${invocations === 1 ? "" : "s"}`;
  if (condition === "RecordAgeExceeded") return `records older than the mapping's maxRecordAgeSeconds${tries}`;
  const response = record.responseContext;
  const ending =
    response === undefined
      ? ""
      : response.functionError
        ? `; the function failed (${response.functionError})`
        : "; the function reported batchItemFailures";
  return `the mapping's retries ran out${tries}${ending}`;
}
