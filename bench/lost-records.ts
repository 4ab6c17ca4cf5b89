/**
 * What the effectively-once benchmark counts once the redrive is over: a good record the downstream never
 * accepted is lost, wherever it is pointed at (a record inside an on-failure range is not safe: a redrive
 * of a range can never free the good records behind a refused one); and whether the queue points at
 * exactly the refused records: every message one record (Lambda's on-failure record names a first and last
 * sequence number, docs/aws-semantics.md#on-failure-destinations), and the records pointed at are the
 * refused ones, no more and no fewer. Its own file because these are the figures the effectively-once target is
 * about, and how they are decided should be read on its own.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { parseOnFailureRecord } from "../replay/on-failure-record";

/** The end state of one run. */
export interface EndState {
  /** Good records the downstream never accepted. */
  readonly lost: number;
  /** Messages left in the on-failure queue. */
  readonly messages: number;
  /** Distinct records those messages point at. */
  readonly pointedAt: number;
  /** Every message points at one record, and the records pointed at are exactly the refused ones. */
  readonly exact: boolean;
}

/**
 * Drains the on-failure queue `queueUrl` and judges it against the records written (by number `n`,
 * `sequenceOf[n]` its sequence number), the deliveries the downstream `accepted` and the records it refuses.
 */
export async function endState(
  sqs: SQSClient,
  queueUrl: string,
  sequenceOf: readonly bigint[],
  accepted: ReadonlyMap<number, number>,
  isRefused: (n: number) => boolean,
): Promise<EndState> {
  let messages = 0;
  let oneRecordEach = true;
  const pointed = new Set<number>();
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) break;
    for (const message of Messages) {
      messages++;
      const pointer = parseOnFailureRecord(message.Body!);
      const [from, to] = [BigInt(pointer.startSequenceNumber), BigInt(pointer.endSequenceNumber)];
      if (from !== to || pointer.batchSize !== 1) oneRecordEach = false;
      for (let n = 0; n < sequenceOf.length; n++) if (sequenceOf[n]! >= from && sequenceOf[n]! <= to) pointed.add(n);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  let lost = 0;
  let refused = 0;
  let refusedPointed = 0;
  for (let n = 0; n < sequenceOf.length; n++) {
    if (!isRefused(n)) {
      if (!accepted.has(n)) lost++;
      continue;
    }
    refused++;
    if (pointed.has(n)) refusedPointed++;
  }
  // Equal sets: every refused record pointed at, and nothing else pointed at.
  const exact = oneRecordEach && refusedPointed === refused && pointed.size === refused;
  return { lost, messages, pointedAt: pointed.size, exact };
}
