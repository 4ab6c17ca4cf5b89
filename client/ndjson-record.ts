/**
 * The NDJSON record format of `kinesis-ingest send` (and of its `--failed` file): one JSON value a line;
 * an object with `data` or `dataBase64` is a record (`partitionKey` optional; `error`, written to the
 * failed file, is ignored so that file can be sent again), any other JSON value is the record's data.
 */
import { memberText } from "../handlers/lib/json-member";
import { encodeRecord } from "./record";
import type { ProducerRecord } from "./types";

const ENVELOPE_KEYS = new Set(["data", "dataBase64", "partitionKey", "error"]);

/** A parsed line: the record to send, and the line to write to the failed file if it is not stored. */
export type ParsedLine =
  | { readonly ok: true; readonly record: ProducerRecord; readonly failedLine: (error: string) => string }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses and checks one line against the API contract; blank lines are the caller's to skip. The record
 * carries its data as the line's exact text (`dataJson`), so what is stored is what the line says, byte for
 * byte, as the API stores a request's `data`.
 */
export function parseRecordLine(line: string, maxRecordBytes?: number): ParsedLine {
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
    const { dataBase64, partitionKey } = value as { dataBase64?: unknown; partitionKey?: unknown };
    if ("data" in value === (dataBase64 !== undefined))
      return { ok: false, reason: "A record must have exactly one of `data` (any JSON value) or `dataBase64` (a base64 string)." };
    if (dataBase64 !== undefined && typeof dataBase64 !== "string") return { ok: false, reason: "`dataBase64` must be a base64 string" };
    if (partitionKey !== undefined && typeof partitionKey !== "string")
      return { ok: false, reason: "`partitionKey` must be a string of 1 to 256 characters" };
    record = {
      ...(dataBase64 === undefined ? { dataJson: memberText(line, "data")! } : { dataBase64 }),
      ...(partitionKey === undefined ? {} : { partitionKey }),
    };
  } else {
    record = { dataJson: line.trim() }; // JSON.parse accepted it: only JSON whitespace surrounds the value
  }
  try {
    encodeRecord(record, maxRecordBytes);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true, record, failedLine: (error) => failedRecordLine(record, error) };
}

/** The failed file's line for a record: re-sendable as is (`error` is ignored), its data still exact. */
function failedRecordLine(record: ProducerRecord, error: string): string {
  const data = record.dataJson !== undefined ? `"data":${record.dataJson}` : `"dataBase64":${JSON.stringify(record.dataBase64)}`;
  const key = record.partitionKey === undefined ? "" : `,"partitionKey":${JSON.stringify(record.partitionKey)}`;
  return `{${data}${key},"error":${JSON.stringify(error)}}`;
}
