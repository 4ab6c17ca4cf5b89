/**
 * Payload limits of the local stack's one server, as AWS answers them: API Gateway's 10 MB request cap
 * (413 `{"message":"Request Entity Too Large"}`, the response actually reaching the client) and Lambda's
 * 6 MB synchronous invoke quota (413 RequestTooLargeException through @aws-sdk/client-lambda).
 */
import { expect } from "chai";
import { request } from "node:http";
import { InvokeCommand, LambdaClient, RequestTooLargeException } from "@aws-sdk/client-lambda";
import { FunctionRegistry, LocalFunction } from "../../local/functions";
import { HttpApiFront } from "../../local/fronts/http-api";
import { API_DEFAULTS } from "../../config/defaults";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../semantics/limits";
import { startLocalServer, type LocalServer, type LocalStatus } from "../../local/server";
import { Sink } from "../../local/sink";

/** POSTs `bytes` bytes and resolves with the status and body the server answered (rejects on a reset). */
function post(url: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/records`,
      { method: "POST", headers: { "content-type": "application/json", "content-length": bytes } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(1024 * 1024, "a");
    let left = bytes;
    const write = (): void => {
      while (left > 0) {
        const piece = chunk.subarray(0, Math.min(left, chunk.length));
        left -= piece.length;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

describe("local stack: payload limits", () => {
  let server: LocalServer;
  let lambda: LambdaClient;
  const echoed: number[] = [];

  before(async () => {
    const registry = new FunctionRegistry("kinesis-ingest-dev-");
    const ingest = registry.add(new LocalFunction({ name: "ingest", handler: async () => ({ statusCode: 200, body: "{}" }) }));
    registry.add(
      new LocalFunction({
        name: "echo",
        handler: async (event: never) => {
          echoed.push(String(event).length);
          return "ok";
        },
      }),
    );
    server = await startLocalServer({ port: 0, sink: new Sink(), status: () => ({}) as LocalStatus, events: () => [] });
    server.attach(registry, { front: new HttpApiFront({ ingest, auth: "none", authorizerCacheSeconds: 0, throttle: API_DEFAULTS }) });
    lambda = new LambdaClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
      maxAttempts: 1,
    });
  });
  after(async () => {
    lambda.destroy();
    await server.stop();
  });

  it("answers a request over 10 MB with 413 instead of resetting the connection", async () => {
    expect(await post(server.url, 10 * 1024 * 1024 + 1)).to.deep.equal({ status: 413, body: '{"message":"Request Entity Too Large"}' });
  });

  it("invokes with a payload of exactly 6 MB and refuses one byte more with RequestTooLargeException", async () => {
    // A JSON string: two quotes around the padding.
    const atLimit = `"${"a".repeat(MAX_INVOKE_PAYLOAD_BYTES - 2)}"`;
    const out = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from(atLimit) }));
    expect([out.StatusCode, Buffer.from(out.Payload!).toString()]).to.deep.equal([200, '"ok"']);
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from(`${atLimit} `) }))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RequestTooLargeException);
    expect((error as Error).message).to.equal(
      `Request must be smaller than ${MAX_INVOKE_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
    expect(echoed).to.deep.equal([MAX_INVOKE_PAYLOAD_BYTES - 2]);
  });
});
