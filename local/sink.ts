/**
 * The built-in downstream: when a consumer has no `targetUrl` and `FORWARD_URL` is unset, the forwarder
 * POSTs here (`/_local/sink`), so the flow is visible with `GET /_local/sink`. It accepts the forwarder's
 * delivery body (`{shardId, sequenceNumber, subSequenceNumber, partitionKey, approximateArrivalTimestamp,
 * data | dataBase64}`), the batch body `{"records":[delivery, …]}` of `delivery: batch`, and any other JSON.
 * With a refusal field set (env `SINK_REJECT_FIELD` at start-up; `PUT /_local/sink/refusal {"field":"F"}` or
 * the console at any time, `DELETE /_local/sink/refusal` to accept again), a delivery whose `data` object has
 * that field set to `true` is refused with 422, like a downstream rejecting a bad record; in a batch such
 * records are refused one by one, with a `207 {"failed":[{"index", "error"}]}` answer, and the others are kept.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonRequest, parseJsonOrUndefined, sendJson, sendText } from "./http-util";
import { elementTexts, memberText } from "../handlers/lib/json-member";

/** One accepted delivery, as `GET /_local/sink` lists it. */
export interface SinkRecord {
  /** 1, 2, 3… in the order the sink accepted them. */
  readonly order: number;
  readonly receivedAt: string;
  readonly partitionKey?: string;
  readonly shardId?: string;
  readonly sequenceNumber?: string;
  readonly subSequenceNumber?: number;
  readonly data?: unknown;
  readonly dataBase64?: string;
  /** The record's `Idempotency-Key` header; for a record of a batch, the key the record has on its own. */
  readonly idempotencyKey?: string;
  /** For a record that came in a batch: the batch request's `Idempotency-Key` header. */
  readonly batchKey?: string;
}

/** A delivery as kept: its fields but `data`, and `data`'s exact text. */
interface KeptRecord {
  readonly fields: Omit<SinkRecord, "data">;
  readonly dataText?: string;
}

/** Options of {@link Sink}. */
export interface SinkOptions {
  /** Refuse deliveries whose `data[rejectField] === true`, from the start (env `SINK_REJECT_FIELD`). */
  readonly rejectField?: string;
  /** Most records kept; the oldest are forgotten beyond it. @default 200000 */
  readonly capacity?: number;
}

export class Sink {
  private records: KeptRecord[] = [];
  private accepted = 0;
  private rejected = 0;
  /** POSTs received, each a record or a batch of them: what a downstream pays for. */
  private requests = 0;
  /** The refusal field now: set at start-up, changed by {@link setRejectField}. */
  private refusing: string | undefined;

  constructor(private readonly options: SinkOptions = {}) {
    this.refusing = options.rejectField || undefined;
  }

  /** The field whose `true` makes the sink refuse a record; undefined while it accepts everything. */
  get rejectField(): string | undefined {
    return this.refusing;
  }

  /** Refuses records whose data has `field` set to `true` from now on; undefined (or "") accepts everything again. */
  setRejectField(field: string | undefined): void {
    this.refusing = field || undefined;
  }

  /**
   * Serves `/_local/sink/refusal`: `GET` says the field, `PUT {"field":"F"}` (JSON) refuses records whose data
   * has `"F": true`, `DELETE` accepts everything again. No restart; answers `{"field": F | null}`.
   */
  serveRefusal(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method === "PUT") {
      const field = (parseJsonOrUndefined(body.toString("utf8")) as { field?: unknown } | undefined)?.field;
      if (!isJsonRequest(req) || typeof field !== "string" || field.trim() === "")
        return sendJson(res, 400, {
          error: { code: "BadRequest", message: 'Send JSON {"field":"NAME"} with content-type application/json.' },
        });
      this.setRejectField(field.trim());
    } else if (req.method === "DELETE") this.setRejectField(undefined);
    else if (req.method !== "GET") return sendJson(res, 405, { error: { code: "MethodNotAllowed", message: "Use GET, PUT or DELETE." } });
    sendJson(res, 200, { field: this.refusing ?? null });
  }

  /** Serves `POST /_local/sink` (a delivery), `GET /_local/sink` (the list) and `DELETE /_local/sink` (empty it). */
  serve(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method === "GET") return this.list(new URL(req.url ?? "/", "http://local"), res);
    if (req.method === "DELETE") {
      this.records = [];
      return sendJson(res, 200, { accepted: this.accepted, rejected: this.rejected, count: 0 });
    }
    if (req.method !== "POST") return sendJson(res, 405, { error: { code: "MethodNotAllowed", message: "Use GET, POST or DELETE." } });
    this.requests++;
    const text = body.toString("utf8");
    const delivery = parseJsonOrUndefined(text);
    if (delivery === undefined) return sendJson(res, 400, { error: { code: "BadRequest", message: "The delivery body is not JSON." } });
    const header = req.headers["idempotency-key"] ? String(req.headers["idempotency-key"]) : undefined;
    const entries = isBatch(delivery) ? memberText(text, "records") : undefined;
    if (entries === undefined) {
      const refusal = this.take(delivery, text, header === undefined ? {} : { idempotencyKey: header });
      if (refusal !== undefined) return sendJson(res, 422, { error: { code: "Rejected", message: refusal } });
      return sendJson(res, 200, { order: this.accepted });
    }
    // A batch: each entry is taken or refused on its own, and the refused ones are named in a 207.
    const texts = elementTexts(entries)!;
    const failed: { index: number; error: string }[] = [];
    (delivery as { records: unknown[] }).records.forEach((entry, index) => {
      const refusal = this.take(entry, texts[index]!, { ...ownKey(entry), ...(header === undefined ? {} : { batchKey: header }) });
      if (refusal !== undefined) failed.push({ index, error: refusal });
    });
    if (failed.length > 0) return sendJson(res, 207, { failed });
    sendJson(res, 200, { accepted: texts.length });
  }

  /** Keeps one delivery (`text` is its JSON text), or refuses it: the refusal's message. */
  private take(delivery: unknown, text: string, keys: Pick<SinkRecord, "idempotencyKey" | "batchKey">): string | undefined {
    const fields = (typeof delivery === "object" && delivery !== null ? delivery : { data: delivery }) as Record<string, unknown>;
    const isDelivery = "data" in fields || "dataBase64" in fields;
    const data = isDelivery ? fields.data : delivery;
    const dataText = isDelivery ? memberText(text, "data") : text;
    const field = this.refusing;
    if (field && typeof data === "object" && data !== null && (data as Record<string, unknown>)[field] === true) {
      this.rejected++;
      return `The sink rejects records whose data has "${field}": true.`;
    }
    this.accepted++;
    this.records.push({
      fields: {
        order: this.accepted,
        receivedAt: new Date().toISOString(),
        ...pick(fields, ["partitionKey", "shardId", "sequenceNumber", "subSequenceNumber", "dataBase64"]),
        ...keys,
      },
      ...(dataText === undefined ? {} : { dataText }),
    });
    const capacity = this.options.capacity ?? 200_000;
    if (this.records.length > capacity) this.records.splice(0, this.records.length - capacity);
    return undefined;
  }

  /** Counters for the status page. */
  counts(): { accepted: number; rejected: number; requests: number } {
    return { accepted: this.accepted, rejected: this.rejected, requests: this.requests };
  }

  /** The `count` deliveries accepted last, newest first, each with its data's exact text (`dataText`). */
  latest(count: number): Array<Omit<SinkRecord, "data"> & { readonly dataText?: string }> {
    return this.records
      .slice(-count)
      .reverse()
      .map((r) => ({ ...r.fields, ...(r.dataText === undefined ? {} : { dataText: r.dataText }) }));
  }

  /** `?partitionKey=K` filters; `?after=N` lists only records with `order > N` (for polling). */
  private list(url: URL, res: ServerResponse): void {
    const key = url.searchParams.get("partitionKey");
    const after = Number(url.searchParams.get("after") ?? 0);
    const records = this.records.filter((r) => r.fields.order > after && (key === null || r.fields.partitionKey === key));
    const head = JSON.stringify({ accepted: this.accepted, rejected: this.rejected, count: records.length });
    // As text: `sendJson` would re-serialise the data.
    sendText(res, 200, `${head.slice(0, -1)},"records":[${records.map(listed).join(",")}]}`);
  }
}

/** A kept record as JSON text, `data` spliced in as it arrived. */
function listed(record: KeptRecord): string {
  const fields = JSON.stringify(record.fields);
  return record.dataText === undefined ? fields : `${fields.slice(0, -1)},"data":${record.dataText}}`;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** A forwarder batch body: `{"records":[...]}` (a record delivery has `data` or `dataBase64` instead). */
function isBatch(delivery: unknown): boolean {
  if (typeof delivery !== "object" || delivery === null || "data" in delivery || "dataBase64" in delivery) return false;
  return Array.isArray((delivery as { records?: unknown }).records);
}

/** The key a batch entry has on its own, `shardId:sequenceNumber:subSequenceNumber`, when it has those fields. */
function ownKey(entry: unknown): Pick<SinkRecord, "idempotencyKey"> {
  const { shardId, sequenceNumber, subSequenceNumber } = (entry ?? {}) as Record<string, unknown>;
  if (typeof shardId !== "string" || typeof sequenceNumber !== "string" || typeof subSequenceNumber !== "number") return {};
  return { idempotencyKey: `${shardId}:${sequenceNumber}:${subSequenceNumber}` };
}
