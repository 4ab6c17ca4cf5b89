/**
 * Poison records: records that fail for good. The consumer runtime sends each alone to the consumer's
 * on-failure queue, as an on-failure record whose range is that one record, and goes on with the batch
 * (`poisonRecords: isolate`), or fails it as any other record (`block`). The names here are the contract
 * between the stack config, the program, the local stack and the runtime (docs/poison-records.md).
 */

/** The per-consumer setting `poisonRecords`. */
export const POISON_RECORD_MODES = ["isolate", "block"] as const;
export type PoisonRecordMode = (typeof POISON_RECORD_MODES)[number];
export const DEFAULT_POISON_RECORD_MODE: PoisonRecordMode = "isolate";

/**
 * The per-consumer setting `maxRecordAttempts`: a record that failed this many times across invocations is
 * poison. The failures are counted where the idempotency store keeps its keys, so with `idempotency: none`
 * only a {@link PERMANENT_CONDITION} failure makes a record poison.
 */
export const MAX_RECORD_ATTEMPTS_RANGE = { min: 1, max: 10_000 } as const;
export const DEFAULT_MAX_RECORD_ATTEMPTS = 3;

/** `value` as a mode, or a RangeError naming `name` (an option or a variable) and the modes. */
export function poisonRecordMode(value: string, name: string): PoisonRecordMode {
  const mode = POISON_RECORD_MODES.find((m) => m === value);
  if (mode === undefined) throw new RangeError(`${name} must be one of ${POISON_RECORD_MODES.join(", ")}, got "${value}".`);
  return mode;
}

/** `value` as a record's attempts, or a RangeError naming `name` and the range. */
export function maxRecordAttempts(value: number | string, name: string): number {
  const attempts = Number(value);
  const { min, max } = MAX_RECORD_ATTEMPTS_RANGE;
  if (!Number.isInteger(attempts) || attempts < min || attempts > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return attempts;
}

/** Environment variables the program (and the local stack) sets for the runtime's isolation. */
export const POISON_ENVIRONMENT = {
  /** The consumer's own on-failure queue, where isolated records go. */
  queueUrl: "ON_FAILURE_QUEUE_URL",
  /** `isolate` (unset) or `block`. */
  mode: "POISON_RECORDS",
  /** An integer in {@link MAX_RECORD_ATTEMPTS_RANGE}; {@link DEFAULT_MAX_RECORD_ATTEMPTS} when unset. */
  maxAttempts: "MAX_RECORD_ATTEMPTS",
} as const;

/**
 * `requestContext.condition` of an on-failure record the runtime writes for one record (Lambda's own are
 * `RetryAttemptsExhausted` and `RecordAgeExceeded`, for a range):
 * - the processor threw `PermanentRecordError` (a downstream 4xx other than 408 and 429, an entry a fan-out
 *   API refuses as not retriable, a record larger than the target takes);
 */
export const PERMANENT_CONDITION = "RecordFailedPermanently";
/** - the record failed `maxRecordAttempts` times; */
export const ATTEMPTS_CONDITION = "RecordAttemptsExhausted";
/** - `redrive` could still not deliver it after its own bounded invocations. */
export const REDRIVE_CONDITION = "RedriveAttemptsExhausted";

export type RecordFailureCondition = typeof PERMANENT_CONDITION | typeof ATTEMPTS_CONDITION | typeof REDRIVE_CONDITION;

/** The longest error text an on-failure record quotes. */
export const MAX_FAILURE_REASON_CHARS = 500;
