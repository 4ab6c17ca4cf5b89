/**
 * The Kinesis emulator behind the limits proxy, called over HTTP/1.1 with keep-alive. Requests are passed
 * on byte for byte apart from hop-by-hop headers; neither emulator checks SigV4 signatures, so a rewritten
 * body keeps its original headers.
 */
import { Agent, request, type IncomingHttpHeaders } from "node:http";

/** A buffered answer from the emulator. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length", "expect"]);

/** Credentials in the shape the emulators require (they check the form, not the signature). */
const DUMMY_AUTH_HEADERS = {
  authorization: "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
  "x-amz-date": "20200101T000000Z",
};

export class KinesisUpstream {
  private readonly url: URL;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 128 });

  constructor(endpoint: string) {
    this.url = new URL(endpoint);
  }

  /** Sends `body` with the caller's `headers` (minus hop-by-hop ones) and buffers the answer. */
  send(headers: IncomingHttpHeaders, body: Buffer): Promise<UpstreamResponse> {
    const forwarded: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
    }
    forwarded["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.url.hostname, port: this.url.port, path: "/", method: "POST", headers: forwarded, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Calls a Kinesis JSON action on the proxy's own behalf (e.g. ListShards); rejects on a non-200 answer. */
  async call<T>(action: string, payload: object): Promise<T> {
    const headers = {
      ...DUMMY_AUTH_HEADERS,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `Kinesis_20131202.${action}`,
    };
    const response = await this.send(headers, Buffer.from(JSON.stringify(payload)));
    if (response.status !== 200) {
      throw new Error(`Kinesis ${action} answered ${response.status}: ${response.body.toString("utf8").slice(0, 300)}`);
    }
    return JSON.parse(response.body.toString("utf8")) as T;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
