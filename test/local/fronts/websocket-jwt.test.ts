/**
 * `api.auth` jwt and cognito on the websocket front, through the local stack's real port with the `ws` client:
 * a WebSocket API has no JWT or Cognito authorizer type, so `$connect` runs the authorizer function, which
 * checks the token as API Gateway's JWT authorizer does (issuer, signature from the issuer's key set,
 * `aud` or `client_id`, expiry), read from the `Authorization` header or `?token=` ("Control and manage access
 * to WebSocket APIs in API Gateway"; "Control access to HTTP APIs with JWT authorizers").
 */
import { expect } from "chai";
import WebSocket from "ws";
import type { RunningLocalStack } from "../../../local/stack";
import { startWithApi } from "./support";

/** The handshake's outcome: "open", or the refusal's HTTP status. */
function handshake(url: string, headers: Record<string, string> = {}): Promise<"open" | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.terminate();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once("error", reject);
  });
}

async function mint(stack: RunningLocalStack, options: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${stack.url}/_local/tokens`, { method: "POST", body: JSON.stringify(options) });
  return ((await response.json()) as { token: string }).token;
}

for (const [auth, extra, otherAudience] of [
  ["cognito", {}, { clientId: "someotherclient" }],
  ["jwt", { jwtIssuer: "https://issuer.example.com", jwtAudience: ["producers"] }, { audience: "someone-else" }],
] as const) {
  describe(`local stack: the websocket front with api.auth ${auth} (the $connect authorizer checks JWTs)`, function () {
    this.timeout(60_000);
    let stack: RunningLocalStack;
    let url: string;
    before(async () => {
      stack = await startWithApi({ front: "websocket", auth, ...extra });
      url = stack.status().api.websocketUrl!;
    });
    after(async () => {
      if (stack) await stack.stop();
    });

    it("admits a token of the issuer as the Authorization header or as ?token=", async () => {
      const token = await mint(stack, {});
      expect(await handshake(url, { authorization: `Bearer ${token}` })).to.equal("open");
      expect(await handshake(`${url}?token=${token}`)).to.equal("open");
    });

    it("refuses no token with 401, and another audience's, an expired or a forged token with 403", async () => {
      const other = await mint(stack, otherAudience);
      const expired = await mint(stack, { expiresInSeconds: -60 });
      const token = await mint(stack, {});
      const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${Buffer.from("not the signature").toString("base64url")}`;
      const statuses = [];
      for (const headers of [{}, ...[other, expired, forged].map((t) => ({ authorization: `Bearer ${t}` }))])
        statuses.push(await handshake(url, headers));
      expect(statuses).to.deep.equal([401, 403, 403, 403]);
    });
  });
}
