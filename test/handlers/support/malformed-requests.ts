/**
 * The table of malformed `POST /records` requests and the exact refusal each must get (status, error
 * code, details). Shared: the handler tests run it against the function, the local stack's tests can run
 * it against the HTTP front.
 */
import { expect } from "chai";
import type { ErrorCode, ProblemDetail } from "../../../handlers/lib/errors";
import { jsonRequest, type TestRequest } from "./http-events";
import { MIB } from "../../../semantics/limits";

/** The refusal a request must get. `details` is compared exactly, or checked by a function. */
export interface ExpectedRefusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: readonly ProblemDetail[] | undefined | ((details: readonly ProblemDetail[]) => void);
}

export interface MalformedCase extends ExpectedRefusal {
  readonly name: string;
  readonly request: TestRequest;
}

const JSON_TYPE = { "Content-Type": "application/json" };
const raw = (body: string | Buffer | null, headers: Record<string, string> = JSON_TYPE): TestRequest => ({ body, headers });
const json = (value: unknown): TestRequest => jsonRequest(value);
const good = { data: { ok: true } };
const at = (record: number, field: string | undefined, message: string): ProblemDetail => ({
  path: field ? `records[${record}].${field}` : `records[${record}]`,
  record,
  message,
});
const body = (message: string): ProblemDetail[] => [{ path: "body", message }];
const records = (message: string): ProblemDetail[] => [{ path: "records", message }];
const notJson = (details: readonly ProblemDetail[]): void => {
  expect(details).to.have.length(1);
  expect(details[0]!.path).to.equal("body");
  expect(details[0]!.message).to.match(/^is not valid JSON: ./);
};
const contentType = (got: string): ProblemDetail[] => [{ path: "header:content-type", message: `must be application/json, got ${got}` }];

const NOT_AN_OBJECT = (got: string) => `must be an object with "data" or "dataBase64", got ${got}`;
const NEEDS_DATA = 'needs "data" (any JSON value) or "dataBase64" (a base64 string)';
const BOTH = 'has both "data" and "dataBase64"; give exactly one';
const BAD_BASE64 = "is not valid base64 (RFC 4648 standard alphabet A–Z a–z 0–9 + /, padded with = to a multiple of 4 characters)";
const UNKNOWN_FIELD = 'is not an allowed field; a record holds "data" or "dataBase64", and optionally "partitionKey"';
const KEY_LENGTH = (n: number) => `must be 1 to 256 characters long, got ${n}`;
const KEY_TYPE = (got: string) => `must be a string of 1 to 256 characters, got ${got}`;
const TOO_BIG = (data: number, key: number) =>
  `is ${data + key} bytes (data ${data} + partition key ${key}); a record may be at most 1048576 bytes (1 MiB)`;
const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");
const bigRequest = `{"records":[{"data":"${"x".repeat(5 * MIB)}"}]}`;

export const MALFORMED_CASES: readonly MalformedCase[] = [
  // Content type → 415
  {
    name: "no Content-Type",
    request: raw(JSON.stringify({ records: [good] }), {}),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType("no Content-Type header"),
  },
  {
    name: "text/plain",
    request: raw(JSON.stringify({ records: [good] }), { "Content-Type": "text/plain" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType('"text/plain"'),
  },
  {
    name: "form-encoded",
    request: raw("records=1", { "Content-Type": "application/x-www-form-urlencoded" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType('"application/x-www-form-urlencoded"'),
  },
  {
    name: "JSON in Latin-1",
    request: raw(JSON.stringify({ records: [good] }), { "Content-Type": "application/json; charset=iso-8859-1" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType('"application/json; charset=iso-8859-1"'),
  },
  {
    name: "application/jsonx",
    request: raw(JSON.stringify({ records: [good] }), { "Content-Type": "application/jsonx" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType('"application/jsonx"'),
  },
  {
    name: "multipart",
    request: raw("--b\r\n\r\n{}\r\n--b--", { "Content-Type": "multipart/form-data; boundary=b" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    details: contentType('"multipart/form-data; boundary=b"'),
  },

  // Not JSON → 400 INVALID_JSON
  { name: "empty body", request: raw(""), status: 400, code: "INVALID_JSON", details: body("is empty") },
  { name: "no body at all", request: raw(null), status: 400, code: "INVALID_JSON", details: body("is empty") },
  { name: "truncated JSON", request: raw('{"records":[{"data":1}'), status: 400, code: "INVALID_JSON", details: notJson },
  { name: "trailing garbage", request: raw('{"records":[{"data":1}]}x'), status: 400, code: "INVALID_JSON", details: notJson },
  { name: "single-quoted JSON", request: raw("{'records':[{'data':1}]}"), status: 400, code: "INVALID_JSON", details: notJson },
  { name: "plain text", request: raw("hello"), status: 400, code: "INVALID_JSON", details: notJson },
  {
    name: "byte-order mark before the JSON",
    request: raw(`\ufeff${JSON.stringify({ records: [good] })}`),
    status: 400,
    code: "INVALID_JSON",
    details: notJson,
  },
  {
    name: "invalid UTF-8 (base64-encoded body)",
    request: raw(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    status: 400,
    code: "INVALID_JSON",
    details: body("is not valid UTF-8"),
  },

  // Envelope → 400 INVALID_REQUEST
  {
    name: "body is an array",
    request: json([good]),
    status: 400,
    code: "INVALID_REQUEST",
    details: body('must be a JSON object {"records": [...]}, got an array'),
  },
  {
    name: "body is a string",
    request: json("records"),
    status: 400,
    code: "INVALID_REQUEST",
    details: body('must be a JSON object {"records": [...]}, got a string'),
  },
  {
    name: "body is null",
    request: raw("null"),
    status: 400,
    code: "INVALID_REQUEST",
    details: body('must be a JSON object {"records": [...]}, got null'),
  },
  {
    name: "body is a number",
    request: raw("42"),
    status: 400,
    code: "INVALID_REQUEST",
    details: body('must be a JSON object {"records": [...]}, got a number'),
  },
  {
    name: "no records field",
    request: json({}),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must be an array of 1 to 500 records, got nothing"),
  },
  {
    name: "records is null",
    request: json({ records: null }),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must be an array of 1 to 500 records, got null"),
  },
  {
    name: "records is an object",
    request: json({ records: good }),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must be an array of 1 to 500 records, got an object"),
  },
  {
    name: "records is a string",
    request: json({ records: "abc" }),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must be an array of 1 to 500 records, got a string"),
  },
  {
    name: "no records",
    request: json({ records: [] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must hold 1 to 500 records, got 0"),
  },
  {
    name: "501 records",
    request: json({ records: Array(501).fill(good) }),
    status: 400,
    code: "INVALID_REQUEST",
    details: records("must hold 1 to 500 records, got 501"),
  },
  {
    name: "unknown top-level field",
    request: json({ records: [good], stream: "other" }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [{ path: "stream", message: 'is not an allowed field; the body holds only "records"' }],
  },

  // One record wrong → 400 INVALID_REQUEST naming its index and field
  {
    name: "record is a string",
    request: json({ records: ["hello"] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, NOT_AN_OBJECT("a string"))],
  },
  {
    name: "record is null",
    request: json({ records: [null] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, NOT_AN_OBJECT("null"))],
  },
  {
    name: "record is an array",
    request: json({ records: [[1, 2]] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, NOT_AN_OBJECT("an array"))],
  },
  {
    name: "record without data",
    request: json({ records: [{ partitionKey: "k" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, NEEDS_DATA)],
  },
  {
    name: "data and dataBase64 together",
    request: json({ records: [{ data: 1, dataBase64: "AQ==" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, BOTH)],
  },
  {
    name: "dataBase64 is a number",
    request: json({ records: [{ dataBase64: 12 }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", "must be a base64 string, got a number")],
  },
  {
    name: "dataBase64 is null",
    request: json({ records: [{ dataBase64: null }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", "must be a base64 string, got null")],
  },
  {
    name: "dataBase64 with characters outside the alphabet",
    request: json({ records: [{ dataBase64: "not base64!" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", BAD_BASE64)],
  },
  {
    name: "dataBase64 without padding",
    request: json({ records: [{ dataBase64: "AQI" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", BAD_BASE64)],
  },
  {
    name: "dataBase64 with padding in the middle",
    request: json({ records: [{ dataBase64: "AQ==AQ==" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", BAD_BASE64)],
  },
  {
    name: "dataBase64 in base64url",
    request: json({ records: [{ dataBase64: "-_-_" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "dataBase64", BAD_BASE64)],
  },
  {
    name: "unknown record field",
    request: json({ records: [{ data: 1, explicitHashKey: "0" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "explicitHashKey", UNKNOWN_FIELD)],
  },
  {
    name: "field name in the wrong case",
    request: json({ records: [{ data: 1, PartitionKey: "k" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "PartitionKey", UNKNOWN_FIELD)],
  },
  {
    name: "empty partition key",
    request: json({ records: [{ data: 1, partitionKey: "" }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_LENGTH(0))],
  },
  {
    name: "partition key of 257 characters",
    request: json({ records: [{ data: 1, partitionKey: "k".repeat(257) }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_LENGTH(257))],
  },
  {
    name: "huge partition key",
    request: json({ records: [{ data: 1, partitionKey: "k".repeat(100_000) }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_LENGTH(100_000))],
  },
  {
    name: "partition key of 129 emoji (258 UTF-16 units)",
    request: json({ records: [{ data: 1, partitionKey: "🔑".repeat(129) }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_LENGTH(258))],
  },
  {
    name: "partition key is a number",
    request: json({ records: [{ data: 1, partitionKey: 7 }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_TYPE("a number"))],
  },
  {
    name: "partition key is null",
    request: json({ records: [{ data: 1, partitionKey: null }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_TYPE("null"))],
  },
  {
    name: "partition key is an object",
    request: json({ records: [{ data: 1, partitionKey: { id: 1 } }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", KEY_TYPE("an object"))],
  },
  {
    name: "partition key with an unpaired surrogate",
    request: raw('{"records":[{"data":1,"partitionKey":"a\\ud800b"}]}'),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, "partitionKey", "must be valid Unicode text; it holds an unpaired surrogate")],
  },
  {
    name: "valid records before and after a bad one",
    request: json({ records: [good, { data: 1, partitionKey: "" }, good] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(1, "partitionKey", KEY_LENGTH(0))],
  },
  {
    name: "several problems, all reported in order",
    request: json({ records: [{ data: 1, dataBase64: "AQ==" }, "x", good, { data: 2, partitionKey: "", extra: true }] }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [
      at(0, undefined, BOTH),
      at(1, undefined, NOT_AN_OBJECT("a string")),
      at(3, "extra", UNKNOWN_FIELD),
      at(3, "partitionKey", KEY_LENGTH(0)),
    ],
  },

  // Sizes → 413 (or 400 when a schema problem comes with them)
  {
    name: "JSON record over 1 MiB with a derived key",
    request: json({ records: [{ data: "x".repeat(MIB) }] }),
    status: 413,
    code: "RECORD_TOO_LARGE",
    details: [at(0, undefined, TOO_BIG(MIB + 2, 22))],
  },
  {
    name: "base64 record of 1 MiB + 1 byte",
    request: json({ records: [good, { dataBase64: base64Of(MIB + 1), partitionKey: "k" }] }),
    status: 413,
    code: "RECORD_TOO_LARGE",
    details: [at(1, undefined, TOO_BIG(MIB + 1, 1))],
  },
  {
    name: "record at the data limit pushed over by its key's UTF-8 bytes",
    request: json({ records: [{ dataBase64: base64Of(MIB - 1), partitionKey: "é" }] }),
    status: 413,
    code: "RECORD_TOO_LARGE",
    details: [at(0, undefined, TOO_BIG(MIB - 1, 2))],
  },
  {
    name: "two oversized records",
    request: json({
      records: [
        { dataBase64: base64Of(MIB), partitionKey: "a" },
        { dataBase64: base64Of(MIB), partitionKey: "b" },
      ],
    }),
    status: 413,
    code: "RECORD_TOO_LARGE",
    details: [at(0, undefined, TOO_BIG(MIB, 1)), at(1, undefined, TOO_BIG(MIB, 1))],
  },
  {
    name: "oversized record together with a schema problem",
    request: json({
      records: [
        { dataBase64: base64Of(MIB), partitionKey: "a" },
        { data: 1, foo: 2 },
      ],
    }),
    status: 400,
    code: "INVALID_REQUEST",
    details: [at(0, undefined, TOO_BIG(MIB, 1)), at(1, "foo", UNKNOWN_FIELD)],
  },
  {
    name: "request body over 5 MiB",
    request: raw(bigRequest),
    status: 413,
    code: "REQUEST_TOO_LARGE",
    details: body(`is ${bigRequest.length} bytes; at most 5242880 bytes (5 MiB) are allowed`),
  },
];
