/**
 * WebSocketProducer against a small `ws` server playing the websocket front's contract (a `putRecords`
 * message answered by id, one result per record), with faults: failed entries, a connection the server closes.
 * Every record must be stored exactly once, in messages within the 128 KB quota.
 */
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { WebSocketServer, type WebSocket } from "ws";
import { WebSocketProducer } from "../../client/websocket-producer";
import { MAX_WEBSOCKET_MESSAGE_BYTES } from "../../semantics/websocket-limits";

interface Stored {
  readonly data: unknown;
  readonly sequenceNumber: string;
}

/** The server, what it stored, the messages it received, and the faults it is told to play. */
class FakeFront {
  readonly stored: Stored[] = [];
  /** Bytes and record count of every message received. */
  readonly messages: { bytes: number; records: number }[] = [];
  readonly handshakes: (string | undefined)[] = [];
  /** Called per record of each message: false fails the record (throughput exceeded). */
  accept: (data: unknown) => boolean = () => true;
  /** Message numbers (1-based) on which the server drops the connection without storing or answering. */
  readonly dropOn = new Set<number>();

  private constructor(private readonly server: WebSocketServer) {
    server.on("connection", (ws: WebSocket, req) => {
      this.handshakes.push(req.headers.authorization);
      ws.on("message", (data: Buffer) => this.message(ws, data));
    });
  }

  static async start(): Promise<FakeFront> {
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1", maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES });
    await new Promise((resolve) => server.once("listening", resolve));
    return new FakeFront(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ingest`;
  }

  /** Closes every open connection as the gateway's idle timeout does. */
  closeAll(): void {
    for (const ws of this.server.clients) ws.close(1001, "Going away");
  }

  stop(): Promise<void> {
    for (const ws of this.server.clients) ws.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private message(ws: WebSocket, raw: Buffer): void {
    const message = JSON.parse(raw.toString("utf8")) as { action: string; id: string; records: { data: unknown }[] };
    this.messages.push({ bytes: raw.length, records: message.records.length });
    if (this.dropOn.has(this.messages.length)) return void ws.terminate();
    let failed = 0;
    const records = message.records.map((record) => {
      if (!this.accept(record.data)) {
        failed++;
        return { errorCode: "ProvisionedThroughputExceededException", errorMessage: "Rate exceeded for shard shardId-000000000000" };
      }
      const sequenceNumber = String(this.stored.length + 1).padStart(20, "0");
      this.stored.push({ data: record.data, sequenceNumber });
      return { sequenceNumber, shardId: "shardId-000000000000" };
    });
    ws.send(JSON.stringify({ id: message.id, failedRecordCount: failed, records }));
  }
}

describe("WebSocketProducer against a ws server playing the websocket front", function () {
  this.timeout(20_000);
  let front: FakeFront;
  beforeEach(async () => (front = await FakeFront.start()));
  afterEach(() => front.stop());

  const producer = (overrides: Partial<ConstructorParameters<typeof WebSocketProducer>[0]> = {}) =>
    new WebSocketProducer({ url: front.url, token: "secret-token", lingerMs: 5, backoff: { baseMs: 5, maxMs: 20 }, ...overrides });

  /** Asserts every input was stored exactly once and each result names its own record. */
  function expectExactlyOnce(inputs: unknown[], results: { sequenceNumber: string }[]): void {
    expect(front.stored.map((s) => s.data)).to.have.deep.members(inputs);
    expect(front.stored).to.have.length(inputs.length);
    results.forEach((result, i) =>
      expect(front.stored.find((s) => s.sequenceNumber === result.sequenceNumber)?.data).to.deep.equal(inputs[i]),
    );
  }

  it("batches records into putRecords messages of at most 128 KB, on one connection with the token", async () => {
    const client = producer({ maxInFlight: 2 });
    const inputs = Array.from({ length: 60 }, (_, i) => ({ n: i, pad: "p".repeat(10_000) }));
    const results = await Promise.all(inputs.map((data) => client.put({ data })));
    await client.close();
    expectExactlyOnce(inputs, results);
    expect(front.messages.length).to.be.within(6, 12);
    for (const m of front.messages) expect(m.bytes).to.be.at.most(MAX_WEBSOCKET_MESSAGE_BYTES);
    expect(front.handshakes).to.deep.equal(["Bearer secret-token"]);
  });

  it("sends up to 500 records a message", async () => {
    const client = producer();
    const inputs = Array.from({ length: 1200 }, (_, i) => i);
    const results = await Promise.all(inputs.map((data) => client.put({ data })));
    await client.close();
    expectExactlyOnce(inputs, results);
    expect(Math.max(...front.messages.map((m) => m.records))).to.equal(500);
  });

  it("retries exactly the entries the answer reports failed", async () => {
    const failedOnce = new Set<number>();
    front.accept = (data) => {
      const n = data as number;
      if (n % 3 !== 0 || failedOnce.has(n)) return true;
      failedOnce.add(n);
      return false;
    };
    const client = producer();
    const inputs = Array.from({ length: 9 }, (_, i) => i);
    const results = await Promise.all(inputs.map((data) => client.put({ data })));
    await client.close();
    expectExactlyOnce(inputs, results);
    expect(front.messages.map((m) => m.records)).to.deep.equal([9, 3]);
    expect(client.stats()).to.include({ sent: 9, failed: 0 });
  });

  it("reconnects after the server closes the connection, between messages and during one", async () => {
    const client = producer({ maxBatchRecords: 10 });
    const first = Array.from({ length: 10 }, (_, i) => i);
    const firstResults = await Promise.all(first.map((data) => client.put({ data })));
    front.closeAll(); // the idle timeout
    await new Promise((resolve) => setTimeout(resolve, 50));
    front.dropOn.add(front.messages.length + 1); // the next message is lost with its connection
    const second = Array.from({ length: 10 }, (_, i) => 10 + i);
    const secondResults = await Promise.all(second.map((data) => client.put({ data })));
    await client.close();
    expectExactlyOnce([...first, ...second], [...firstResults, ...secondResults]);
    expect(front.handshakes).to.have.length(3);
  });

  it("rejects a record that alone makes a message over 128 KB, without sending it", async () => {
    const client = producer();
    const error = await client.put({ data: "x".repeat(MAX_WEBSOCKET_MESSAGE_BYTES) }).catch((e: Error) => e);
    await client.close();
    expect(String(error)).to.match(/WebSocket messages are at most 131072 bytes/);
    expect(front.messages).to.deep.equal([]);
  });
});
