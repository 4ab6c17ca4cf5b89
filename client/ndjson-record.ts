/**
 * The NDJSON record format of `kinesis-ingest send` (and of its `--failed` file): one JSON value a line;
 * an object with `data` or `dataBase64` is a record (`partitionKey` optional; `error`, written to the
 * failed file, is ignored so that file can be sent again), any other JSON value is the record's data.
 */
import { encodeRecord } from "./record";
import type { ProducerRecord } from "./types";

const ENVELOPE_KEYS = new Set(["data", "dataBase64", "partitionKey", "error"]);

/** A parsed line: the record to send, and the value to echo (plus the error) into the failed file. */
export type ParsedLine =
  | { readonly ok: true; readonly record: ProducerRecord; readonly echo: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** Parses and checks one line against the API contract; blank lines are the caller's to skip. */
export function parseRecordLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  let record: ProducerRecord;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && ("data" in value || "dataBase64" in value)) {
    const unknown = Object.keys(value).filter((key) => !ENVELOPE_KEYS.has(key));
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: `unknown key ${unknown.map((k) => `\`${k}\``).join(", ")} in a record; allowed: data, dataBase64, partitionKey`,
      };
    }
    const { data, dataBase64, partitionKey } = value as { data?: unknown; dataBase64?: unknown; partitionKey?: unknown };
    if (dataBase64 !== undefined && typeof dataBase64 !== "string") return { ok: false, reason: "`dataBase64` must be a base64 string" };
    if (partitionKey !== undefined && typeof partitionKey !== "string")
      return { ok: false, reason: "`partitionKey` must be a string of 1 to 256 characters" };
    record = {
      ...(data === undefined ? {} : { data }),
      ...(dataBase64 === undefined ? {} : { dataBase64 }),
      ...(partitionKey === undefined ? {} : { partitionKey }),
    };
  } else {
    record = { data: value };
  }
  try {
    encodeRecord(record);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true, record, echo: { ...record } };
}
