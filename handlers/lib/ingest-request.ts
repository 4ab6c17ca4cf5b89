/**
 * Validation of a whole `POST /records` request before anything is written (README.md "API contract (every front)"):
 * content type, size, JSON, schema and per-record limits. Every problem found is reported at once, each
 * naming the record index and field, so a client fixes its request in one round trip.
 *
 * `data` is stored as the exact bytes of its JSON text in the request (found by json-spans.ts): what the
 * producer sent is what consumers read, large numbers unrounded, whitespace inside the value kept.
 */
import { isUtf8 } from "node:buffer";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, type ProblemDetail } from "./errors";
import { dataSpans, type Span } from "./json-spans";
// The API contract's limits are PutRecords' own: a valid request is one PutRecords call.
import { MAX_PUT_RECORDS_BYTES, MAX_PUT_RECORDS_COUNT, MAX_RECORD_BYTES, MIB } from "../../semantics/limits";
import { DERIVED_PARTITION_KEY_LENGTH } from "./partition-key";
import { decodeBase64, describe, recordPartitionKey } from "./record-fields";

/** A validated record: the bytes to store and the caller's key, if any. */
export interface IngestRecord {
  readonly data: Buffer;
  readonly partitionKey: string | undefined;
}

/** At most this many problems are listed; the message gives the total. */
const MAX_DETAILS = 100;
const RECORD_FIELDS = new Set(["data", "dataBase64", "partitionKey"]);
/** The `POST /records` body's fields; a WebSocket message adds its own (websocket-message.ts). */
const BODY_FIELDS: ReadonlySet<string> = new Set(["records"]);
const JSON_MEDIA_TYPE = /^application\/json$/i;

/** @throws UnsupportedMediaTypeError unless `Content-Type` is `application/json` (charset, if given, UTF-8). */
export function checkContentType(headers: Readonly<Record<string, string>>): void {
  const header = headers["content-type"];
  const [mediaType = "", ...params] = (header ?? "").split(";").map((part) => part.trim());
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice(8)
    .replace(/"/g, "");
  if (JSON_MEDIA_TYPE.test(mediaType) && (charset === undefined || /^utf-8$/i.test(charset))) return;
  const got = header === undefined ? "no Content-Type header" : `"${header.slice(0, 100)}"`;
  throw new UnsupportedMediaTypeError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json (UTF-8), got ${got}.`, [
    { path: "header:content-type", message: `must be application/json, got ${got}` },
  ]);
}

/**
 * Parses and validates a request body into records, or throws the client error that names every problem.
 * `maxRecordBytes` is the stream's record limit (data plus partition key): 1 MiB unless `stream.maxRecordSizeKiB` raised it.
 * @throws PayloadTooLargeError `REQUEST_TOO_LARGE` (body over 5 MiB) or `RECORD_TOO_LARGE` (only size problems)
 * @throws BadRequestError `INVALID_JSON` or `INVALID_REQUEST`
 */
export function parseIngestBody(
  body: string | Buffer,
  fields: ReadonlySet<string> = BODY_FIELDS,
  maxRecordBytes: number = MAX_RECORD_BYTES,
): IngestRecord[] {
  const oversize = sizeOverLimit(body);
  if (oversize !== undefined) {
    const message = `is ${oversize} bytes; at most ${MAX_PUT_RECORDS_BYTES} bytes (5 MiB) are allowed`;
    throw new PayloadTooLargeError("REQUEST_TOO_LARGE", `The request body ${message}.`, [{ path: "body", message }]);
  }
  const parsed = parseJson(body);
  const problems: Problem[] = [];
  const records = checkEnvelope(parsed, problems, fields);
  const valid: IngestRecord[] = new Array(records.length);
  const source: DataSource = { body, bytes: undefined, spans: undefined, maxRecordBytes };
  for (let i = 0; i < records.length; i++) {
    const record = checkRecord(records[i], i, problems, source);
    if (record) valid[i] = record;
  }
  if (problems.length > 0) throw toError(problems);
  return valid;
}

/** The body, and (on first need: only `data` records need them) its UTF-8 bytes and the `data` spans. */
interface DataSource {
  readonly body: string | Buffer;
  bytes: Buffer | undefined;
  spans: (Span | undefined)[] | undefined;
  /** The stream's record limit, bytes. */
  readonly maxRecordBytes: number;
}

/** The body's size in bytes if it exceeds 5 MiB, else `undefined`. */
function sizeOverLimit(body: string | Buffer): number | undefined {
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes: short strings need no counting pass.
  if (typeof body === "string" && body.length * 3 <= MAX_PUT_RECORDS_BYTES) return undefined;
  const size = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.length;
  return size > MAX_PUT_RECORDS_BYTES ? size : undefined;
}

interface Problem extends ProblemDetail {
  /** Size problems alone make a 413; any other problem makes the answer a 400. */
  readonly size?: true;
}

function parseJson(body: string | Buffer): unknown {
  if (body.length === 0) {
    throw new BadRequestError("INVALID_JSON", 'The request body is empty; expected a JSON object {"records": [...]}.', [
      { path: "body", message: "is empty" },
    ]);
  }
  if (typeof body !== "string" && !isUtf8(body)) {
    throw new BadRequestError("INVALID_JSON", "The request body is not valid UTF-8 text.", [
      { path: "body", message: "is not valid UTF-8" },
    ]);
  }
  // A raw unpaired surrogate has no UTF-8 form: stored, it would silently become U+FFFD.
  if (typeof body === "string" && !(body as WellFormedCheck).isWellFormed()) {
    throw new BadRequestError("INVALID_JSON", "The request body is not valid Unicode text: it holds an unpaired surrogate.", [
      { path: "body", message: "is not valid Unicode text (unpaired surrogate)" },
    ]);
  }
  try {
    return JSON.parse(typeof body === "string" ? body : body.toString("utf8")) as unknown;
  } catch (error) {
    const reason = (error as Error).message;
    throw new BadRequestError("INVALID_JSON", `The request body is not valid JSON: ${reason}`, [
      { path: "body", message: `is not valid JSON: ${reason}` },
    ]);
  }
}

/** `String.prototype.isWellFormed` (ES2024, in Node 20) is not in the ES2022 lib this project compiles against. */
type WellFormedCheck = string & { isWellFormed(): boolean };

function checkEnvelope(parsed: unknown, problems: Problem[], fields: ReadonlySet<string>): readonly unknown[] {
  if (!isPlainObject(parsed)) {
    problems.push({ path: "body", message: `must be a JSON object {"records": [...]}, got ${describe(parsed)}` });
    return [];
  }
  for (const key in parsed) {
    if (!fields.has(key))
      problems.push({ path: key, message: `is not an allowed field; the body holds only ${[...fields].map((f) => `"${f}"`).join(", ")}` });
  }
  const records = parsed.records;
  if (!Array.isArray(records)) {
    const got = records === undefined ? "nothing" : describe(records);
    problems.push({ path: "records", message: `must be an array of 1 to ${MAX_PUT_RECORDS_COUNT} records, got ${got}` });
    return [];
  }
  if (records.length === 0 || records.length > MAX_PUT_RECORDS_COUNT) {
    problems.push({ path: "records", message: `must hold 1 to ${MAX_PUT_RECORDS_COUNT} records, got ${records.length}` });
  }
  return records;
}

function checkRecord(value: unknown, index: number, problems: Problem[], source: DataSource): IngestRecord | undefined {
  const at = `records[${index}]`;
  if (!isPlainObject(value)) {
    problems.push({ path: at, record: index, message: `must be an object with "data" or "dataBase64", got ${describe(value)}` });
    return undefined;
  }
  let ok = true;
  for (const key in value) {
    if (!RECORD_FIELDS.has(key)) {
      problems.push({
        path: `${at}.${key}`,
        record: index,
        message: 'is not an allowed field; a record holds "data" or "dataBase64", and optionally "partitionKey"',
      });
      ok = false;
    }
  }
  const data = recordData(value, at, index, problems, source);
  const partitionKey = recordPartitionKey(value.partitionKey, at, index, problems);
  if (!ok || data === undefined || partitionKey === null) return undefined;

  const keyBytes = partitionKey === undefined ? DERIVED_PARTITION_KEY_LENGTH : Buffer.byteLength(partitionKey, "utf8");
  const limit = source.maxRecordBytes;
  if (data.length + keyBytes > limit) {
    const message = `is ${data.length + keyBytes} bytes (data ${data.length} + partition key ${keyBytes}); a record may be at most ${limit} bytes (${describeLimit(limit)})`;
    problems.push({ path: at, record: index, message, size: true });
    return undefined;
  }
  return { data, partitionKey };
}

function recordData(
  value: Record<string, unknown>,
  at: string,
  index: number,
  problems: Problem[],
  source: DataSource,
): Buffer | undefined {
  const { data, dataBase64 } = value;
  if (data !== undefined && dataBase64 !== undefined) {
    problems.push({ path: at, record: index, message: 'has both "data" and "dataBase64"; give exactly one' });
    return undefined;
  }
  if (data !== undefined) {
    const bytes = (source.bytes ??= typeof source.body === "string" ? Buffer.from(source.body, "utf8") : source.body);
    const span = (source.spans ??= dataSpans(bytes))[index];
    // A view into the body, no copy; the fallback is for safety only (the scanner finds every `data`).
    return span ? bytes.subarray(span[0], span[1]) : Buffer.from(JSON.stringify(data), "utf8");
  }
  if (dataBase64 === undefined) {
    problems.push({ path: at, record: index, message: 'needs "data" (any JSON value) or "dataBase64" (a base64 string)' });
    return undefined;
  }
  if (typeof dataBase64 !== "string") {
    problems.push({ path: `${at}.dataBase64`, record: index, message: `must be a base64 string, got ${describe(dataBase64)}` });
    return undefined;
  }
  const bytes = decodeBase64(dataBase64);
  if (bytes === undefined) {
    problems.push({
      path: `${at}.dataBase64`,
      record: index,
      message: "is not valid base64 (RFC 4648 standard alphabet A–Z a–z 0–9 + /, padded with = to a multiple of 4 characters)",
    });
  }
  return bytes;
}

function toError(problems: readonly Problem[]): BadRequestError | PayloadTooLargeError {
  const details = problems
    .slice(0, MAX_DETAILS)
    .map(({ path, record, message }) => (record === undefined ? { path, message } : { path, record, message }));
  const [first] = problems;
  if (first === undefined) throw new Error("toError needs at least one problem to report.");
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""}, see details)` : "";
  const message = `${first.path} ${first.message}${more}. Nothing was written.`;
  return problems.every((p) => p.size)
    ? new PayloadTooLargeError("RECORD_TOO_LARGE", message, details)
    : new BadRequestError("INVALID_REQUEST", message, details);
}

/** `1 MiB`, `2 MiB`, or `4606 KiB`: the stream's limit as the stack file gives it. */
function describeLimit(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
