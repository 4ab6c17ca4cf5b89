/**
 * Running the per-record function over a batch: records of one partition key strictly one after another in
 * sequence order, different keys concurrently up to a limit; a key stops at its first failure, a poison
 * record isolated does not stop it, and other keys stop only when nothing remembers what they completed.
 */
import type { Context } from "aws-lambda";
import type { ConsumerRecord, RecordProcessor } from "./types";

/** A record whose processor threw, with what it threw. */
export interface RecordFailure {
  readonly index: number;
  readonly error: unknown;
}

/** What happened to a batch's records. */
export interface BatchOutcome {
  /** Failed records in the order they failed (isolated poison records are not failures). */
  readonly failures: RecordFailure[];
  /**
   * Records not started because the function was running out of time (see `hasTimeLeft`), in the order
   * they were deferred. They are reported like failures, so Lambda keeps the progress made and redelivers them.
   */
  readonly deferred: number[];
  /** Records never attempted: deferred ones, and those Lambda will redeliver after an earlier failure or deferral. */
  readonly skipped: number;
  /**
   * The lowest index in `event.Records` of a Kinesis record one of whose user records failed or was
   * deferred, or `Infinity` when none was. Lambda checkpoints just before this record.
   */
  readonly firstFailedParent: number;
}

/** How a failed record is settled, and what follows a failure. */
export interface FailureRule {
  /** Resolves true when the record was poison and isolated: it is acknowledged, and its key goes on. */
  readonly settle: (record: ConsumerRecord, error: unknown) => Promise<boolean>;
  /**
   * Whether other keys' records are still started after a failure: true when an idempotency store
   * remembers them, so the redelivery from the failure skips them (at most a skip, never a second delivery),
   * and none of them ends in Lambda's on-failure range undelivered when retries run out.
   */
  readonly continueAfterFailure: boolean;
}

/**
 * Runs `processRecord` over `records` keeping per-partition-key order.
 *
 * A key stops at its first failure: its later records are never attempted out of order (Lambda resumes the
 * shard at the lowest failed sequence number, so they all come back). A poison record that was isolated is
 * not a failure: its key goes on. Other keys go on after a failure when `continueAfterFailure`; otherwise
 * (no idempotency store) a record is started only while its parent Kinesis record lies before the lowest
 * failure seen so far, because a record after it would be delivered again by the retry. Records of other
 * keys that succeeded after the lowest failure are redelivered: delivery is at-least-once.
 *
 * @param parentIndex for each record, the index of the Kinesis record that carried it (non-decreasing)
 * @param concurrency how many partition keys run at the same time (≥ 1)
 * @param hasTimeLeft whether a record may still be started; once false, records are deferred instead, except
 *   that the batch's first record is always attempted so that every invocation makes progress
 */
export async function processInKeyOrder(
  records: readonly ConsumerRecord[],
  parentIndex: readonly number[],
  processRecord: RecordProcessor,
  concurrency: number,
  context: Context | undefined,
  hasTimeLeft: () => boolean,
  rule: FailureRule,
): Promise<BatchOutcome> {
  const lanes = lanesByPartitionKey(records);
  const failures: RecordFailure[] = [];
  const deferred: number[] = [];
  let firstFailedParent = Infinity;
  let attempted = 0;
  let nextLane = 0;
  /** Set at the first deferral: from then on nothing starts in any lane, and only that record is reported. */
  let outOfTime = false;

  const worker = async (): Promise<void> => {
    while (nextLane < lanes.length) {
      const lane = lanes[nextLane++]!;
      for (const index of lane) {
        if (outOfTime || (!rule.continueAfterFailure && parentIndex[index]! >= firstFailedParent)) break;
        if (attempted > 0 && !hasTimeLeft()) {
          outOfTime = true;
          deferred.push(index);
          firstFailedParent = Math.min(firstFailedParent, parentIndex[index]!);
          break;
        }
        attempted++;
        try {
          await processRecord(records[index]!, context);
        } catch (error) {
          if (await rule.settle(records[index]!, error)) continue;
          failures.push({ index, error });
          firstFailedParent = Math.min(firstFailedParent, parentIndex[index]!);
          break;
        }
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(concurrency, lanes.length); i++) workers.push(worker());
  await Promise.all(workers);
  return { failures, deferred, skipped: records.length - attempted, firstFailedParent };
}

/** Record indices grouped by partition key; lanes in order of their first record, each in sequence order. */
function lanesByPartitionKey(records: readonly ConsumerRecord[]): number[][] {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const key = records[i]!.partitionKey;
    const lane = byKey.get(key);
    if (lane === undefined) byKey.set(key, [i]);
    else lane.push(i);
  }
  return [...byKey.values()];
}
