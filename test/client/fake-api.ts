/**
 * A real HTTP server on 127.0.0.1 implementing the API contract (README.md "API contract (every front)") over an
 * in-memory store, with scripted faults: the tests drive the HTTP producer through 200, 207, 429 with
 * Retry-After, 503, 400 and dropped connections, and then check exactly what was stored.
 */
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";

/** What the server does with one request. */
export type Fault =
  | { kind: "status"; status: number; retryAfter?: string; code?: string }
  | { kind: "drop" }
  /** Stores only the records for which `store(index)` is true; the others fail with `errorCode`. */
  | { kind: "partial"; store: (index: number) => boolean; errorCode?: string };

export interface StoredRecord {
  readonly data?: unknown;
  readonly dataBase64?: string;
  readonly partitionKey?: string;
  readonly sequenceNumber: string;
}

export interface FakeApi {
  readonly url: string;
  readonly stored: StoredRecord[];
  /** The request bodies as received, to check the exact bytes a client sent. */
  readonly bodies: string[];
  /** Requests received, with their record counts and arrival times. */
  readonly requests: Array<{ records: number; at: number; authorization?: string; apiKey?: string }>;
  /** Faults applied to the next requests, in order; then every request succeeds. */
  readonly faults: Fault[];
  /** Records whose `data` deep-equals this are refused with 400 (the whole request, as the contract says). */
  poison?: string;
  /** Sockets opened (keep-alive check). */
  connections: number;
  stop(): Promise<void>;
}

export async function startFakeApi(token?: string): Promise<FakeApi> {
  let sequence = 0;
  const api: FakeApi = {
    url: "",
    stored: [],
    bodies: [],
    requests: [],
    faults: [],
    connections: 0,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    api.bodies.push(text);
    const body = JSON.parse(text) as { records: Array<Omit<StoredRecord, "sequenceNumber">> };
    api.requests.push({
      records: body.records.length,
      at: Date.now(),
      authorization: req.headers.authorization,
      apiKey: req.headers["x-api-key"] as string | undefined,
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      return send(401, { error: { code: "Unauthorized", message: "missing or wrong bearer token" } });
    }
    if (api.poison !== undefined && body.records.some((r) => JSON.stringify(r.data) === api.poison)) {
      return send(400, { error: { code: "InvalidRecord", message: "poisoned record" } });
    }
    const fault = api.faults.shift();
    if (fault?.kind === "drop") return req.socket.destroy();
    if (fault?.kind === "status") {
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
      return send(fault.status, { error: { code: fault.code ?? `E${fault.status}`, message: `scripted ${fault.status}` } }, headers);
    }
    const results = body.records.map((record, index) => {
      if (fault?.kind === "partial" && !fault.store(index)) {
        return { errorCode: fault.errorCode ?? "ProvisionedThroughputExceededException", errorMessage: "scripted failure" };
      }
      const sequenceNumber = String(++sequence).padStart(20, "0");
      api.stored.push({ ...record, sequenceNumber });
      return { sequenceNumber, shardId: "shardId-000000000000" };
    });
    const failedRecordCount = results.filter((r) => "errorCode" in r).length;
    send(failedRecordCount === 0 ? 200 : 207, { failedRecordCount, records: results });
  });
  server.on("connection", () => (api.connections += 1));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return Object.assign(api, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
