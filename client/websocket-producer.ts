/**
 * The producer for the websocket front: records batched into `{"action":"putRecords","id","records"}`
 * messages under the 128 KB message quota, each sent in frames of at most 32 KB (semantics/websocket-limits.ts),
 * answered by id with one result per record as `POST /records` answers; failed entries are retried alone, and a
 * closed connection (idle timeout, the 2-hour lifetime, a network error) is reopened on the next send.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { BatchQueue } from "./batch-queue";
import { BatchingProducer, type AttemptOutcome, type BatchingProducerOptions, type PendingRecord } from "./batching-producer";
import { RecordRejectedError } from "./errors";
import type { ProducerRecord } from "./types";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import { MAX_WEBSOCKET_FRAME_BYTES, MAX_WEBSOCKET_MESSAGE_BYTES } from "../semantics/websocket-limits";

/** Settings of the WebSocket producer. */
export interface WebSocketProducerOptions extends BatchingProducerOptions {
  /** The front's URL, `wss://<api>.execute-api.<region>.amazonaws.com/ingest` (the stack's `apiUrl`). */
  readonly url: string;
  /** Bearer token, for stacks whose API auth is `token`: sent on the handshake's `Authorization` header. */
  readonly token?: string;
  /** Records per message, 1–500. @default 500 */
  readonly maxBatchRecords?: number;
  /** How long a partial batch waits for more records. @default 20 */
  readonly lingerMs?: number;
  /**
   * Messages awaiting their answer at once. Gateway refusals (throttling) carry no id, so they can be matched
   * to a message only when one is in flight. @default 1
   */
  readonly maxInFlight?: number;
  /** A message without an answer after this long is sent again. @default 30000 */
  readonly requestTimeoutMs?: number;
}

interface WsPendingRecord extends PendingRecord {
  readonly wire: string;
}

type RecordAnswer = { sequenceNumber: string; shardId: string } | { errorCode: string; errorMessage: string };
interface Answer {
  readonly id?: string | null;
  readonly records?: RecordAnswer[];
  readonly error?: { code?: string; message?: string };
  /** A gateway answer (`{"message","connectionId","requestId"}`). */
  readonly message?: string;
}

/** Room kept under the message quota for the envelope: the message's bytes are checked before sending. */
const DEFAULT_BATCH_BYTES = 96 * 1024;

export class WebSocketProducer extends BatchingProducer<WsPendingRecord> {
  private readonly queue: BatchQueue<WsPendingRecord>;
  private readonly waiting = new Map<string, (answer: Answer | Error) => void>();
  private socket: Promise<WebSocket> | undefined;

  constructor(private readonly options: WebSocketProducerOptions) {
    const maxInFlight = options.maxInFlight ?? 1;
    const maxBatchRecords = options.maxBatchRecords ?? MAX_PUT_RECORDS_COUNT;
    super({ ...options, maxBufferedRecords: options.maxBufferedRecords ?? (maxInFlight + 1) * maxBatchRecords });
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1 || maxBatchRecords > MAX_PUT_RECORDS_COUNT)
      throw new RangeError(`maxBatchRecords must be an integer from 1 to ${MAX_PUT_RECORDS_COUNT}, got ${maxBatchRecords}.`);
    this.queue = new BatchQueue<WsPendingRecord>({
      maxRecords: maxBatchRecords,
      maxBytes: DEFAULT_BATCH_BYTES,
      lingerMs: options.lingerMs ?? 20,
      maxInFlight,
      send: (batch) => this.sendWithRetries(batch, (records) => this.attempt(records)),
      onSendError: (batch, error) => this.failBatch(batch, error),
    });
  }

  protected enqueue(pending: PendingRecord, record: ProducerRecord): void {
    const key = pending.partitionKey === undefined ? "" : `,"partitionKey":${JSON.stringify(pending.partitionKey)}`;
    const data =
      record.dataBase64 !== undefined
        ? `"dataBase64":${JSON.stringify(record.dataBase64)}`
        : `"data":${pending.encoded.data.toString("utf8")}`;
    this.queue.push({ ...pending, wire: `{${data}${key}}` });
  }

  protected allQueues(): Iterable<BatchQueue<WsPendingRecord>> {
    return [this.queue];
  }

  protected async release(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) (await socket.catch(() => undefined))?.close(1000, "producer closed");
  }

  /** The front derives keys that spread evenly over shards; the client need not. */
  protected derivePartitionKey(): undefined {
    return undefined;
  }

  /** One message of `records`; settles what it can and returns what to retry. */
  private async attempt(records: WsPendingRecord[]): Promise<AttemptOutcome<WsPendingRecord>> {
    const id = randomUUID();
    const message = Buffer.from(`{"action":"putRecords","id":"${id}","records":[${records.map((r) => r.wire).join(",")}]}`, "utf8");
    if (message.length > MAX_WEBSOCKET_MESSAGE_BYTES) {
      if (records.length > 1) return this.bisect(records);
      const error = new RecordRejectedError(
        `The record makes a ${message.length}-byte message; WebSocket messages are at most ${MAX_WEBSOCKET_MESSAGE_BYTES} bytes (use the HTTP front for larger records).`,
        413,
        "MESSAGE_TOO_LARGE",
      );
      for (const pending of records) this.fail(pending, error);
      return { retry: [] };
    }
    this.countRequest();
    const answer = await this.exchange(id, message);
    const retryAll = (reason: string, retryAfterMs?: number) => {
      for (const pending of records) pending.lastError = reason;
      return { retry: records, retryAfterMs };
    };
    if (answer instanceof Error) return retryAll(answer.message);
    if (answer.message !== undefined)
      return retryAll(`gateway: ${answer.message}`, answer.message === "Too Many Requests" ? 1000 : undefined);
    if (answer.error) {
      if (records.length > 1) return this.bisect(records);
      const error = new RecordRejectedError(
        `The front refused the record: ${answer.error.message ?? ""}`,
        400,
        answer.error.code ?? "ERROR",
      );
      for (const pending of records) this.fail(pending, error);
      return { retry: [] };
    }
    const results = answer.records?.length === records.length ? answer.records : undefined;
    if (!results) return retryAll("the answer did not hold one result per record");
    const retry: WsPendingRecord[] = [];
    results.forEach((result, index) => {
      const pending = records[index];
      if (pending === undefined) return;
      if ("sequenceNumber" in result) this.succeed(pending, { sequenceNumber: result.sequenceNumber, shardId: result.shardId });
      else {
        pending.lastError = `${result.errorCode}: ${result.errorMessage}`;
        retry.push(pending);
      }
    });
    return { retry };
  }

  /** An invalid message: each half alone, so only the offending record is rejected. */
  private async bisect(records: WsPendingRecord[]): Promise<AttemptOutcome<WsPendingRecord>> {
    const middle = Math.ceil(records.length / 2);
    const left = await this.attempt(records.slice(0, middle));
    const right = await this.attempt(records.slice(middle));
    return { retry: [...left.retry, ...right.retry] };
  }

  /** Sends the message in frames of at most 32 KB and waits for its answer (or an Error to retry on). */
  private async exchange(id: string, message: Buffer): Promise<Answer | Error> {
    let socket: WebSocket;
    try {
      socket = await this.connect();
    } catch (error) {
      return error as Error;
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(new Error("no answer in time")), this.options.requestTimeoutMs ?? 30_000);
      const settle = (answer: Answer | Error) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(answer);
      };
      this.waiting.set(id, settle);
      for (let at = 0; at < message.length; at += MAX_WEBSOCKET_FRAME_BYTES) {
        const end = Math.min(at + MAX_WEBSOCKET_FRAME_BYTES, message.length);
        socket.send(message.subarray(at, end), { binary: false, fin: end === message.length });
      }
    });
  }

  /** The open connection, opened (again) when there is none. */
  private connect(): Promise<WebSocket> {
    this.socket ??= new Promise<WebSocket>((resolve, reject) => {
      const headers: Record<string, string> = this.options.token === undefined ? {} : { authorization: `Bearer ${this.options.token}` };
      const socket = new WebSocket(this.options.url, { headers });
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_req, res) => {
        reject(new Error(`handshake refused: HTTP ${res.statusCode ?? 0}`));
        socket.terminate();
      });
      socket.on("message", (data: Buffer) => this.answered(data.toString("utf8")));
      socket.on("error", (error) => reject(error));
      socket.once("close", (code, reason) => {
        this.socket = undefined;
        for (const settle of [...this.waiting.values()]) settle(new Error(`connection closed (${code} ${reason.toString()})`));
      });
    });
    const opening = this.socket;
    opening.catch(() => {
      if (this.socket === opening) this.socket = undefined;
    });
    return opening;
  }

  private answered(text: string): void {
    let answer: Answer;
    try {
      answer = JSON.parse(text) as Answer;
    } catch {
      return;
    }
    if (typeof answer.id === "string") return this.waiting.get(answer.id)?.(answer);
    // A gateway answer has no id: it can be matched only when a single message is waiting.
    const [only, ...others] = this.waiting.values();
    if (only && others.length === 0) only(answer);
  }
}
