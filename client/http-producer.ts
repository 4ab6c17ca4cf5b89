/**
 * The producer for the HTTP API (`POST /records`, README.md "API contract (every front)"): batches of ≤ 500 records and
 * ≤ 5 MiB, keep-alive connections, bounded requests in flight, retries of 429, 5xx, network errors and of
 * exactly the records a 207 reports failed.
 */
import http from "node:http";
import https from "node:https";
import { BatchQueue } from "./batch-queue";
import { BatchingProducer, type AttemptOutcome, type BatchingProducerOptions, type PendingRecord } from "./batching-producer";
import { parseRetryAfter } from "./retry-after";
import { PRODUCER_DEFAULTS } from "./producer-defaults";
import { RecordRejectedError } from "./errors";
import { postJson, type JsonPostResponse } from "./http-post";
import { isRetriableHttpStatus } from "../semantics/errors";
import { MAX_PUT_RECORDS_BYTES, MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import type { ProducerRecord } from "./types";

/** Settings of the HTTP producer. */
export interface HttpProducerOptions extends BatchingProducerOptions {
  /** The API's base URL (`https://api.example.com`) or its `/records` URL. */
  readonly url: string;
  /** Bearer token, for stacks whose API auth is `token`. */
  readonly token?: string;
  /** API key sent as `x-api-key`, for the REST API front (its usage plan requires one: the `apiKey` stack output). */
  readonly apiKey?: string;
  /** Records per request, 1–500. @default 500 */
  readonly maxBatchRecords?: number;
  /** Bytes per request (data + partition keys, the API's rule), up to 5 MiB. @default 5 MiB */
  readonly maxBatchBytes?: number;
  /** How long a partial batch waits for more records. @default 20 */
  readonly lingerMs?: number;
  /** Requests in flight at once (also the keep-alive socket pool size). @default 8 */
  readonly maxInFlight?: number;
  /** A request without a complete response after this long is abandoned and retried. @default 30000 */
  readonly requestTimeoutMs?: number;
}

interface HttpPendingRecord extends PendingRecord {
  /** The record's JSON in the request body, serialised once. */
  readonly wire: string;
}

type ApiRecordResult = { sequenceNumber: string; shardId: string } | { errorCode: string; errorMessage: string };

/** 4xx statuses that can be caused by one record, so splitting the batch isolates it. */
const RECORD_SPECIFIC_STATUS = new Set([400, 413]);

/**
 * Sends records to the ingest API.
 *
 * @example
 * const producer = new HttpProducer({ url: "http://127.0.0.1:3000", token: process.env.INGEST_TOKEN });
 * const { sequenceNumber, shardId } = await producer.put({ data: { orderId: 42 }, partitionKey: "order-42" });
 * await producer.close();
 */
export class HttpProducer extends BatchingProducer<HttpPendingRecord> {
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: http.Agent;
  private readonly queue: BatchQueue<HttpPendingRecord>;
  private readonly requestTimeoutMs: number;

  constructor(options: HttpProducerOptions) {
    const maxInFlight = options.maxInFlight ?? PRODUCER_DEFAULTS.http.maxInFlight;
    const maxBatchRecords = options.maxBatchRecords ?? MAX_PUT_RECORDS_COUNT;
    const maxBatchBytes = options.maxBatchBytes ?? MAX_PUT_RECORDS_BYTES;
    // Room for every request in flight plus the batch filling behind them: more only adds latency and
    // live memory (each buffered record survives young-generation collections, which grows the heap).
    super({ ...options, maxBufferedRecords: options.maxBufferedRecords ?? (maxInFlight + 1) * maxBatchRecords });
    this.url = recordsUrl(options.url);
    this.headers = {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.apiKey === undefined ? {} : { "x-api-key": options.apiKey }),
    };
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1 || maxBatchRecords > MAX_PUT_RECORDS_COUNT) {
      throw new RangeError(`maxBatchRecords must be an integer from 1 to ${MAX_PUT_RECORDS_COUNT}, got ${maxBatchRecords}.`);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > MAX_PUT_RECORDS_BYTES) {
      throw new RangeError(`maxBatchBytes must be from 1 to ${MAX_PUT_RECORDS_BYTES}, got ${maxBatchBytes}.`);
    }
    const Agent = this.url.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.queue = new BatchQueue<HttpPendingRecord>({
      maxRecords: maxBatchRecords,
      maxBytes: maxBatchBytes,
      lingerMs: options.lingerMs ?? PRODUCER_DEFAULTS.http.lingerMs,
      maxInFlight,
      send: (batch) => this.sendWithRetries(batch, (records) => this.attempt(records)),
      onSendError: (batch, error) => this.failBatch(batch, error),
    });
  }

  protected enqueue(pending: PendingRecord, record: ProducerRecord): void {
    this.queue.push({ ...pending, wire: wireRecord(pending, record) });
  }

  protected allQueues(): Iterable<BatchQueue<HttpPendingRecord>> {
    return [this.queue];
  }

  protected async release(): Promise<void> {
    this.agent.destroy();
  }

  /** The API derives keys that spread evenly over shards; the client need not. */
  protected derivePartitionKey(): undefined {
    return undefined;
  }

  /** One POST of `records`; settles what it can and returns what to retry. */
  private async attempt(records: HttpPendingRecord[]): Promise<AttemptOutcome<HttpPendingRecord>> {
    const body = `{"records":[${records.map((r) => r.wire).join(",")}]}`;
    let response: JsonPostResponse;
    this.countRequest();
    try {
      response = await postJson(this.url, body, { agent: this.agent, headers: this.headers, timeoutMs: this.requestTimeoutMs });
    } catch (error) {
      const reason = `network error: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      for (const pending of records) pending.lastError = reason;
      return { retry: records };
    }
    const { status } = response;
    if (status === 200 || status === 207) return this.settleResults(records, response);
    if (isRetriableHttpStatus(status)) {
      const reason = `HTTP ${status}: ${errorMessage(response)}`;
      for (const pending of records) pending.lastError = reason;
      return { retry: records, retryAfterMs: parseRetryAfter(headerValue(response.headers["retry-after"])) };
    }
    if (RECORD_SPECIFIC_STATUS.has(status) && records.length > 1) return this.bisect(records);
    const error = new RecordRejectedError(
      `The API refused the record with HTTP ${status}: ${errorMessage(response)}`,
      status,
      errorCode(response),
    );
    for (const pending of records) this.fail(pending, error);
    return { retry: [] };
  }

  /** A 400/413 for a batch: send each half on its own so only the offending record(s) are rejected. */
  private async bisect(records: HttpPendingRecord[]): Promise<AttemptOutcome<HttpPendingRecord>> {
    const middle = Math.ceil(records.length / 2);
    const left = await this.attempt(records.slice(0, middle));
    const right = await this.attempt(records.slice(middle));
    const waits = [left.retryAfterMs, right.retryAfterMs].filter((ms): ms is number => ms !== undefined);
    return { retry: [...left.retry, ...right.retry], retryAfterMs: waits.length > 0 ? Math.max(...waits) : undefined };
  }

  private settleResults(records: HttpPendingRecord[], response: JsonPostResponse): AttemptOutcome<HttpPendingRecord> {
    let results: ApiRecordResult[] | undefined;
    try {
      const parsed = JSON.parse(response.body) as { records?: ApiRecordResult[] };
      results = Array.isArray(parsed.records) && parsed.records.length === records.length ? parsed.records : undefined;
    } catch {
      results = undefined;
    }
    if (results === undefined) {
      // Retrying could store the records twice; say plainly that their fate is unknown.
      const error = new RecordRejectedError(
        `The API answered HTTP ${response.status} without one result per record; the records may or may not be stored.`,
        response.status,
        "UnreadableResponse",
      );
      for (const pending of records) this.fail(pending, error);
      return { retry: [] };
    }
    const retry: HttpPendingRecord[] = [];
    results.forEach((result, index) => {
      const pending = records[index]!; // one result per record: checked above
      if ("sequenceNumber" in result) this.succeed(pending, { sequenceNumber: result.sequenceNumber, shardId: result.shardId });
      else {
        pending.lastError = `${result.errorCode}: ${result.errorMessage}`;
        retry.push(pending);
      }
    });
    return { retry, retryAfterMs: parseRetryAfter(headerValue(response.headers["retry-after"])) };
  }
}

/** `base` with `/records` appended unless it already ends so. */
function recordsUrl(base: string): URL {
  const url = new URL(base);
  if (!url.pathname.endsWith("/records")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/records`;
  return url;
}

/** The record as the API expects it; `data` is embedded as the JSON text already encoded. */
function wireRecord(pending: PendingRecord, record: ProducerRecord): string {
  const key = pending.partitionKey === undefined ? "" : `,"partitionKey":${JSON.stringify(pending.partitionKey)}`;
  if (record.dataBase64 !== undefined) return `{"dataBase64":${JSON.stringify(record.dataBase64)}${key}}`;
  return `{"data":${pending.encoded.data.toString("utf8")}${key}}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseError(response: JsonPostResponse): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(response.body) as { error?: { code?: string; message?: string } };
    return parsed.error ?? {};
  } catch {
    return {};
  }
}

function errorMessage(response: JsonPostResponse): string {
  return parseError(response).message ?? (response.body.slice(0, 200) || "(empty body)");
}

function errorCode(response: JsonPostResponse): string {
  return parseError(response).code ?? `HTTP${response.status}`;
}
