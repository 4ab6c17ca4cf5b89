/**
 * An SQS queue as a fan-out target: SendMessageBatch with one message a record (see `message.ts`), entry ids
 * the records' positions; a FIFO queue gets MessageGroupId = the partition key (per-key order) and
 * MessageDeduplicationId = a hash of the idempotency key (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { SQS_SEND_MESSAGE_BATCH } from "../../../semantics/fanout-limits";
import type { ConsumerRecord } from "../consumer";
import { perRecord } from "../consumer/per-record";
import { messageBytes, messageEntry, recordMessage, refusedEntries } from "./message";
import type { FanoutTarget } from "./publish";

/** Where and how to send. */
export interface SqsTargetOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** The queue is a FIFO queue (its name ends `.fifo`). */
  readonly fifo: boolean;
}

/** The queue as a {@link FanoutTarget}. */
export function sqsTarget(options: SqsTargetOptions): FanoutTarget {
  const { client, queueUrl, fifo } = options;
  // Built once per record: sized when the batch is cut, sent with the request.
  const messageOf = perRecord(recordMessage);
  return {
    name: queueUrl,
    limits: SQS_SEND_MESSAGE_BATCH,
    sizeOf: (record: ConsumerRecord) => messageBytes(messageOf(record)),
    send: async (records) => {
      const entries = records.map((record, i) => {
        const { body, ...entry } = messageEntry(record, messageOf(record), i, fifo);
        return { ...entry, MessageBody: body };
      });
      const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      return refusedEntries(answer.Failed);
    },
  };
}
