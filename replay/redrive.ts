/**
 * Redrive: for each on-failure record in the SQS destination, re-read exactly the failed batch from its
 * shard (AT_SEQUENCE_NUMBER start, stop after end), deliver it again (honouring batchItemFailures), and
 * delete the message only once every record was processed. A range that has partly or wholly left the
 * stream (start older than the trim horizon) is reported with its pointers and the message is kept,
 * unless `deleteExpired`; nothing is dropped silently.
 *
 * A run ends: each message is redriven at most once in it. A message it keeps is hidden for the rest of the
 * run, and one that shows again anyway (its visibility timeout ran out while it was redriven, shorter than
 * the redrive took) is recognised by its message id and hidden again, never redriven twice; so a run takes
 * at most one attempt per message of the queue, and ends at the first receive that finds nothing visible.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { deliveryBatches } from "./batches";
import { awsErrorName, describeError } from "../semantics/errors";
import { parseOnFailureRecord, type FailedBatchPointer } from "./on-failure-record";
import { withRetry } from "./retry";
import { readShard } from "./shard-reader";
import type { ReplayTarget } from "./targets/target";
import type { StreamRecord } from "./types";

/** Options of {@link runRedrive}. */
export interface RedriveOptions {
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  readonly queueUrl: string;
  /** The target for one failed batch (a function target names the batch's stream as event source). Absent in a dry run. */
  readonly targetFor?: (batch: FailedBatchPointer) => ReplayTarget;
  /** Records per delivery. @default 100 */
  readonly batchSize?: number;
  /** Delete messages whose range has expired, once what is left of it was redriven. @default false */
  readonly deleteExpired?: boolean;
  /** Stop after this many messages. @default no limit */
  readonly maxMessages?: number;
  /** SQS long-poll wait; an empty receive ends the run. @default 1 */
  readonly waitSeconds?: number;
  /** How long a received message stays hidden while it is redriven. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** Called with each message's outcome as soon as it is known, so callers can stream them. */
  readonly onOutcome?: (outcome: MessageOutcome) => void;
}

/**
 * How long a kept message is hidden once handled: an hour. Should a run last longer, the message shows
 * again, is recognised by its id and hidden again, so no run needs SQS's 12-hour visibility maximum.
 */
const HIDDEN_FOR_THE_RUN_SECONDS = 3600;

/** What happened to one message. */
export interface MessageOutcome {
  readonly messageId: string;
  /** `redriven` deleted; `expired` some or all records left the stream; `failed` the target still rejects some; `invalid` not an on-failure record; `dry-run` listed only. */
  readonly status: "redriven" | "expired" | "failed" | "invalid" | "dry-run";
  readonly deleted: boolean;
  readonly pointer?: FailedBatchPointer;
  /** Records of the range still in the stream. */
  readonly found?: number;
  readonly firstFoundSequenceNumber?: string;
  readonly delivered?: number;
  readonly reason?: string;
}

/** Receives and redrives messages until the queue has none visible (or `maxMessages`). */
export async function runRedrive(options: RedriveOptions): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  /** Messages handled in this run, by id: whether each was deleted. */
  const handled = new Map<string, boolean>();
  /** Kept messages by id, with their latest receipt handle: made visible again when the run ends. */
  const kept = new Map<string, Message>();
  const hide = (message: Message, seconds: number) =>
    options.sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: seconds,
        }),
      )
      .catch(() => undefined);
  const remove = (message: Message) =>
    withRetry(() => options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle })));
  try {
    while (options.maxMessages === undefined || outcomes.length < options.maxMessages) {
      const wanted = Math.min(10, (options.maxMessages ?? Infinity) - outcomes.length);
      const received = await withRetry(() =>
        options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: wanted,
            WaitTimeSeconds: options.waitSeconds ?? 1,
            VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
          }),
        ),
      );
      const messages = received.Messages ?? [];
      const fresh = messages.filter((message) => !handled.has(message.MessageId ?? ""));
      for (const message of messages.filter((m) => !fresh.includes(m))) {
        // Shown again after this run handled it: finish what was decided, never redrive it twice.
        const id = message.MessageId ?? "";
        if (handled.get(id)) await remove(message);
        else {
          kept.set(id, message);
          await hide(message, HIDDEN_FOR_THE_RUN_SECONDS);
        }
      }
      if (messages.length === 0) break;
      // Until deleted, every received message counts as kept: an error mid-run releases it too.
      for (const message of fresh) kept.set(message.MessageId ?? "", message);
      for (const message of fresh) {
        const outcome = await redriveMessage(options, message);
        handled.set(outcome.messageId, outcome.deleted);
        outcomes.push(outcome);
        options.onOutcome?.(outcome);
        const latest = kept.get(outcome.messageId) ?? message;
        if (outcome.deleted) {
          await remove(latest);
          kept.delete(outcome.messageId);
        } else {
          await hide(latest, HIDDEN_FOR_THE_RUN_SECONDS);
        }
      }
    }
  } finally {
    // Kept messages become visible again at once, for the operator's next run (not in this one).
    for (const message of kept.values()) await hide(message, 0);
  }
  return outcomes;
}

async function redriveMessage(options: RedriveOptions, message: Message): Promise<MessageOutcome> {
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

  const target = options.targetFor(pointer);
  let delivered = 0;
  try {
    for (const batch of deliveryBatches(read.records, options.batchSize ?? 100, target.maxBatchBytes)) {
      const outcome = await target.deliver(batch);
      delivered += batch.length - outcome.failed.length;
      if (outcome.failed.length > 0) {
        const reason = `${outcome.failed.length} records from ${outcome.failed[0].sequenceNumber} still fail: ${outcome.reason ?? "not delivered"}`;
        return { ...base, delivered, status: "failed", deleted: false, reason };
      }
    }
  } finally {
    await target.close();
  }
  if (expired) return { ...base, delivered, status: "expired", deleted: options.deleteExpired ?? false, reason: expiredReason };
  return { ...base, delivered, status: "redriven", deleted: true };
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
