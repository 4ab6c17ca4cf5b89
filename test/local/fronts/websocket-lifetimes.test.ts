/**
 * The websocket front's connection quotas, with the quotas shortened through the front's options (10 minutes
 * idle and 2 hours in any case on AWS, semantics/websocket-limits.ts): an idle connection is closed with 1001,
 * a message either way (one the client sends, or an answer posted through `@connections`) restarts the idle
 * clock, a busy connection is closed at its lifetime all the same, and every close runs `$disconnect`
 * ("Quotas for configuring and running a WebSocket in API Gateway"). The ingest function here is a local
 * stand-in that answers 200 and records the route of each event: the quotas are the gateway's, not its.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { LocalFunction } from "../../../local/functions";
import { WebSocketFront } from "../../../local/fronts/websocket";
import { CLOSE_GOING_AWAY } from "../../../semantics/websocket-limits";
import { waitFor } from "../esm/harness";

const IDLE_MS = 400;
const LIFETIME_MS = 1_500;

describe("local websocket front: idle and lifetime closes (shortened quotas)", function () {
  this.timeout(20_000);
  let server: Server;
  let url: string;
  const routes: string[] = [];
  const connected: string[] = [];

  before(async () => {
    const ingest = new LocalFunction({
      name: "ingest",
      handler: async (event: { requestContext: { routeKey: string; connectionId: string } }) => {
        routes.push(event.requestContext.routeKey);
        if (event.requestContext.routeKey === "$connect") connected.push(event.requestContext.connectionId);
        return { statusCode: 200 };
      },
    });
    const front = new WebSocketFront({
      ingest,
      auth: "none",
      throttle: { rateLimit: 1000, burstLimit: 1000 },
      idleTimeoutMs: IDLE_MS,
      maxConnectionMs: LIFETIME_MS,
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => void front.serve(req, res, Buffer.concat(chunks)));
    });
    server.on("upgrade", (req, socket, head: Buffer) => void front.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  /** Opens a connection; resolves with it and a promise of how and when it closed. */
  async function open(): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string; afterMs: number }> }> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ingest`);
    const openedAt = Date.now();
    const closed = new Promise<{ code: number; reason: string; afterMs: number }>((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString(), afterMs: Date.now() - openedAt })),
    );
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    return { ws, closed };
  }

  it("closes a connection with no message for the idle timeout with 1001, and runs $disconnect", async () => {
    routes.length = 0;
    const { closed } = await open();
    const close = await closed;
    expect([close.code, close.reason]).to.deep.equal([CLOSE_GOING_AWAY, "Going away: idle for 10 minutes"]);
    expect(close.afterMs).to.be.within(IDLE_MS, LIFETIME_MS);
    await waitFor(() => routes.includes("$disconnect"), "$disconnect");
    expect(routes).to.deep.equal(["$connect", "$disconnect"]);
  });

  it("keeps a connection whose client sends a message within each idle period, until its lifetime", async () => {
    const { ws, closed } = await open();
    const keepAlive = setInterval(() => ws.send(JSON.stringify({ action: "putRecords", id: "k", records: [] })), IDLE_MS / 4);
    const close = await closed.finally(() => clearInterval(keepAlive));
    expect([close.code, close.reason]).to.deep.equal([CLOSE_GOING_AWAY, "Going away: connections last at most 2 hours"]);
    expect(close.afterMs).to.be.at.least(LIFETIME_MS);
  });

  it("counts an answer posted through @connections as a message: the connection stays open past the idle timeout", async () => {
    const { closed } = await open();
    const id = connected[connected.length - 1]!; // as the function learns it: from its $connect event
    const post = () => fetch(`${url}/@connections/${encodeURIComponent(id)}`, { method: "POST", body: "{}" });
    const pushes = setInterval(() => void post(), IDLE_MS / 4);
    const close = await closed.finally(() => clearInterval(pushes));
    expect(close.reason).to.equal("Going away: connections last at most 2 hours");
    expect((await post()).status).to.equal(410);
  });
});
