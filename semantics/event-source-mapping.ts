/**
 * Lambda's Kinesis event source mapping settings: the values each setting allows and AWS's own defaults,
 * as Lambda documents them (docs/aws-semantics.md#event-source-mapping-settings). The stack configuration
 * validator and the local mapping engine both check against these.
 */

/** An inclusive integer range, optionally with a value meaning "no limit". */
export interface SettingRange {
  readonly min: number;
  readonly max: number;
  /** The value that switches the limit off (`-1`: until the record expires). */
  readonly unlimited?: number;
}

/** The allowed range of each numeric mapping setting, keyed as the stack configuration names them. */
export const ESM_RANGES = {
  batchSize: { min: 1, max: 10_000 },
  batchWindowSeconds: { min: 0, max: 300 },
  parallelizationFactor: { min: 1, max: 10 },
  maxRecordAgeSeconds: { min: 60, max: 604_800, unlimited: -1 },
  maxRetryAttempts: { min: 0, max: 10_000, unlimited: -1 },
  tumblingWindowSeconds: { min: 0, max: 900 },
} as const satisfies Record<string, SettingRange>;

/** Where a new mapping starts reading a shard; AT_TIMESTAMP also needs the timestamp. */
export const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;

/** Filters one mapping may have (Lambda's default quota). */
export const MAX_FILTER_PATTERNS = 5;

/**
 * What Lambda uses when a setting is left out. Record age and retries of -1 let one bad record block its shard
 * until the record expires; tumbling window 0 means none.
 */
export const LAMBDA_ESM_DEFAULTS = {
  batchSize: 100,
  batchWindowSeconds: 0,
  parallelizationFactor: 1,
  bisectOnError: false,
  maxRecordAgeSeconds: -1,
  maxRetryAttempts: -1,
  tumblingWindowSeconds: 0,
} as const;

/** Whether `value` is an integer within `range` (or its "no limit" value). */
export function inRange(value: number, range: SettingRange): boolean {
  return Number.isInteger(value) && ((value >= range.min && value <= range.max) || value === range.unlimited);
}
