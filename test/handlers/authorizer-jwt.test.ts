/**
 * The authorizer checking JWTs (the websocket front's `jwt` and `cognito`, whose API has no JWT authorizer
 * type) as deployed: configured from `JWT_ISSUER` and `JWT_AUDIENCE`, finding the key set through the issuer's
 * OpenID discovery document, here an issuer served on 127.0.0.1 (a local stand-in for the identity provider)
 * with keys from the local stack's issuer ("Control and manage access to WebSocket APIs in API Gateway";
 * "Control access to HTTP APIs with JWT authorizers").
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { createAuthorizerHandler } from "../../handlers/authorizer";
import { createLogger } from "../../handlers/lib/log";
import { LocalJwtIssuer } from "../../local/fronts/jwt-issuer";

const CONNECT_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/ingest/$connect";
const event = (headers: Record<string, string>, query: Record<string, string> = {}) =>
  ({ type: "REQUEST", methodArn: CONNECT_ARN, headers, queryStringParameters: query }) as unknown as APIGatewayRequestAuthorizerEvent;

describe("authorizer: JWTs on the websocket front's $connect", () => {
  let server: Server;
  let issuer: LocalJwtIssuer;
  let discoveries = 0;
  const quiet = createLogger({ service: "authorizer", write: () => undefined });

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/.well-known/openid-configuration") {
        discoveries++;
        return void res.end(JSON.stringify({ issuer: issuer.issuer, jwks_uri: `${issuer.issuer}/keys` }));
      }
      if (req.url === "/keys") return void res.end(JSON.stringify(issuer.jwks));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = await LocalJwtIssuer.create(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ["producers"]);
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const authorize = () => createAuthorizerHandler({ jwt: { issuer: issuer.issuer, audiences: ["producers"] }, logger: quiet });

  it("allows the issuer's token on $connect, naming its subject, after one discovery of the key set", async () => {
    const check = authorize();
    discoveries = 0;
    const token = await issuer.mint({ subject: "producer-7" });
    const results = [await check(event({ Authorization: `Bearer ${token}` })), await check(event({}, { token }))];
    expect(
      results.map((r) => [(r as APIGatewayAuthorizerResult).principalId, (r as APIGatewayAuthorizerResult).policyDocument.Statement]),
    ).to.deep.equal(Array(2).fill(["producer-7", [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: CONNECT_ARN }]]));
    expect(discoveries).to.equal(1);
  });

  it("throws Unauthorized (API Gateway's 401) without a token, and denies another audience's or an expired token", async () => {
    const check = authorize();
    let error: unknown;
    await check(event({})).catch((e: unknown) => (error = e));
    expect(String(error)).to.equal("Error: Unauthorized");
    for (const token of [await issuer.mint({ audience: "others" }), await issuer.mint({ expiresInSeconds: -60 })]) {
      const result = (await check(event({ authorization: `Bearer ${token}` }))) as APIGatewayAuthorizerResult;
      expect(result.policyDocument.Statement[0]).to.include({ Effect: "Deny" });
    }
  });

  it("takes a Cognito access token, whose client is in client_id (no aud)", async () => {
    const token = await issuer.signClaims({ sub: "u-1", token_use: "access", client_id: "producers" }, 300);
    const result = (await authorize()(event({ authorization: `Bearer ${token}` }))) as APIGatewayAuthorizerResult;
    expect(result.policyDocument.Statement[0]).to.include({ Effect: "Allow" });
  });

  it("fails the invocation (API Gateway's 500), not the caller, when the issuer's discovery document cannot be read", async () => {
    const check = createAuthorizerHandler({ jwt: { issuer: `${issuer.issuer}/nowhere`, audiences: ["producers"] }, logger: quiet });
    let error: unknown;
    await check(event({ authorization: `Bearer ${await issuer.mint()}` })).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/openid-configuration answered 404: the issuer's key set cannot be found/);
  });

  it("refuses options naming both or neither verifier", () => {
    expect(() => createAuthorizerHandler({})).to.throw("either tokens (secretId) or JWTs (jwt)");
  });
});
