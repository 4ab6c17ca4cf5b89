/** A downstream HTTP server on 127.0.0.1 for the forwarder's tests: records every request, answers as told. */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the downstream received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly socket: number;
}

/** A downstream on 127.0.0.1 that records every request and answers with `respond`. */
export class Downstream {
  readonly requests: ReceivedRequest[] = [];
  connections = 0;
  respond: (request: ReceivedRequest, res: ServerResponse) => void = (_req, res) => void res.writeHead(200).end("{}");
  private readonly server: Server;
  private readonly socketIds = new WeakMap<object, number>();

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request = {
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          socket: this.socketIds.get(req.socket)!,
        };
        this.requests.push(request);
        this.respond(request, res);
      });
    });
    this.server.on("connection", (socket) => this.socketIds.set(socket, ++this.connections));
  }

  async listen(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
