/**
 * The events the local REST and ALB fronts hand the ingest function, and the REST TOKEN authorizer's
 * cache, with recording functions behind a real port: REST payload 1.0 ("Lambda proxy integration input
 * format": header names as sent, no binary media types so bodies arrive as text, `requestContext.path` with
 * the stage), TOKEN authorizer input (`type`, `authorizationToken`, `methodArn`) and its policy cached per
 * token for the TTL ("Use API Gateway Lambda authorizers"); ALB target events with multi-value headers off
 * ("Lambda functions as targets of an Application Load Balancer": lower-case header names, the last value of
 * a repeated header, query strings as sent, base64 bodies for binary media types, 502 when the function fails).
 */
import { expect } from "chai";
import { createServer, request, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { LocalFunction } from "../../../local/functions";
import { AlbFront } from "../../../local/fronts/alb";
import type { LocalFront } from "../../../local/fronts/front";
import { LOCAL_API_KEY, RestApiFront } from "../../../local/fronts/rest-api";
import { API_DEFAULTS } from "../../../config/defaults";
import { readBody } from "../../../local/http-util";

const OK = { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}', isBase64Encoded: false };

async function serve(front: LocalFront): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => front.serve(req, res, await readBody(req)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function recording<E>(answer: (event: E) => unknown): { fn: LocalFunction; events: E[] } {
  const events: E[] = [];
  const fn = new LocalFunction({
    name: "recorded",
    handler: async (event: E) => {
      events.push(event);
      return answer(event);
    },
  });
  return { fn, events };
}

const policy = (effect: string, resource: string) => ({
  principalId: "token:1",
  policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
  context: { principalId: "token:1" },
});

describe("local REST API front: events and the TOKEN authorizer's cache", () => {
  let url: string;
  let server: Server;
  const ingest = recording<APIGatewayProxyEvent>((event) => (event.body === "boom" ? Promise.reject(new Error("boom")) : OK));
  const authorizer = recording<APIGatewayTokenAuthorizerEvent>((event) => {
    if (event.authorizationToken.startsWith("Bearer allow"))
      return policy("Allow", "arn:aws:execute-api:us-east-1:000000000000:local/v1/*/*");
    if (event.authorizationToken === "Bearer narrow") return policy("Allow", "arn:aws:execute-api:us-east-1:000000000000:local/v1/GET/*");
    return policy("Deny", "arn:aws:execute-api:us-east-1:000000000000:local/v1/*/*");
  });
  before(async () => {
    ({ url, server } = await serve(
      new RestApiFront({ ingest: ingest.fn, auth: "token", authorizer: authorizer.fn, authorizerCacheSeconds: 1, throttle: API_DEFAULTS }),
    ));
  });
  beforeEach(() => {
    ingest.events.length = 0;
    authorizer.events.length = 0;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const post = (authorization: string, body = '{"records":[]}', contentType = "application/json") =>
    fetch(`${url}/records?trace=1`, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": contentType, "X-Mixed-Case": "a", "x-api-key": LOCAL_API_KEY },
      body,
    });

  it("asks the authorizer with a TOKEN event and invokes ingest with a payload 1.0 event carrying its context", async () => {
    const response = await post("Bearer allow");
    expect([response.status, await response.text()]).to.deep.equal([200, '{"ok":true}']);
    expect(authorizer.events).to.deep.equal([
      { type: "TOKEN", authorizationToken: "Bearer allow", methodArn: "arn:aws:execute-api:us-east-1:000000000000:local/v1/POST/records" },
    ]);
    const event = ingest.events[0]!;
    expect(event).to.deep.include({
      resource: "/records",
      path: "/records",
      httpMethod: "POST",
      queryStringParameters: { trace: "1" },
      multiValueQueryStringParameters: { trace: ["1"] },
      pathParameters: null,
      stageVariables: null,
      body: '{"records":[]}',
      isBase64Encoded: false,
    });
    expect([event.headers["X-Mixed-Case"], event.multiValueHeaders["X-Mixed-Case"]]).to.deep.equal(["a", ["a"]]);
    expect(event.requestContext).to.deep.include({ path: "/v1/records", resourcePath: "/records", stage: "v1", httpMethod: "POST" });
    expect(event.requestContext.authorizer).to.deep.equal({ principalId: "token:1" });
  });

  it("passes a binary body as text: the API declares no binary media types", async () => {
    await post("Bearer allow", "\u00e9t\u00e9", "application/octet-stream");
    expect(ingest.events[0]).to.deep.include({ body: "\u00e9t\u00e9", isBase64Encoded: false });
  });

  it("reuses a cached Allow and a cached Deny for the TTL, then asks again", async () => {
    for (let i = 0; i < 3; i++) expect((await post("Bearer allow-cached")).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await post("Bearer deny")).status).to.equal(403);
    expect(authorizer.events.map((e) => e.authorizationToken)).to.deep.equal(["Bearer allow-cached", "Bearer deny"]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await post("Bearer allow-cached");
    await post("Bearer deny");
    expect(authorizer.events.map((e) => e.authorizationToken)).to.deep.equal([
      "Bearer allow-cached",
      "Bearer deny",
      "Bearer allow-cached",
      "Bearer deny",
    ]);
    expect(ingest.events).to.have.length(4);
  });

  it("evaluates the cached policy against each method ARN: an Allow that does not cover POST is no access", async () => {
    const response = await post("Bearer narrow");
    expect([response.status, await response.json()]).to.deep.equal([
      403,
      { error: { code: "FORBIDDEN", message: "User is not authorized to access this resource" } },
    ]);
  });

  it("answers a failed function with API Gateway's 502, in the contract's shape", async () => {
    const response = await post("Bearer allow", "boom");
    expect([response.status, await response.json()]).to.deep.equal([
      502,
      { error: { code: "INTERNAL_ERROR", message: "Internal server error" } },
    ]);
  });
});

describe("local ALB front: target events", () => {
  let url: string;
  let server: Server;
  const ingest = recording<ALBEvent>((event) =>
    event.body === "Ym9vbQ=="
      ? { notAResult: true }
      : { statusCode: 201, statusDescription: "201 Created", headers: { "x-from": "fn" }, body: "made", isBase64Encoded: false },
  );
  before(async () => {
    ({ url, server } = await serve(new AlbFront(ingest.fn)));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("sends lower-case header names, the last of repeated values, the query as sent and a binary body in base64", async () => {
    // Two header lines of one name (fetch would join them): node's http client sends an array as repeated lines.
    const response = await new Promise<{ status: number; text: string; from: unknown }>((resolve, reject) => {
      const req = request(`${url}/records?a=b&a=%20c`, {
        method: "POST",
        headers: { "X-Twice": ["first", "second"], "Content-Type": "application/octet-stream" },
      });
      req.on("response", async (res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), from: res.headers["x-from"] });
      });
      req.on("error", reject);
      req.end(Buffer.from([0xff, 0x00]));
    });
    expect([response.status, response.text, response.from]).to.deep.equal([201, "made", "fn"]);
    const event = ingest.events[0]!;
    expect(event).to.deep.include({
      requestContext: {
        elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/local-ingest/0123456789abcdef" },
      },
      httpMethod: "POST",
      path: "/records",
      queryStringParameters: { a: "%20c" },
      body: "/wA=",
      isBase64Encoded: true,
    });
    expect(event.headers!["x-twice"]).to.equal("second");
    expect(event.multiValueHeaders).to.equal(undefined);
  });

  it("passes only text/*, application/json, application/javascript and application/xml as text", async () => {
    ingest.events.length = 0;
    for (const type of ["application/json", "text/plain", "application/problem+json", "application/x-www-form-urlencoded"])
      await fetch(`${url}/records`, { method: "POST", headers: { "content-type": type }, body: "a=1" });
    expect(ingest.events.map((e) => [e.body, e.isBase64Encoded])).to.deep.equal([
      ["a=1", false],
      ["a=1", false],
      ["YT0x", true],
      ["YT0x", true],
    ]);
  });

  it("answers a result that is not a target response with the load balancer's own 502 page", async () => {
    const response = await fetch(`${url}/records`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: "boom",
    });
    expect([response.status, response.headers.get("content-type")]).to.deep.equal([502, "text/html"]);
    expect(await response.text()).to.contain("<h1>502 Bad Gateway</h1>");
  });
});
