/**
 * Checks the mapping settings the engine relies on against Lambda's ranges
 * (docs/aws-semantics.md#event-source-mapping-settings), with messages naming the setting, the value and what is allowed.
 */
import { ESM_RANGES, inRange, LAMBDA_ESM_DEFAULTS, type SettingRange } from "../../semantics/event-source-mapping";
import { compileFilterCriteria } from "../../semantics/event-filter";
import type { MappingSettings } from "./types";

/** Throws an Error listing every setting out of range. */
export function validateMappingSettings(settings: MappingSettings): void {
  const problems: string[] = [];
  const check = (name: keyof MappingSettings, ok: boolean, allowed: string): void => {
    if (!ok) problems.push(`\`${name}\` must be ${allowed}, got ${JSON.stringify(settings[name])}`);
  };
  const integers = (range: SettingRange): string =>
    `${range.unlimited === undefined ? "" : `${range.unlimited} or `}an integer from ${range.min} to ${range.max}`;
  const { batchSize, batchWindowSeconds, parallelizationFactor, maxRetryAttempts, maxRecordAgeSeconds, tumblingWindowSeconds } = ESM_RANGES;
  check("batchSize", inRange(settings.batchSize, batchSize), integers(batchSize));
  // Fractions of a second are accepted so that tests can scale time down.
  check(
    "batchWindowSeconds",
    settings.batchWindowSeconds >= batchWindowSeconds.min && settings.batchWindowSeconds <= batchWindowSeconds.max,
    `from ${batchWindowSeconds.min} to ${batchWindowSeconds.max}`,
  );
  check("parallelizationFactor", inRange(settings.parallelizationFactor, parallelizationFactor), integers(parallelizationFactor));
  check("maxRetryAttempts", inRange(settings.maxRetryAttempts, maxRetryAttempts), integers(maxRetryAttempts));
  // Lambda's floor is 60 s; the engine accepts any positive age so that tests can scale time down.
  check(
    "maxRecordAgeSeconds",
    settings.maxRecordAgeSeconds === maxRecordAgeSeconds.unlimited || settings.maxRecordAgeSeconds > 0,
    `${maxRecordAgeSeconds.unlimited} or a positive number of seconds`,
  );
  const window = settings.tumblingWindowSeconds ?? LAMBDA_ESM_DEFAULTS.tumblingWindowSeconds;
  check("tumblingWindowSeconds", inRange(window, tumblingWindowSeconds), `${integers(tumblingWindowSeconds)} (0: no window)`);
  try {
    compileFilterCriteria(settings.filterPatterns ?? []);
  } catch (error) {
    problems.push((error as Error).message);
  }
  check(
    "startingPositionTimestamp",
    settings.startingPosition !== "AT_TIMESTAMP" || !Number.isNaN(Date.parse(settings.startingPositionTimestamp ?? "")),
    "an ISO-8601 time when `startingPosition` is AT_TIMESTAMP",
  );
  if (problems.length > 0) throw new Error(`Invalid event source mapping settings: ${problems.join("; ")}`);
}
