/**
 * Each front × auth combination the config allows, run on the local stack as deployed and driven through
 * its real port: what the deployed front answers for an unknown path, a wrong method, a missing and a bad
 * credential, and a good one (records stored). HTTP API: API Gateway's own bodies ("Working with HTTP API
 * Lambda authorizers", "Troubleshooting issues with HTTP API JWT authorizers"); REST API: the gateway
 * responses the program deploys ("Gateway response types for API Gateway"; unknown routes answer as
 * MISSING_AUTHENTICATION_TOKEN); ALB: the listener's fixed responses and the token checked in the function
 * ("Lambda functions as targets of an Application Load Balancer").
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { RunningLocalStack } from "../../../local/stack";
import { RECORDS, send, signedHeaders, startWithApi, TOKEN, type FrontCase } from "./support";

const API_KEY = { "x-api-key": "local-api-key-0123456789abcdef" };
const BEARER = { authorization: `Bearer ${TOKEN}` };
const FORGED = { authorization: "Bearer not-the-token" };
const IAM = { accessKeyId: "AKIALOCALINGEST00000", secretAccessKey: "local-ingest-secret-access-key" };
const ROOT = path.resolve(__dirname, "../../..");
/** `kinesis-ingest ARGS` as a child process (asynchronously: the stack under test runs in this process). */
const cli = (args: string[]) =>
  promisify(execFile)(path.join(ROOT, "node_modules/.bin/tsx"), ["cli/bin.cjs", ...args], { cwd: ROOT }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
const gateway = (message: string) => JSON.stringify({ message });
const contract = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const ALB_404 = contract("NOT_FOUND", "Routes: POST /records, GET /health.");
const REST_404 = contract("NOT_FOUND", "Missing Authentication Token");
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** The cases every front shares: `/health` open, and the answers for routes the front does not have. */
function routeCases(notFound: { status: number; body: string }): FrontCase[] {
  return [
    { name: "GET /health", method: "GET", path: "/health", status: 200, body: '{"status":"ok"}' },
    { name: "unknown path", method: "GET", path: "/nowhere", ...notFound },
    { name: "wrong method on /records", method: "GET", path: "/records", ...notFound },
    { name: "wrong method on /health", method: "POST", path: "/health", ...notFound },
  ];
}

function runTable(
  label: string,
  api: Record<string, unknown>,
  cases: () => FrontCase[],
  extra?: (stack: () => RunningLocalStack) => void,
): void {
  describe(label, () => {
    let stack: RunningLocalStack;
    before(async () => {
      stack = await startWithApi(api);
    });
    after(async () => {
      if (stack) await stack.stop();
    });
    for (const c of cases()) {
      it(`${c.name} → ${c.status}`, async () => {
        const response = await send(stack.url, c);
        expect([response.status, await response.text()]).to.deep.equal([c.status, c.body]);
        for (const [name, value] of Object.entries(c.responseHeaders ?? {})) expect(response.headers.get(name), name).to.equal(value);
      });
    }
    // iam and jwt sign or mint first: their own cases below.
    if (api.auth === "none" || api.auth === "token")
      it("stores the records of a request with a good credential", async () => {
        const response = await send(stack.url, {
          method: "POST",
          path: "/records",
          headers: {
            ...(api.front === "rest-api" ? API_KEY : {}),
            ...(api.auth === "token" ? BEARER : {}),
          },
        });
        const body = (await response.json()) as { failedRecordCount: number; records: Array<{ shardId?: string }> };
        expect([response.status, body.failedRecordCount, body.records[0]!.shardId]).to.deep.equal([200, 0, "shardId-000000000000"]);
      });
    extra?.(() => stack);
  });
}

describe("local stack: every front as deployed", function () {
  this.timeout(60_000);

  runTable("http-api, token (HTTP API Lambda authorizers)", { front: "http-api", auth: "token" }, () => [
    ...routeCases({ status: 404, body: gateway("Not Found") }),
    { name: "missing token", method: "POST", path: "/records", status: 401, body: gateway("Unauthorized") },
    { name: "bad token", method: "POST", path: "/records", headers: FORGED, status: 403, body: gateway("Forbidden") },
  ]);

  runTable(
    "http-api, none (HTTP API routes)",
    { front: "http-api", auth: "none" },
    () => routeCases({ status: 404, body: gateway("Not Found") }),
    (stack) =>
      it("kinesis-ingest token fails (exit 1) against a stack whose auth is neither jwt nor cognito", async () => {
        expect(await cli(["token", "--endpoint", stack().url])).to.deep.equal({
          code: 1,
          stdout: "",
          stderr: "kinesis-ingest token: This stack's api.auth is neither jwt nor cognito: it has no local token issuer.\n",
        });
      }),
  );

  runTable(
    "http-api, jwt (Control access to HTTP APIs with JWT authorizers; Troubleshooting HTTP API JWT authorizers)",
    { front: "http-api", auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest-api"] },
    () => [
      ...routeCases({ status: 404, body: gateway("Not Found") }),
      { name: "missing token", method: "POST", path: "/records", status: 401, body: gateway("Unauthorized") },
      {
        name: "not a JWT",
        method: "POST",
        path: "/records",
        headers: FORGED,
        status: 401,
        body: gateway("Unauthorized"),
        responseHeaders: {
          "www-authenticate":
            'Bearer scope="" error="invalid_token" error_description="the token is not a valid RS256 JWT signed by the issuer"',
        },
      },
    ],
    (stack) => {
      const mint = async (options: Record<string, unknown>) => {
        const response = await fetch(`${stack().url}/_local/tokens`, { method: "POST", body: JSON.stringify(options) });
        return ((await response.json()) as { token: string }).token;
      };
      const post = (authorization: string) => send(stack().url, { method: "POST", path: "/records", headers: { authorization } });

      it("serves the issuer's key set, and names the issuer and endpoints in /_local/status", async () => {
        const jwks = (await (await fetch(`${stack().url}/_local/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
        expect(jwks.keys.map((k) => [k.kty, k.alg, k.use])).to.deep.equal([["RSA", "RS256", "sig"]]);
        expect(stack().status().api).to.deep.equal({
          front: "http-api",
          auth: "jwt",
          jwt: {
            issuer: "https://issuer.example.com",
            jwksUrl: `${stack().url}/_local/jwks.json`,
            tokensUrl: `${stack().url}/_local/tokens`,
          },
        });
      });

      it("accepts a minted token, bare or as Bearer, and stores the records", async () => {
        const token = await mint({});
        expect((await post(`Bearer ${token}`)).status).to.equal(200);
        expect((await post(token)).status).to.equal(200);
      });

      for (const [name, options, description] of [
        ["another audience", { audience: "someone-else" }, "the token does not have a valid audience"],
        ["an expired token", { expiresInSeconds: -60 }, "the token has expired"],
      ] as const) {
        it(`refuses ${name} with 401 and API Gateway's www-authenticate`, async () => {
          const response = await post(`Bearer ${await mint(options)}`);
          expect([response.status, await response.text(), response.headers.get("www-authenticate")]).to.deep.equal([
            401,
            gateway("Unauthorized"),
            `Bearer scope="" error="invalid_token" error_description="${description}"`,
          ]);
        });
      }

      it("kinesis-ingest token mints a token the stack accepts, with the issuer, audience and scope asked for", async () => {
        const { code, stdout } = await cli(["token", "--endpoint", stack().url, "--scope", "ingest/write other", "--expires-in", "120"]);
        expect(code).to.equal(0);
        const claims = JSON.parse(Buffer.from(stdout.trim().split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
        expect([claims.iss, claims.aud, claims.scope, (claims.exp as number) - (claims.iat as number)]).to.deep.equal([
          "https://issuer.example.com",
          "ingest-api",
          "ingest/write other",
          120,
        ]);
        expect((await post(`Bearer ${stdout.trim()}`)).status).to.equal(200);
      });

      it("refuses a token whose signature was altered", async () => {
        const [header, payload] = (await mint({})).split(".");
        expect((await post(`Bearer ${header}.${payload}.${"A".repeat(342)}`)).status).to.equal(401);
      });

      it("refuses a mint request with an unknown field", async () => {
        const response = await fetch(`${stack().url}/_local/tokens`, { method: "POST", body: '{"aud":"x"}' });
        expect([response.status, await response.json()]).to.deep.equal([
          400,
          { message: 'Unknown field "aud"; allowed: audience, expiresInSeconds, scope, subject.' },
        ]);
      });
    },
  );

  runTable(
    "http-api, iam (HTTP API IAM authorization; SigV4 signature mismatch errors)",
    { front: "http-api", auth: "iam" },
    () => [
      ...routeCases({ status: 404, body: gateway("Not Found") }),
      { name: "unsigned", method: "POST", path: "/records", status: 403, body: gateway("Missing Authentication Token") },
    ],
    (stack) =>
      iamCases(stack, {
        wrongSecret: gateway(SIGNATURE_MISMATCH),
        unknownKey: gateway("The security token included in the request is invalid."),
      }),
  );

  runTable(
    "rest-api, token (Use API Gateway Lambda authorizers; Gateway response types for API Gateway)",
    { front: "rest-api", auth: "token" },
    () => [
      ...routeCases({ status: 404, body: REST_404 }),
      { name: "missing token", method: "POST", path: "/records", status: 401, body: contract("UNAUTHORIZED", "Unauthorized") },
      {
        name: "malformed token (the authorizer throws Unauthorized)",
        method: "POST",
        path: "/records",
        headers: { authorization: "Basic abc" },
        status: 401,
        body: contract("UNAUTHORIZED", "Unauthorized"),
      },
      {
        name: "bad token (the authorizer's Deny policy)",
        method: "POST",
        path: "/records",
        headers: FORGED,
        status: 403,
        body: contract("FORBIDDEN", "User is not authorized to access this resource with an explicit deny"),
      },
      {
        name: "no API key (the usage plan's)",
        method: "POST",
        path: "/records",
        headers: BEARER,
        status: 403,
        body: contract("FORBIDDEN", "Forbidden"),
      },
    ],
  );

  runTable("rest-api, none (Usage plans and API keys; Missing Authentication Token errors)", { front: "rest-api", auth: "none" }, () => [
    ...routeCases({ status: 404, body: REST_404 }),
    {
      name: "no API key (the usage plan's)",
      method: "POST",
      path: "/records",
      headers: {},
      status: 403,
      body: contract("FORBIDDEN", "Forbidden"),
    },
    {
      name: "a wrong API key",
      method: "POST",
      path: "/records",
      headers: { "x-api-key": "not-the-key" },
      status: 403,
      body: contract("FORBIDDEN", "Forbidden"),
    },
  ]);

  runTable(
    "rest-api, iam (SigV4 signature mismatch errors; Gateway response types for API Gateway)",
    { front: "rest-api", auth: "iam" },
    () => [
      ...routeCases({ status: 403, body: contract("FORBIDDEN", "Missing Authentication Token") }),
      { name: "unsigned", method: "POST", path: "/records", status: 403, body: contract("FORBIDDEN", "Missing Authentication Token") },
    ],
    (stack) =>
      iamCases(
        stack,
        {
          wrongSecret: contract("FORBIDDEN", SIGNATURE_MISMATCH),
          unknownKey: contract("FORBIDDEN", "The security token included in the request is invalid."),
        },
        API_KEY,
      ),
  );

  runTable(
    "alb, token (Lambda functions as targets of an Application Load Balancer)",
    { front: "alb", auth: "token", allowPlaintext: true },
    () => [
      ...routeCases({ status: 404, body: ALB_404 }),
      {
        name: "missing token (checked in the function)",
        method: "POST",
        path: "/records",
        status: 401,
        body: JSON.stringify({
          error: {
            code: "UNAUTHORIZED",
            message: "An Authorization header with a bearer token is required.",
            details: [{ path: "header:authorization", message: "is missing" }],
          },
        }),
      },
      {
        name: "bad token",
        method: "POST",
        path: "/records",
        headers: FORGED,
        status: 403,
        body: contract("FORBIDDEN", "The bearer token is not accepted."),
      },
    ],
  );

  runTable("alb, none (Lambda functions as targets of an Application Load Balancer)", { front: "alb", auth: "none" }, () =>
    routeCases({ status: 404, body: ALB_404 }),
  );
});

/** Signed requests: the local credentials store the records; a wrong secret or an unknown key get the gateway's 403. */
function iamCases(stack: () => RunningLocalStack, bodies: { wrongSecret: string; unknownKey: string }, extraHeaders = {}): void {
  const post = async (credentials: typeof IAM) => {
    const headers = await signedHeaders(stack().url, "/records", RECORDS, credentials);
    return send(stack().url, { method: "POST", path: "/records", headers: { ...headers, ...extraHeaders } });
  };
  it("prints the local credentials in /_local/status", () => {
    expect(stack().status().api.iamCredentials).to.deep.equal({ ...IAM, region: "us-east-1" });
  });
  it("stores the records of a request signed with the local credentials", async () => {
    const response = await post(IAM);
    expect([response.status, ((await response.json()) as { failedRecordCount: number }).failedRecordCount]).to.deep.equal([200, 0]);
  });
  it("refuses a signature made with another secret", async () => {
    const response = await post({ ...IAM, secretAccessKey: "wrong" });
    expect([response.status, await response.text()]).to.deep.equal([403, bodies.wrongSecret]);
  });
  it("refuses an access key that is not the local one", async () => {
    const response = await post({ ...IAM, accessKeyId: "AKIAOTHER00000000000" });
    expect([response.status, await response.text()]).to.deep.equal([403, bodies.unknownKey]);
  });
}
