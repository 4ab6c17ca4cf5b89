/** Flag value parsers: each returns the value or throws a `UsageError` naming the flag, the value and what is allowed. */
import { UsageError } from "./usage-error";

/** An integer flag within [min, max], or `fallback` when the flag is absent. `flag` is named without dashes. */
export function integerFlag(value: string | undefined, flag: string, range: { min: number; max: number }, fallback: number): number;
/** Without a fallback: undefined when the flag is absent, so the library's own default applies. */
export function integerFlag(value: string | undefined, flag: string, range: { min: number; max: number }): number | undefined;
export function integerFlag(
  value: string | undefined,
  flag: string,
  range: { min: number; max: number },
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new UsageError(`--${flag} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** One of `allowed`, or `fallback` when the flag is absent. `flag` is named without dashes. */
export function choiceFlag<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
}

/** Parses an ISO 8601 time flag (`flag` with its dashes). */
export function parseTime(flag: string, text: string): Date {
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    throw new UsageError(`${flag} must be an ISO 8601 time such as 2024-05-01T12:00:00Z, got "${text}".`);
  }
  return time;
}

/** Parses a positive number flag (integers only unless `fraction`; `flag` with its dashes), or `undefined` when absent. */
export function parsePositive(flag: string, text: string | undefined, fraction = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (!fraction && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be a positive ${fraction ? "number" : "integer"}, got "${text}".`);
  }
  return value;
}
