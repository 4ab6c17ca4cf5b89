/**
 * What each consumer's function says it did with the records it was handed, summed from the one summary
 * line the consumer runtime writes per invocation ("Kinesis batch processed": `Records`, `FailedRecords`,
 * `IsolatedRecords`, `SkippedRecords`, `SkippedDuplicates`; handlers/lib/consumer/telemetry.ts). Built-in
 * kinds hand their lines over in-process (`writeLine`); a user's module writes them to its worker's stdout.
 *
 * Every invocation counts, whoever made it: the event source mapping, the replay mapping, a redrive, a
 * direct Invoke. An invocation that wrote no summary (the function threw, timed out, or does not use the
 * runtime) adds nothing here; the mapping's own counters (`/_local/status`) still count its records.
 */

/** The console's figures of one consumer, in user records (a KPL aggregate counts as the records it holds). */
export interface ConsumerFigures {
  /** Records handed to the function, each time it was handed one: a redelivered record counts again. */
  readonly received: number;
  /** Records the function processed successfully (received minus failed, isolated, not attempted, duplicates). */
  readonly delivered: number;
  /** Failed attempts: records reported as failed (retried) plus records isolated for good. */
  readonly failed: number;
  /** Of `failed`: records the runtime wrote alone to the on-failure queue and acknowledged. */
  readonly isolated: number;
  /** Records acknowledged without processing: the idempotency store had them as completed. */
  readonly skipped: number;
  /** Records not started after an earlier failure or for lack of time: handed again later. */
  readonly notAttempted: number;
  /** Invocations that wrote a summary line. */
  readonly batches: number;
}

const ZERO: ConsumerFigures = { received: 0, delivered: 0, failed: 0, isolated: 0, skipped: 0, notAttempted: 0, batches: 0 };

/** The marker of a summary line: cheaper to look for than parsing every log line. */
const SUMMARY_MESSAGE = '"message":"Kinesis batch processed"';

/** Sums the consumers' summary lines. */
export class ConsumerTally {
  private readonly figures = new Map<string, ConsumerFigures>();

  /** Reads one line a consumer's function wrote; anything but its batch summary is ignored. */
  line(consumer: string, line: string): void {
    if (!line.includes(SUMMARY_MESSAGE)) return;
    let summary: Record<string, unknown>;
    try {
      summary = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const count = (key: string): number => {
      const value = summary[key];
      return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
    };
    const records = count("Records");
    const failed = count("FailedRecords");
    const isolated = count("IsolatedRecords");
    const notAttempted = count("SkippedRecords");
    const skipped = count("SkippedDuplicates");
    const before = this.of(consumer);
    this.figures.set(consumer, {
      received: before.received + records,
      delivered: before.delivered + Math.max(0, records - failed - isolated - notAttempted - skipped),
      failed: before.failed + failed + isolated,
      isolated: before.isolated + isolated,
      skipped: before.skipped + skipped,
      notAttempted: before.notAttempted + notAttempted,
      batches: before.batches + 1,
    });
  }

  /** The figures of `consumer` so far (all 0 before its first summary). */
  of(consumer: string): ConsumerFigures {
    return this.figures.get(consumer) ?? ZERO;
  }
}
