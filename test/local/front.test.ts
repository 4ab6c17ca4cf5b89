/**
 * The local stack's Lambda-service pieces in-process, with recording handlers: the HTTP API front (payload
 * 2.0 events, the authorizer and the gateway's own answers) and the Invoke API (through
 * @aws-sdk/client-lambda, as tools use it).
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { InvokeCommand, LambdaClient, ResourceNotFoundException, TooManyRequestsException } from "@aws-sdk/client-lambda";
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2, Context } from "aws-lambda";
import { FunctionRegistry, LocalFunction } from "../../local/functions";
import { HttpApiFront } from "../../local/fronts/http-api";
import { API_DEFAULTS } from "../../config/defaults";
import { readBody } from "../../local/http-util";
import { isInvokePath, serveInvoke } from "../../local/lambda-invoke";

describe("local stack: HTTP API front and Invoke API", () => {
  let server: Server;
  let url: string;
  let ingestEvents: Array<{ event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } }; context: Context }>;
  let authorizerEvents: APIGatewayRequestAuthorizerEventV2[];
  let release: () => void = () => undefined;
  const registry = new FunctionRegistry("kinesis-ingest-dev-");

  before(async () => {
    const ingest = registry.add(
      new LocalFunction({
        name: "ingest",
        timeoutSeconds: 29,
        handler: async (event: never, context: Context) => {
          const e = event as APIGatewayProxyEventV2;
          if (e.rawPath === undefined) throw new TypeError("not an HTTP event");
          ingestEvents.push({ event: e, context });
          return { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}', isBase64Encoded: false };
        },
      }),
    );
    const authorizer = registry.add(
      new LocalFunction({
        name: "authorizer",
        handler: async (event: never) => {
          const e = event as APIGatewayRequestAuthorizerEventV2;
          authorizerEvents.push(e);
          if (e.headers?.authorization === "Bearer boom") throw new Error("secret unavailable");
          return e.headers?.authorization === "Bearer good"
            ? { isAuthorized: true, context: { principalId: "token:1" } }
            : { isAuthorized: false };
        },
      }),
    );
    registry.add(new LocalFunction({ name: "paused", reservedConcurrency: 0, handler: async () => "never" }));
    registry.add(
      new LocalFunction({
        name: "busy",
        reservedConcurrency: 1,
        handler: async () => new Promise<string>((resolve) => (release = () => resolve("done"))),
      }),
    );
    registry.add(new LocalFunction({ name: "slow", timeoutSeconds: 0.05, handler: async () => new Promise(() => undefined) }));
    const front = new HttpApiFront({ ingest, auth: "token", authorizer, authorizerCacheSeconds: 60, throttle: API_DEFAULTS });
    server = createServer(async (req, res) => {
      const body = await readBody(req);
      const path = new URL(req.url!, "http://x").pathname;
      if (isInvokePath(path)) return serveInvoke(registry, req, res, body);
      return front.serve(req, res, body);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    ingestEvents = [];
    authorizerEvents = [];
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (path: string, headers: Record<string, string>, body: string | Buffer) =>
    fetch(`${url}${path}`, { method: "POST", headers, body });

  it("invokes ingest with a payload 2.0 event carrying the authorizer's context", async () => {
    const response = await post("/records?trace=1", { authorization: "Bearer good", "content-type": "application/json" }, '{"records":[]}');
    expect([response.status, await response.json()]).to.deep.equal([200, { ok: true }]);
    expect(ingestEvents).to.have.length(1);
    const { event, context } = ingestEvents[0]!;
    expect(event).to.deep.include({
      version: "2.0",
      routeKey: "POST /records",
      rawPath: "/records",
      rawQueryString: "trace=1",
      queryStringParameters: { trace: "1" },
      body: '{"records":[]}',
      isBase64Encoded: false,
    });
    expect(event.headers.authorization).to.equal("Bearer good");
    expect(event.requestContext).to.deep.include({
      accountId: "000000000000",
      apiId: "local",
      routeKey: "POST /records",
      stage: "$default",
    });
    expect(event.requestContext.http).to.deep.include({ method: "POST", path: "/records", protocol: "HTTP/1.1", sourceIp: "127.0.0.1" });
    expect(event.requestContext.authorizer).to.deep.equal({ lambda: { principalId: "token:1" } });
    expect(event.requestContext.time).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.functionName).to.equal("ingest");
    expect(context.invokedFunctionArn).to.equal("arn:aws:lambda:us-east-1:000000000000:function:ingest");
    expect(context.awsRequestId).to.equal(event.requestContext.requestId);
    expect(context.getRemainingTimeInMillis()).to.be.within(28_000, 29_000);
    expect(authorizerEvents[0]).to.deep.include({
      version: "2.0",
      type: "REQUEST",
      routeKey: "POST /records",
      identitySource: ["Bearer good"],
      routeArn: "arn:aws:execute-api:us-east-1:000000000000:local/$default/POST/records",
    });
  });

  it("base64-encodes a body whose media type is not text, as API Gateway does", async () => {
    await post("/records", { authorization: "Bearer good", "content-type": "application/octet-stream" }, Buffer.from([0xff, 0x00]));
    expect(ingestEvents[0]!.event).to.deep.include({ body: "/wA=", isBase64Encoded: true });
  });

  it("caches the authorizer's decision per token, refusals included", async () => {
    for (let i = 0; i < 3; i++) await post("/records", { authorization: "Bearer cached-refusal" }, "{}");
    expect(authorizerEvents).to.have.length(1);
  });

  it("answers like the gateway: 401 without the identity header, 403 refused, 500 authorizer failed, 404 no route", async () => {
    const answers = [
      await post("/records", {}, "{}"),
      await post("/records", { authorization: "Bearer wrong" }, "{}"),
      await post("/records", { authorization: "Bearer boom" }, "{}"),
      await fetch(`${url}/nowhere`),
    ];
    const got = await Promise.all(answers.map(async (r) => [r.status, await r.json()]));
    expect(got).to.deep.equal([
      [401, { message: "Unauthorized" }],
      [403, { message: "Forbidden" }],
      [500, { message: "Internal Server Error" }],
      [404, { message: "Not Found" }],
    ]);
    expect(ingestEvents).to.have.length(0);
  });

  it("serves GET /health without the authorizer", async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).to.equal(200);
    expect(authorizerEvents).to.have.length(0);
    expect(ingestEvents[0]!.event.routeKey).to.equal("GET /health");
  });

  describe("Invoke API through @aws-sdk/client-lambda", () => {
    let lambda: LambdaClient;
    before(() => {
      lambda = new LambdaClient({
        endpoint: url,
        region: "us-east-1",
        credentials: { accessKeyId: "l", secretAccessKey: "l" },
        maxAttempts: 1,
      });
    });
    after(() => lambda.destroy());
    const invoke = (FunctionName: string, event: unknown, InvocationType?: "Event" | "DryRun") =>
      lambda.send(new InvokeCommand({ FunctionName, InvocationType, Payload: Buffer.from(JSON.stringify(event)) }));
    const json = (payload?: Uint8Array) => JSON.parse(Buffer.from(payload!).toString()) as unknown;

    it("returns the result, by name, by ARN and by the stack-prefixed name", async () => {
      for (const name of ["authorizer", "arn:aws:lambda:us-east-1:000000000000:function:authorizer", "kinesis-ingest-dev-authorizer"]) {
        const out = await invoke(name, { headers: { authorization: "Bearer good" } });
        expect([out.StatusCode, out.FunctionError, out.ExecutedVersion, json(out.Payload)]).to.deep.equal([
          200,
          undefined,
          "$LATEST",
          { isAuthorized: true, context: { principalId: "token:1" } },
        ]);
      }
    });

    it("reports a thrown error as Unhandled with errorType and errorMessage", async () => {
      const out = await invoke("ingest", {});
      expect(out.FunctionError).to.equal("Unhandled");
      expect(json(out.Payload)).to.deep.include({ errorType: "TypeError", errorMessage: "not an HTTP event" });
    });

    it("reports a timeout as Unhandled with Lambda's message", async () => {
      const out = await invoke("slow", {});
      expect(out.FunctionError).to.equal("Unhandled");
      expect((json(out.Payload) as { errorMessage: string }).errorMessage).to.match(/Task timed out after 0\.05 seconds$/);
    });

    it("answers 404 ResourceNotFoundException for an unknown function", async () => {
      const error = await invoke("nope", {}).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ResourceNotFoundException);
      expect((error as Error).message).to.contain("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
    });

    it("throttles beyond reserved concurrency (0 is the kill switch)", async () => {
      expect(await invoke("paused", {}).catch((e: unknown) => e)).to.be.instanceOf(TooManyRequestsException);
      const first = invoke("busy", {});
      await new Promise((r) => setTimeout(r, 50));
      expect(await invoke("busy", {}).catch((e: unknown) => e)).to.be.instanceOf(TooManyRequestsException);
      release();
      expect(json((await first).Payload)).to.equal("done");
    });

    it("answers 202 for an Event invocation and 204 for a DryRun", async () => {
      expect((await invoke("authorizer", { headers: {} }, "Event")).StatusCode).to.equal(202);
      expect((await invoke("authorizer", { headers: {} }, "DryRun")).StatusCode).to.equal(204);
    });
  });
});
