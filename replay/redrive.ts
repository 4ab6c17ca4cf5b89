/**
 * Redrive: for each on-failure record in the SQS destination, redrive its range (redrive-message.ts) and
 * delete the message once the queue holds what still cannot be delivered in its place.
 *
 * A run ends: each message is redriven at most once in it. A message it keeps is hidden for the rest of the
 * run, and one that shows again anyway (its visibility timeout ran out while it was redriven, shorter than
 * the redrive took) is recognised by its message id and hidden again, never redriven twice; so a run takes
 * at most one attempt per message of the queue, and ends at the first receive that finds nothing visible.
 * The messages written during the run (by redrive for records that still fail, by the consumer for records
 * it isolated) count as kept by it: redriving them in the same run would loop.
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { redriveMessage, type MessageOutcome, type MessageRedriveOptions } from "./redrive-message";
import { withRetry } from "./retry";

/** Options of {@link runRedrive}. */
export interface RedriveOptions extends MessageRedriveOptions {
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
        for (const id of outcome.newMessageIds ?? []) handled.set(id, false);
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
