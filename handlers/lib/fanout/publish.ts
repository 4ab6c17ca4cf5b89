/**
 * The delivery every fan-out target shares: one request of records goes out as one batch call; entries the
 * target refused for being throttled (or a service fault) are sent again, alone, with full-jitter backoff
 * while the function has time left; what is still refused then, or refused for good, fails as records
 * (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import type { Context } from "aws-lambda";
import { backoffDelay, sleep, type BackoffOptions } from "../../../semantics/backoff";
import { awsErrorName, classifyAwsError } from "../../../semantics/errors";
import { FANOUT_FAULT_CODES, FANOUT_THROTTLE_CODES, type BatchApiLimits } from "../../../semantics/fanout-limits";
import {
  createBatchedConsumer,
  type ChunkAnswer,
  type ConsumerOptions,
  type ConsumerRecord,
  type ErrorWithLogFields,
  type KinesisConsumerHandler,
  PermanentRecordError,
} from "../consumer";

/** An entry a batch call refused: its position in the call's records, the API's code and message. */
export interface EntryRefusal {
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

/** A queue, topic or bus, as the fan-out runtime publishes to it. */
export interface FanoutTarget {
  /** What the log lines name, e.g. the queue's URL or the bus name. */
  readonly name: string;
  readonly limits: BatchApiLimits;
  /** A record's bytes as the API counts its entry. */
  readonly sizeOf: (record: ConsumerRecord) => number;
  /** One batch call with these records (entry ids are their positions); resolves with the refused entries. */
  readonly send: (records: readonly ConsumerRecord[]) => Promise<readonly EntryRefusal[]>;
}

/** A record the target did not take. */
class TargetRefusedError extends Error implements ErrorWithLogFields {
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: string,
    target: string,
    message: string,
    retriable: boolean,
  ) {
    super(`${target} refused the record: ${code}: ${message}`);
    this.name = "TargetRefusedError";
    this.logFields = { target, errorCode: code, retriable };
  }
}

/** Retry settings of {@link createFanoutConsumer}. */
export interface FanoutRetryOptions extends BackoffOptions {
  /** Calls per request, the first included. @default 6 */
  readonly maxAttempts?: number;
  /** No retry starts unless the function has this much time left after its wait. @default 1000 */
  readonly reserveMs?: number;
  /** The wait between attempts (tests make it instant). @default semantics/backoff.ts sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** Whether an entry code or an error means "try again later". */
function isTransient(code: string): boolean {
  return FANOUT_THROTTLE_CODES.has(code) || FANOUT_FAULT_CODES.has(code);
}

/**
 * Delivers one request to `target`: entries refused as throttled or by a fault are sent again (the others are
 * not), a thrown throttling or fault error sends the still pending entries again, each after a full-jitter
 * wait, while attempts and the function's time allow. Whatever is left fails with {@link TargetRefusedError}.
 */
async function publishRequest(
  target: FanoutTarget,
  records: readonly ConsumerRecord[],
  context: Context | undefined,
  retry: FanoutRetryOptions = {},
): Promise<ChunkAnswer | void> {
  const maxAttempts = retry.maxAttempts ?? 6;
  const reserveMs = retry.reserveMs ?? 1_000;
  const wait = retry.sleep ?? ((ms: number) => sleep(ms));
  const timeLeft = (): number =>
    typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  const refused = new Map<number, { code: string; message: string; transient: boolean; entry: boolean }>();
  let pending = records.map((_, i) => i);
  for (let attempt = 0; attempt < maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 0) {
      const delay = backoffDelay(attempt - 1, retry, retry.random);
      if (timeLeft() - delay < reserveMs) break;
      await wait(delay);
    }
    let answer: readonly EntryRefusal[];
    try {
      answer = await target.send(pending.map((i) => records[i]!));
    } catch (error) {
      // The call as a whole failed: none of its entries counts as taken.
      const code = awsErrorName(error) ?? "Error";
      const transient = isTransient(code) || classifyAwsError(error) !== "permanent";
      const message = error instanceof Error ? error.message : String(error);
      for (const index of pending) refused.set(index, { code, message, transient, entry: false });
      if (!transient) break;
      continue;
    }
    const again: number[] = [];
    for (const index of pending) refused.delete(index);
    for (const entry of answer) {
      const index = pending[entry.index];
      if (index === undefined) throw new TypeError(`${target.name} answered for entry ${entry.index} of a call of ${pending.length}.`);
      const transient = isTransient(entry.code);
      refused.set(index, { code: entry.code, message: entry.message, transient, entry: true });
      if (transient) again.push(index);
    }
    pending = again;
  }
  if (refused.size === 0) return undefined;
  return {
    failed: [...refused].map(([index, r]) => {
      const error = new TargetRefusedError(r.code, target.name, r.message, r.transient);
      // An entry the API refused for good (not the call as a whole, which is the target's or the role's fault) is poison.
      return {
        index,
        error: r.transient || !r.entry ? error : new PermanentRecordError(error.message, { cause: error, logFields: error.logFields }),
      };
    }),
  };
}

/** Options of {@link createFanoutConsumer}. */
export interface FanoutConsumerOptions {
  readonly retry?: FanoutRetryOptions;
  /** Consumer runtime options (concurrency, idempotency, log sink, ...). */
  readonly consumer?: ConsumerOptions;
}

/**
 * A Kinesis consumer publishing every user record to `target` through its batch API: requests of at most the
 * API's entries and bytes (a record over the byte limit fails with `OversizeRecordError`, naming the limit),
 * per-key order across requests, throttled entries retried within the function's time, refused records
 * reported in `batchItemFailures` and nothing acknowledged that the target did not take.
 */
export function createFanoutConsumer(target: FanoutTarget, options: FanoutConsumerOptions = {}): KinesisConsumerHandler {
  return createBatchedConsumer((records, context) => publishRequest(target, records, context, options.retry), {
    maxRecords: target.limits.maxEntries,
    maxBytes: target.limits.maxBytes,
    sizeOf: target.sizeOf,
    ...options.consumer,
  });
}
