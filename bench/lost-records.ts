/**
 * What the effectively-once benchmark counts as lost: a record the downstream never accepted and no
 * on-failure record points at (Lambda's on-failure record names a batch's first and last sequence number,
 * docs/aws-semantics.md#on-failure-destinations). Its own file because "lost" is the figure the bench must show at 0, and how it is
 * decided should be read on its own.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisOnFailureRecord } from "../semantics/on-failure-record";

/**
 * Drains the on-failure queue `queueUrl` and counts the records (by number, `sequenceOf[n]` their sequence
 * numbers) neither in `accepted` nor inside a range an on-failure record points at.
 */
export async function lostRecords(
  sqs: SQSClient,
  queueUrl: string,
  sequenceOf: readonly bigint[],
  accepted: ReadonlyMap<number, number>,
): Promise<number> {
  const ranges: Array<[bigint, bigint]> = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const info = (JSON.parse(message.Body!) as KinesisOnFailureRecord).KinesisBatchInfo;
      ranges.push([BigInt(info.startSequenceNumber), BigInt(info.endSequenceNumber)]);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  let lost = 0;
  for (let n = 0; n < sequenceOf.length; n++) {
    if (!accepted.has(n) && !ranges.some(([from, to]) => sequenceOf[n]! >= from && sequenceOf[n]! <= to)) lost++;
  }
  return lost;
}
