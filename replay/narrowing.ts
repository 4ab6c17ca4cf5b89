/**
 * What redrive leaves in the queue for a range it could not deliver whole: one on-failure record per user
 * record that still fails (`oneRecordOnFailure`, condition REDRIVE_CONDITION), in the message's own queue,
 * so the queue points at exactly what cannot be delivered and not at the records delivered since.
 */
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describeError } from "../semantics/errors";
import { oneRecordOnFailure } from "../semantics/on-failure-record";
import { REDRIVE_CONDITION } from "../semantics/poison-records";
import type { FailedBatchPointer } from "./on-failure-record";
import type { RecordResult } from "./record-results";
import { withRetry } from "./retry";

/** SendMessageBatch's most entries per call. */
const MAX_BATCH_ENTRIES = 10;

/**
 * A message that already points at exactly the one record that still fails stays as it is: a copy would
 * say nothing more, and would drop the condition and reason its writer gave.
 */
export function pointsAtExactly(pointer: FailedBatchPointer, results: readonly RecordResult[], failing: readonly RecordResult[]): boolean {
  return failing.length === 1 && (results.length === 1 || pointer.recordKey === failing[0]!.idempotencyKey);
}

/**
 * Writes one on-failure record per failing record. It names the original's function and request (the
 * batch Lambda gave up on), and counts the invocations redrive made on top of the original's. Returns the
 * new message ids, and the error that stopped the writes, if one did (the ids written before it stand).
 */
export async function writeOneRecordMessages(
  sqs: SQSClient,
  queueUrl: string,
  pointer: FailedBatchPointer,
  failing: readonly RecordResult[],
): Promise<{ readonly written: string[]; readonly error?: string }> {
  const written: string[] = [];
  for (let start = 0; start < failing.length; start += MAX_BATCH_ENTRIES) {
    const entries = failing.slice(start, start + MAX_BATCH_ENTRIES).map((result, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(
        oneRecordOnFailure({
          functionArn: pointer.functionArn ?? "",
          requestId: pointer.requestId ?? "",
          condition: REDRIVE_CONDITION,
          approximateInvokeCount: (pointer.approximateInvokeCount ?? 0) + result.invocations,
          eventSourceArn: pointer.streamArn,
          shardId: result.record.shardId,
          sequenceNumber: result.record.sequenceNumber,
          approximateArrivalTimestamp: result.record.approximateArrivalTimestamp.getTime() / 1000,
          partitionKey: result.partitionKey,
          subSequenceNumber: result.subSequenceNumber,
          reason: result.reason ?? result.outcome,
          nowMs: Date.now(),
        }),
      ),
    }));
    try {
      const sent = await withRetry(() => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })));
      written.push(...(sent.Successful ?? []).map((entry) => entry.MessageId ?? ""));
      const refused = sent.Failed?.[0];
      if (refused) return { written, error: `SQS refused an entry: ${refused.Code ?? "error"} ${refused.Message ?? ""}`.trim() };
    } catch (error) {
      return { written, error: describeError(error) };
    }
  }
  return { written };
}
