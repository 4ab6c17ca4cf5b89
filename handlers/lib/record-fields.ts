/**
 * The checks of a request record's fields that need nothing of the body around them (ingest-request.ts):
 * strict base64 for `dataBase64`, the partition key's type, length and Unicode, and how a refused value is
 * named in a message.
 */
import { MAX_PARTITION_KEY_LENGTH } from "../../semantics/limits";
import type { ProblemDetail } from "./errors";

const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/**
 * Strict base64 decoding. `Buffer.from` skips characters outside the alphabet and stops at misplaced
 * padding, so any of them makes the output shorter than the length implies — a check three times
 * cheaper than a regular expression over the text. It also accepts base64url's `-` and `_`, refused here.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || text.includes("-") || text.includes("_")) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === (text.length / 4) * 3 - padding ? bytes : undefined;
}

/** The key, `undefined` when absent, `null` when invalid (a problem was recorded). */
export function recordPartitionKey(key: unknown, at: string, index: number, problems: ProblemDetail[]): string | undefined | null {
  if (key === undefined) return undefined;
  const path = `${at}.partitionKey`;
  if (typeof key !== "string") {
    problems.push({
      path,
      record: index,
      message: `must be a string of 1 to ${MAX_PARTITION_KEY_LENGTH} characters, got ${describe(key)}`,
    });
    return null;
  }
  if (key.length === 0 || key.length > MAX_PARTITION_KEY_LENGTH) {
    problems.push({ path, record: index, message: `must be 1 to ${MAX_PARTITION_KEY_LENGTH} characters long, got ${key.length}` });
    return null;
  }
  if (UNPAIRED_SURROGATE.test(key)) {
    problems.push({ path, record: index, message: "must be valid Unicode text; it holds an unpaired surrogate" });
    return null;
  }
  return key;
}

/** A short description of a JSON value's type, for messages (never the value itself, which may be large). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
