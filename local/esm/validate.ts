/** Checks the mapping settings the engine relies on, with messages naming the setting, the value and what is allowed. */
import { compileFilterCriteria } from "./filter";
import type { MappingSettings } from "./types";

/** Throws an Error listing every setting out of range. */
export function validateMappingSettings(settings: MappingSettings): void {
  const problems: string[] = [];
  const check = (name: keyof MappingSettings, ok: boolean, allowed: string): void => {
    if (!ok) problems.push(`\`${name}\` must be ${allowed}, got ${JSON.stringify(settings[name])}`);
  };
  const intIn = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;
  check("batchSize", intIn(settings.batchSize, 1, 10_000), "an integer from 1 to 10000");
  check("batchWindowSeconds", settings.batchWindowSeconds >= 0 && settings.batchWindowSeconds <= 300, "from 0 to 300");
  check("parallelizationFactor", intIn(settings.parallelizationFactor, 1, 10), "an integer from 1 to 10");
  check("maxRetryAttempts", settings.maxRetryAttempts === -1 || intIn(settings.maxRetryAttempts, 0, 10_000), "-1 or an integer from 0 to 10000");
  // Lambda's floor is 60 s; the engine accepts any positive age so that tests can scale time down.
  check("maxRecordAgeSeconds", settings.maxRecordAgeSeconds === -1 || settings.maxRecordAgeSeconds > 0, "-1 or a positive number of seconds");
  const window = settings.tumblingWindowSeconds ?? 0;
  check("tumblingWindowSeconds", intIn(window, 0, 900), "an integer from 0 to 900 (0: no window)");
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
