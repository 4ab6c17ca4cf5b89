/**
 * An SNS topic as a fan-out target: PublishBatch with one message a record (see `message.ts`), entry ids the
 * records' positions, the attributes subscription filter policies can route on; a FIFO topic gets
 * MessageGroupId = the partition key and MessageDeduplicationId = a hash of the idempotency key
 * (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import { PublishBatchCommand, type SNSClient } from "@aws-sdk/client-sns";
import { SNS_PUBLISH_BATCH } from "../../../semantics/fanout-limits";
import type { ConsumerRecord } from "../consumer";
import { perRecord } from "../consumer/per-record";
import { messageBytes, messageEntry, recordMessage, refusedEntries } from "./message";
import type { FanoutTarget } from "./publish";

/** Where and how to publish. */
export interface SnsTargetOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** The topic is a FIFO topic (its name ends `.fifo`). */
  readonly fifo: boolean;
}

/** The topic as a {@link FanoutTarget}. */
export function snsTarget(options: SnsTargetOptions): FanoutTarget {
  const { client, topicArn, fifo } = options;
  // Built once per record: sized when the batch is cut, sent with the request.
  const messageOf = perRecord(recordMessage);
  return {
    name: topicArn,
    limits: SNS_PUBLISH_BATCH,
    sizeOf: (record: ConsumerRecord) => messageBytes(messageOf(record)),
    send: async (records) => {
      const entries = records.map((record, i) => {
        const { body, ...entry } = messageEntry(record, messageOf(record), i, fifo);
        return { ...entry, Message: body };
      });
      const answer = await client.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
      return refusedEntries(answer.Failed);
    },
  };
}
