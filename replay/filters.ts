/** Record filters: `--partition-key KEY` (any of) and `--where field.path=value` (all of), on the JSON data. */
import { UsageError } from "./errors";
import type { StreamRecord } from "./types";
import { userRecordsOf } from "./user-records";

/** One `--where` condition: a dotted field path into the JSON data and the expected value. */
export interface FieldCondition {
  readonly path: readonly string[];
  readonly value: string;
}

/** Parses `a.b.c=value` (the value may itself contain `=`). */
export function parseWhere(text: string): FieldCondition {
  const eq = text.indexOf("=");
  const field = eq > 0 ? text.slice(0, eq) : "";
  const path = field.split(".");
  if (eq <= 0 || path.some((part) => part === "")) {
    throw new UsageError(`--where must look like field.path=value, got "${text}".`);
  }
  return { path, value: text.slice(eq + 1) };
}

/**
 * Builds the predicate a record must pass to be replayed. A string field matches its text; any other
 * JSON value matches its JSON text (`--where count=3`, `--where ok=true`). Data that is not JSON never
 * matches a `--where`. Filters look into KPL aggregates: an aggregate is replayed (whole: it cannot be split
 * without re-aggregating) when any of its user records passes.
 */
export function recordFilter(options: {
  partitionKeys?: readonly string[];
  where?: readonly FieldCondition[];
}): (record: StreamRecord) => boolean {
  const keys = options.partitionKeys && options.partitionKeys.length > 0 ? new Set(options.partitionKeys) : undefined;
  const conditions = options.where ?? [];
  if (!keys && conditions.length === 0) return () => true;
  const passes = (partitionKey: string, bytes: Uint8Array): boolean => {
    if (keys && !keys.has(partitionKey)) return false;
    if (conditions.length === 0) return true;
    const data = parseJson(bytes);
    return data !== undefined && conditions.every((condition) => matches(data, condition));
  };
  return (record) => userRecordsOf(record).some((user) => passes(user.partitionKey, user.data));
}

/** A stable text for the checkpoint scope. */
export function describeFilters(options: { partitionKeys?: readonly string[]; where?: readonly FieldCondition[] }): string {
  const keys = (options.partitionKeys ?? []).map((key) => `partitionKey=${key}`);
  const where = (options.where ?? []).map((c) => `${c.path.join(".")}=${c.value}`);
  return [...keys, ...where].join(" ") || "none";
}

/** The record data as JSON, or `undefined` when it is not JSON text. */
function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function matches(data: unknown, condition: FieldCondition): boolean {
  let value: unknown = data;
  for (const part of condition.path) {
    if (typeof value !== "object" || value === null) return false;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined) return false;
  return typeof value === "string" ? value === condition.value : JSON.stringify(value) === condition.value;
}
