/**
 * The websocket front through the local stack's real port with the `ws` client, as API Gateway answers:
 * `$connect` through the token authorizer (401 without a token, 403 with a wrong one, the header or
 * `?token=`), `putRecords` answered by id with one result per record and the records in the stream, an
 * invalid message answered with the contract's error and nothing written, an unknown action the gateway's
 * "Forbidden", and a message over 128 KB closing the connection with 1009 ("Quotas for configuring and
 * running a WebSocket in API Gateway").
 */
import { expect } from "chai";
import WebSocket from "ws";
import { WebSocketProducer } from "../../../client/websocket-producer";
import { localKinesisClient } from "../../../local/emulators";
import type { RunningLocalStack } from "../../../local/stack";
import { CLOSE_MESSAGE_TOO_BIG, MAX_WEBSOCKET_FRAME_BYTES, MAX_WEBSOCKET_MESSAGE_BYTES } from "../../../semantics/websocket-limits";
import { readAll } from "../../client/kinesis-read-back";
import { startWithApi, TOKEN } from "./support";

/** Opens a connection; rejects with the handshake's HTTP status when the gateway refuses it. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
    });
    ws.once("error", reject);
  });
}

/** The next message on `ws`, parsed. */
function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) =>
    ws.once("message", (data: Buffer) => resolve(JSON.parse(data.toString("utf8")) as Record<string, unknown>)),
  );
}

async function refusal(url: string, headers?: Record<string, string>): Promise<[number, string]> {
  const error = (await open(url, headers).then(
    (ws) => (ws.close(), new Error("admitted")),
    (e: unknown) => e,
  )) as { status?: number; body?: string };
  return [error.status ?? 0, error.body ?? ""];
}

describe("local stack: the websocket front (ws client)", function () {
  this.timeout(60_000);
  let stack: RunningLocalStack;
  let url: string;
  const sockets: WebSocket[] = [];
  const connect = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const ws = await open(url, headers);
    sockets.push(ws);
    return ws;
  };
  const stored = async () => {
    const status = stack.status();
    const client = localKinesisClient(status.kinesisEndpoint);
    const records = await readAll(client, status.streamName);
    client.destroy();
    return records;
  };

  before(async () => {
    stack = await startWithApi({ front: "websocket", auth: "token" });
    url = stack.status().api.websocketUrl!;
  });
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });
  after(async () => {
    if (stack) await stack.stop();
  });

  it("names the URL in /_local/status as api.websocketUrl: ws://<host>:<port>/ingest", async () => {
    const status = (await (await fetch(`${stack.url}/_local/status`)).json()) as { api: { front: string; websocketUrl: string } };
    expect(status.api).to.include({ front: "websocket", websocketUrl: `${stack.url.replace(/^http/, "ws")}/ingest` });
  });

  it("refuses a handshake without a token with 401, a wrong token with 403, as the REQUEST authorizer does", async () => {
    expect(await refusal(url, {})).to.deep.equal([401, '{"message":"Unauthorized"}']);
    expect(await refusal(url, { authorization: "Bearer wrong" })).to.deep.equal([403, '{"message":"Forbidden"}']);
    expect(await refusal(`${url}?token=wrong`)).to.deep.equal([403, '{"message":"Forbidden"}']);
  });

  it("refuses a handshake on another path with 404", async () => {
    expect((await refusal(url.replace(/\/ingest$/, "/other")))[0]).to.equal(404);
  });

  it("admits the token as the Authorization header or as ?token=", async () => {
    expect((await connect()).readyState).to.equal(WebSocket.OPEN);
    expect((await connect({}).catch(() => undefined))?.readyState).to.equal(undefined);
    const viaQuery = await open(`${url}?token=${TOKEN}`);
    sockets.push(viaQuery);
    expect(viaQuery.readyState).to.equal(WebSocket.OPEN);
  });

  it("answers putRecords by id with a sequence number per record, and the records are in the stream", async () => {
    const ws = await connect();
    const answer = next(ws);
    ws.send(JSON.stringify({ action: "putRecords", id: "m-1", records: [{ data: { ws: 1 }, partitionKey: "k" }, { data: { ws: 2 } }] }));
    const { id, failedRecordCount, records } = (await answer) as {
      id: string;
      failedRecordCount: number;
      records: Record<string, string>[];
    };
    expect([id, failedRecordCount, records.length]).to.deep.equal(["m-1", 0, 2]);
    for (const r of records) expect(r).to.have.keys("sequenceNumber", "shardId");
    const inStream = (await stored()).filter((r) => records.some((x) => x.sequenceNumber === r.sequenceNumber));
    expect(inStream.map((r) => JSON.parse(r.data.toString("utf8")) as unknown)).to.have.deep.members([{ ws: 1 }, { ws: 2 }]);
  });

  it("answers an invalid message with the contract's error under its id, and writes nothing", async () => {
    const before = (await stored()).length;
    const ws = await connect();
    const answer = next(ws);
    ws.send(JSON.stringify({ action: "putRecords", id: "bad-1", records: [{ data: { ok: 1 } }, { partitionKey: "no data" }] }));
    const { id, error } = (await answer) as { id: string; error: { code: string; message: string } };
    expect(id).to.equal("bad-1");
    expect(error).to.include({ code: "INVALID_REQUEST" });
    expect(error.message).to.be.a("string").and.not.equal("");
    expect((await stored()).length).to.equal(before);
  });

  it("answers an unknown action or a message that is not JSON as API Gateway does without a $default route", async () => {
    const ws = await connect();
    for (const text of ['{"action":"sendMessage","id":"x"}', "not json"]) {
      const answer = next(ws);
      ws.send(text);
      const got = await answer;
      expect(got).to.have.keys("message", "connectionId", "requestId");
      expect(got.message).to.equal("Forbidden");
    }
  });

  it("stores what WebSocketProducer sends (messages over 32 KB in frames) exactly once", async () => {
    const client = new WebSocketProducer({ url, token: TOKEN, lingerMs: 5 });
    const inputs = Array.from({ length: 40 }, (_, i) => ({ producer: i, pad: "p".repeat(5000) }));
    const results = await Promise.all(inputs.map((data) => client.put({ data })));
    await client.close();
    const bySequence = new Map((await stored()).map((r) => [r.sequenceNumber, JSON.parse(r.data.toString("utf8")) as unknown]));
    expect(results.map((r) => bySequence.get(r.sequenceNumber))).to.deep.equal(inputs);
    expect([...bySequence.values()].filter((d) => (d as { producer?: number }).producer !== undefined)).to.have.length(40);
  });

  it(`closes the connection with ${CLOSE_MESSAGE_TOO_BIG} on a single frame over 32 KB, and writes nothing`, async () => {
    const before = (await stored()).length;
    const ws = await connect();
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(JSON.stringify({ action: "putRecords", id: "frame", records: [{ data: "x".repeat(MAX_WEBSOCKET_FRAME_BYTES) }] }));
    expect(await closed).to.equal(CLOSE_MESSAGE_TOO_BIG);
    expect((await stored()).length).to.equal(before);
  });

  it(`closes the connection with ${CLOSE_MESSAGE_TOO_BIG} on a message over 128 KB, and writes nothing`, async () => {
    const before = (await stored()).length;
    const ws = await connect();
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    const data = "x".repeat(MAX_WEBSOCKET_MESSAGE_BYTES);
    ws.send(JSON.stringify({ action: "putRecords", id: "big", records: [{ data }] }));
    expect(await closed).to.equal(CLOSE_MESSAGE_TOO_BIG);
    expect((await stored()).length).to.equal(before);
  });
});
