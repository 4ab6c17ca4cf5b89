/**
 * Primitive checks for the stack configuration validator. Each reads one value at a key path, records a
 * problem (naming the path, the value received and what is allowed) and returns undefined when it is wrong.
 * Types are exact: YAML's `"yes"` or `"5"` is a string, never a boolean or a number.
 */

/**
 * Collects the problems found while reading one configuration, and the warnings: what is valid but deserves
 * a word (a `replayFrom` gone stale with time), which must never stop a plan.
 */
export class Problems {
  readonly list: string[] = [];
  readonly warnings: string[] = [];
  add(path: string, allowed: string, value: unknown): undefined {
    this.list.push(`\`${path}\` must be ${allowed}, got ${show(value)}`);
    return undefined;
  }
  say(sentence: string): undefined {
    this.list.push(sentence);
    return undefined;
  }
  warn(sentence: string): void {
    this.warnings.push(sentence);
  }
}

/** Renders a received value for a message: JSON, shortened. */
function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export type RawObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is RawObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested section of the stack file: its object, or `{}` (with a problem when it is not an object). */
export function section(p: Problems, path: string, value: unknown): RawObject {
  if (value === undefined) return {};
  return isObject(value) ? value : (p.add(path, "an object", value), {});
}

/** An integer in [min, max], or one of `extra` (such as -1 meaning "no limit"). */
export function integer(
  p: Problems,
  path: string,
  value: unknown,
  min: number,
  max: number,
  extra: readonly number[] = [],
): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && ((value >= min && value <= max) || extra.includes(value))) {
    return value;
  }
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const prefix = extra.length > 0 ? `${extra.join(" or ")}, or ` : "";
  return p.add(path, `${prefix}an integer ${range}`, value);
}

export function boolean(p: Problems, path: string, value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : p.add(path, "true or false", value);
}

/** One of `allowed`, strings or numbers, matched exactly (`"14"` is not 14). */
export function oneOf<T extends string | number>(p: Problems, path: string, value: unknown, allowed: readonly T[]): T | undefined {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : p.add(path, `one of ${allowed.join(", ")}`, value);
}

export function matching(p: Problems, path: string, value: unknown, pattern: RegExp, allowed: string): string | undefined {
  return typeof value === "string" && pattern.test(value) ? value : p.add(path, allowed, value);
}

export function url(p: Problems, path: string, value: unknown, schemes: readonly string[]): string | undefined {
  if (typeof value === "string") {
    try {
      if (schemes.includes(new URL(value).protocol.replace(/:$/, ""))) return value;
    } catch {
      // falls through to the problem below
    }
  }
  return p.add(path, `an absolute ${schemes.join(" or ")} URL`, value);
}

/**
 * An RFC 3339 date-time (seconds and a time zone required), as the provider checks AT_TIMESTAMP positions,
 * returned in the one form the provider reads back: UTC, whole seconds, `YYYY-MM-DDTHH:MM:SSZ`. Any other
 * spelling of the same instant (an offset, a fraction) would differ from the mapping's state on every later
 * run and replace the mapping. A fraction is truncated, as the read-back does: the mapping starts under a
 * second earlier than written, never later (docs/day-2.md#timestamps).
 */
export function timestamp(p: Problems, path: string, value: unknown): string | undefined {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = typeof value === "string" && rfc3339.test(value) && onTheCalendar(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms)
    ? p.add(path, "an RFC 3339 date-time with seconds and a time zone, such as 2026-11-01T00:00:00Z", value)
    : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** February 30 and 24:00 parse in JavaScript (as March 2, as the next day) but not in the provider. */
function onTheCalendar(text: string): boolean {
  const [year, month, day, hour] = text.slice(0, 13).split(/[-T]/).map(Number);
  if (year === undefined || month === undefined || day === undefined || hour === undefined) return false;
  return hour < 24 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function stringList(
  p: Problems,
  path: string,
  value: unknown,
  maxItems: number,
  item: (path: string, v: unknown) => string | undefined,
): string[] | undefined {
  if (!Array.isArray(value)) return p.add(path, `a list of at most ${maxItems} items`, value);
  if (value.length > maxItems) return p.say(`\`${path}\` must be a list of at most ${maxItems} items, got ${value.length} items`);
  const items = value.map((v, i) => item(`${path}[${i}]`, v));
  return items.every((v): v is string => v !== undefined) ? items : undefined;
}

/**
 * Reports every key of `raw` not in `known`, with a suggestion for a near miss: a typo must never be
 * silently ignored.
 */
export function rejectUnknownKeys(p: Problems, path: string, raw: RawObject, known: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    const where = path === "" ? `\`kinesis-ingest:${key}\`` : `\`${path}.${key}\``;
    p.say(`${where} is not a known setting${near ? ` (did you mean \`${near}\`?)` : ""}; known settings: ${known.join(", ")}`);
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      // Both rows span 0..b.length: previous in full, current up to j - 1 (set just before).
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!; // the last row spans 0..b.length
}
