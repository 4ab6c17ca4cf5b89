/**
 * `api.auth` cognito on the local stack, through its real port: the local issuer plays the user pool
 * (Cognito's issuer form, `token_use`, `client_id` / `aud`, `cognito:groups`), the HTTP API checks its tokens
 * as its JWT authorizer does (`aud`, else `client_id`), the REST API's COGNITO_USER_POOLS authorizer takes ID
 * tokens only, and `kinesis-ingest token` mints them ("Control access to HTTP APIs with JWT authorizers";
 * "Control access to REST APIs using Amazon Cognito user pools as an authorizer").
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { RunningLocalStack } from "../../../local/stack";
import { send, startWithApi } from "./support";

const ROOT = path.resolve(__dirname, "../../..");
const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LOCALPOOL";
const CLIENT = "localingestproducers000000";
const API_KEY = { "x-api-key": "local-api-key-0123456789abcdef" };
const cli = (args: string[]) => promisify(execFile)(path.join(ROOT, "node_modules/.bin/tsx"), ["cli/bin.cjs", ...args], { cwd: ROOT });
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

function withStack(api: Record<string, unknown>, body: (stack: () => RunningLocalStack) => void): void {
  let stack: RunningLocalStack;
  before(async () => {
    stack = await startWithApi(api);
  });
  after(async () => {
    if (stack) await stack.stop();
  });
  body(() => stack);
}

async function mint(url: string, options: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${url}/_local/tokens`, { method: "POST", body: JSON.stringify(options) });
  return ((await response.json()) as { token: string }).token;
}

describe("local stack: api.auth cognito", function () {
  this.timeout(60_000);

  describe("http-api (a JWT authorizer on the pool)", () => {
    withStack({ front: "http-api", auth: "cognito" }, (stack) => {
      const post = (authorization?: string) =>
        send(stack().url, { method: "POST", path: "/records", headers: authorization ? { authorization } : {} });

      it("accepts the pool's access token (client in client_id) and ID token (client in aud)", async () => {
        const access = await mint(stack().url, { tokenUse: "access", groups: ["producers"] });
        const id = await mint(stack().url, { tokenUse: "id" });
        expect([claimsOf(access).iss, claimsOf(access).token_use, claimsOf(access).client_id, claimsOf(access).aud]).to.deep.equal([
          ISSUER,
          "access",
          CLIENT,
          undefined,
        ]);
        expect(claimsOf(access)["cognito:groups"]).to.deep.equal(["producers"]);
        expect([claimsOf(id).token_use, claimsOf(id).aud]).to.deep.equal(["id", CLIENT]);
        expect([(await post(`Bearer ${access}`)).status, (await post(`Bearer ${id}`)).status]).to.deep.equal([200, 200]);
      });

      it("refuses another app client's token, an expired one and none with 401", async () => {
        const other = await mint(stack().url, { clientId: "someotherclient" });
        const expired = await mint(stack().url, { expiresInSeconds: -60 });
        const statuses = [(await post(`Bearer ${other}`)).status, (await post(`Bearer ${expired}`)).status, (await post()).status];
        expect(statuses).to.deep.equal([401, 401, 401]);
      });

      it("names the pool's issuer in /_local/status", () => {
        expect((stack().status().api as { jwt?: { issuer: string } }).jwt?.issuer).to.equal(ISSUER);
      });

      it("kinesis-ingest token --token-use id --groups mints an ID token the stack accepts", async () => {
        const { stdout } = await cli(["token", "--endpoint", stack().url, "--token-use", "id", "--groups", "a,b", "--username", "alice"]);
        const claims = claimsOf(stdout.trim());
        expect([claims.token_use, claims.aud, claims["cognito:groups"], claims["cognito:username"]]).to.deep.equal([
          "id",
          CLIENT,
          ["a", "b"],
          "alice",
        ]);
        expect((await post(`Bearer ${stdout.trim()}`)).status).to.equal(200);
      });

      it("refuses a jwt-only mint field with a clear message", async () => {
        const response = await fetch(`${stack().url}/_local/tokens`, { method: "POST", body: '{"audience":"x"}' });
        expect([response.status, ((await response.json()) as { message: string }).message]).to.deep.equal([
          400,
          'Unknown field "audience" for a cognito stack; allowed: tokenUse, clientId, groups, username, expiresInSeconds.',
        ]);
      });
    });
  });

  describe("rest-api (a COGNITO_USER_POOLS authorizer, no scopes: ID tokens)", () => {
    withStack({ front: "rest-api", auth: "cognito" }, (stack) => {
      const post = (authorization?: string) =>
        send(stack().url, { method: "POST", path: "/records", headers: { ...API_KEY, ...(authorization ? { authorization } : {}) } });
      const unauthorized = JSON.stringify({ error: { code: "UNAUTHORIZED", message: "Unauthorized" } });

      it("accepts an ID token", async () => {
        const response = await post(await mint(stack().url, { tokenUse: "id", groups: ["a", "b"] }));
        expect(response.status).to.equal(200);
      });

      for (const [name, options] of [
        ["an access token", { tokenUse: "access" }],
        ["an expired ID token", { tokenUse: "id", expiresInSeconds: -60 }],
      ] as const) {
        it(`refuses ${name} with the UNAUTHORIZED gateway response`, async () => {
          const response = await post(await mint(stack().url, options));
          expect([response.status, await response.text()]).to.deep.equal([401, unauthorized]);
        });
      }

      it("refuses a request without a token with 401", async () => {
        const response = await post();
        expect([response.status, await response.text()]).to.deep.equal([401, unauthorized]);
      });
    });
  });
});
