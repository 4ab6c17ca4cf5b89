/**
 * Validation of a whole `POST /records` request before anything is written (DESIGN.md "API contract"):
 * content type, size, JSON, schema and per-record limits. Every problem found is reported at once, each
 * naming the record index and field, so a client fixes its request in one round trip.
 *
 * `data` is stored as its compact JSON text (`JSON.stringify`): numbers beyond double precision are
 * rounded and number spellings normalised. Producers that need byte-exact payloads send `dataBase64`.
 */
import { isUtf8 } from "node:buffer";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, type ProblemDetail } from "./errors";
import { bodyByteLength } from "./http-event";
import { MAX_PARTITION_KEY_LENGTH, MAX_RECORD_BYTES, MAX_RECORDS_PER_REQUEST, MAX_REQUEST_BYTES } from "./limits";
import { DERIVED_PARTITION_KEY_LENGTH } from "./partition-key";

/** A validated record: the bytes to store and the caller's key, if any. */
export interface IngestRecord {
  readonly data: Buffer;
  readonly partitionKey: string | undefined;
}

/** At most this many problems are listed; the message gives the total. */
const MAX_DETAILS = 100;
const RECORD_FIELDS = new Set(["data", "dataBase64", "partitionKey"]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;
const JSON_MEDIA_TYPE = /^application\/json$/i;

/** @throws UnsupportedMediaTypeError unless `Content-Type` is `application/json` (charset, if given, UTF-8). */
export function checkContentType(headers: Readonly<Record<string, string>>): void {
  const header = headers["content-type"];
  const [mediaType = "", ...params] = (header ?? "").split(";").map((part) => part.trim());
  const charset = params.find((p) => /^charset=/i.test(p))?.slice(8).replace(/"/g, "");
  if (JSON_MEDIA_TYPE.test(mediaType) && (charset === undefined || /^utf-8$/i.test(charset))) return;
  const got = header === undefined ? "no Content-Type header" : `"${header.slice(0, 100)}"`;
  throw new UnsupportedMediaTypeError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json (UTF-8), got ${got}.`, [
    { path: "header:content-type", message: `must be application/json, got ${got}` },
  ]);
}

/**
 * Parses and validates a request body into records, or throws the client error that names every problem.
 * @throws PayloadTooLargeError `REQUEST_TOO_LARGE` (body over 5 MiB) or `RECORD_TOO_LARGE` (only size problems)
 * @throws BadRequestError `INVALID_JSON` or `INVALID_REQUEST`
 */
export function parseIngestBody(body: string | Buffer): IngestRecord[] {
  const size = bodyByteLength(body);
  if (size > MAX_REQUEST_BYTES) {
    throw new PayloadTooLargeError("REQUEST_TOO_LARGE", `The request body is ${size} bytes; at most ${MAX_REQUEST_BYTES} bytes (5 MiB) are allowed.`, [
      { path: "body", message: `is ${size} bytes; at most ${MAX_REQUEST_BYTES} bytes (5 MiB) are allowed` },
    ]);
  }
  const parsed = parseJson(body, size);
  const problems: Problem[] = [];
  const records = checkEnvelope(parsed, problems);
  const valid: IngestRecord[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = checkRecord(records[i], i, problems);
    if (record) valid[i] = record;
  }
  if (problems.length > 0) throw toError(problems);
  return valid;
}

interface Problem extends ProblemDetail {
  /** Size problems alone make a 413; any other problem makes the answer a 400. */
  readonly size?: true;
}

function parseJson(body: string | Buffer, size: number): unknown {
  if (size === 0) {
    throw new BadRequestError("INVALID_JSON", 'The request body is empty; expected a JSON object {"records": [...]}.', [
      { path: "body", message: "is empty" },
    ]);
  }
  if (typeof body !== "string" && !isUtf8(body)) {
    throw new BadRequestError("INVALID_JSON", "The request body is not valid UTF-8 text.", [{ path: "body", message: "is not valid UTF-8" }]);
  }
  try {
    return JSON.parse(typeof body === "string" ? body : body.toString("utf8")) as unknown;
  } catch (error) {
    const reason = (error as Error).message;
    throw new BadRequestError("INVALID_JSON", `The request body is not valid JSON: ${reason}`, [{ path: "body", message: `is not valid JSON: ${reason}` }]);
  }
}

function checkEnvelope(parsed: unknown, problems: Problem[]): readonly unknown[] {
  if (!isPlainObject(parsed)) {
    problems.push({ path: "body", message: `must be a JSON object {"records": [...]}, got ${describe(parsed)}` });
    return [];
  }
  for (const key in parsed) {
    if (key !== "records") problems.push({ path: key, message: 'is not an allowed field; the body holds only "records"' });
  }
  const records = parsed.records;
  if (!Array.isArray(records)) {
    const got = records === undefined ? "nothing" : describe(records);
    problems.push({ path: "records", message: `must be an array of 1 to ${MAX_RECORDS_PER_REQUEST} records, got ${got}` });
    return [];
  }
  if (records.length === 0 || records.length > MAX_RECORDS_PER_REQUEST) {
    problems.push({ path: "records", message: `must hold 1 to ${MAX_RECORDS_PER_REQUEST} records, got ${records.length}` });
  }
  return records;
}

function checkRecord(value: unknown, index: number, problems: Problem[]): IngestRecord | undefined {
  const at = `records[${index}]`;
  if (!isPlainObject(value)) {
    problems.push({ path: at, record: index, message: `must be an object with "data" or "dataBase64", got ${describe(value)}` });
    return undefined;
  }
  let ok = true;
  for (const key in value) {
    if (!RECORD_FIELDS.has(key)) {
      problems.push({ path: `${at}.${key}`, record: index, message: 'is not an allowed field; a record holds "data" or "dataBase64", and optionally "partitionKey"' });
      ok = false;
    }
  }
  const data = recordData(value, at, index, problems);
  const partitionKey = recordPartitionKey(value.partitionKey, at, index, problems);
  if (!ok || data === undefined || partitionKey === null) return undefined;

  const keyBytes = partitionKey === undefined ? DERIVED_PARTITION_KEY_LENGTH : Buffer.byteLength(partitionKey, "utf8");
  if (data.length + keyBytes > MAX_RECORD_BYTES) {
    const message = `is ${data.length + keyBytes} bytes (data ${data.length} + partition key ${keyBytes}); a record may be at most ${MAX_RECORD_BYTES} bytes (1 MiB)`;
    problems.push({ path: at, record: index, message, size: true });
    return undefined;
  }
  return { data, partitionKey };
}

function recordData(value: Record<string, unknown>, at: string, index: number, problems: Problem[]): Buffer | undefined {
  const { data, dataBase64 } = value;
  if (data !== undefined && dataBase64 !== undefined) {
    problems.push({ path: at, record: index, message: 'has both "data" and "dataBase64"; give exactly one' });
    return undefined;
  }
  if (data !== undefined) return Buffer.from(JSON.stringify(data), "utf8");
  if (dataBase64 === undefined) {
    problems.push({ path: at, record: index, message: 'needs "data" (any JSON value) or "dataBase64" (a base64 string)' });
    return undefined;
  }
  if (typeof dataBase64 !== "string") {
    problems.push({ path: `${at}.dataBase64`, record: index, message: `must be a base64 string, got ${describe(dataBase64)}` });
    return undefined;
  }
  // Buffer.from skips invalid characters silently, so the alphabet and padding are checked first.
  if (dataBase64.length % 4 !== 0 || !BASE64.test(dataBase64)) {
    problems.push({ path: `${at}.dataBase64`, record: index, message: "is not valid base64 (RFC 4648 standard alphabet A–Z a–z 0–9 + /, padded with = to a multiple of 4 characters)" });
    return undefined;
  }
  return Buffer.from(dataBase64, "base64");
}

/** The key, `undefined` when absent, `null` when invalid (a problem was recorded). */
function recordPartitionKey(key: unknown, at: string, index: number, problems: Problem[]): string | undefined | null {
  if (key === undefined) return undefined;
  const path = `${at}.partitionKey`;
  if (typeof key !== "string") {
    problems.push({ path, record: index, message: `must be a string of 1 to ${MAX_PARTITION_KEY_LENGTH} characters, got ${describe(key)}` });
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

function toError(problems: readonly Problem[]): BadRequestError | PayloadTooLargeError {
  const details = problems.slice(0, MAX_DETAILS).map(({ path, record, message }) => (record === undefined ? { path, message } : { path, record, message }));
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""}, see details)` : "";
  const message = `${first.path} ${first.message}${more}. Nothing was written.`;
  return problems.every((p) => p.size)
    ? new PayloadTooLargeError("RECORD_TOO_LARGE", message, details)
    : new BadRequestError("INVALID_REQUEST", message, details);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value's type, for messages (never the value itself, which may be large). */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
