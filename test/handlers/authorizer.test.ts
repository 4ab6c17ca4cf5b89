/**
 * The token authorizer as an HTTP API simple-response authorizer and a REST API TOKEN/REQUEST
 * authorizer, with Secrets Manager mocked by aws-sdk-client-mock.
 */
import { expect } from "chai";
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { createAuthorizerHandler, handler, type AuthorizerHandler } from "../../handlers/authorizer";
import { tokenHash, verifyBearerToken } from "../../handlers/lib/bearer-token";
import { createLogger } from "../../handlers/lib/log";
import { clearSecretCache, SecretFormatError, SecretNotFoundError } from "../../handlers/lib/secrets";
import { API_ID, ACCOUNT, httpApiAuthorizerEvent, METHOD_ARN, STAGE, tokenAuthorizerEvent } from "./support/http-events";

const SECRET_ID = "kinesis-ingest-test-api-tokens";
const TOKEN = "tok_live_Zx81kP0qW3nY7vB2mC5dR9tL4hJ6gF1s";
const OTHER_TOKEN = "tok_live_second_caller_0123456789abcdef";
const PRINCIPAL = `token:${tokenHash(TOKEN).slice(0, 16)}`;
const STAGE_ARN = `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/${STAGE}/*/*`;

const policy = (effect: "Allow" | "Deny", principalId: string) => ({
  principalId,
  policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: STAGE_ARN }] },
});

describe("token authorizer", () => {
  const secrets = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const secretsMock = mockClient(secrets);
  let logLines: string[];
  let authorize: AuthorizerHandler;

  const holdTokens = (...tokens: string[]) =>
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolves({ SecretString: JSON.stringify({ tokenHashes: tokens.map(tokenHash) }) });

  beforeEach(() => {
    clearSecretCache();
    secretsMock.reset();
    holdTokens(TOKEN, OTHER_TOKEN);
    logLines = [];
    authorize = createAuthorizerHandler({
      secretId: SECRET_ID,
      secrets,
      logger: createLogger({ service: "authorizer", write: (l) => logLines.push(l) }),
    });
  });
  afterEach(() => {
    for (const line of logLines) {
      expect(line).to.not.include(TOKEN);
      expect(line).to.not.include(OTHER_TOKEN);
    }
  });
  after(() => secretsMock.restore());

  describe("HTTP API (payload 2.0, simple responses)", () => {
    it("authorizes an accepted token and passes its principal on", async () => {
      expect(await authorize(httpApiAuthorizerEvent(`Bearer ${TOKEN}`))).to.deep.equal({
        isAuthorized: true,
        context: { principalId: PRINCIPAL },
      });
    });

    it("accepts any of the secret's tokens, the scheme in any case", async () => {
      const result = await authorize(httpApiAuthorizerEvent(`bearer ${OTHER_TOKEN}`));
      expect(result).to.deep.equal({ isAuthorized: true, context: { principalId: `token:${tokenHash(OTHER_TOKEN).slice(0, 16)}` } });
    });

    for (const [name, header] of [
      ["a forged token", "Bearer tok_live_forged_000000000000000000"],
      ["a malformed header", `Token ${TOKEN}`],
      ["a missing header", undefined],
      ["the token's hash sent as the token", `Bearer ${tokenHash(TOKEN)}`],
    ] as const) {
      it(`refuses ${name} with {isAuthorized: false}`, async () => {
        expect(await authorize(httpApiAuthorizerEvent(header))).to.deep.equal({ isAuthorized: false });
      });
    }
  });

  describe("REST API TOKEN authorizer", () => {
    it("allows an accepted token on every method of the stage (the gateway caches the policy per token)", async () => {
      expect(await authorize(tokenAuthorizerEvent(`Bearer ${TOKEN}`))).to.deep.equal({
        ...policy("Allow", PRINCIPAL),
        context: { principalId: PRINCIPAL },
      });
    });

    it("denies a forged token (API Gateway answers 403)", async () => {
      expect(await authorize(tokenAuthorizerEvent("Bearer tok_live_forged_000000000000000000"))).to.deep.equal(policy("Deny", "anonymous"));
    });

    for (const header of ["", `Basic ${TOKEN}`, "Bearer", `Bearer ${TOKEN} extra`]) {
      it(`throws "Unauthorized" for ${JSON.stringify(header.replace(TOKEN, "<token>"))} (API Gateway answers 401)`, async () => {
        let thrown: unknown;
        await authorize(tokenAuthorizerEvent(header)).catch((error: unknown) => (thrown = error));
        expect(thrown).to.be.instanceOf(Error);
        expect((thrown as Error).message).to.equal("Unauthorized");
      });
    }
  });

  it("works as a REST API REQUEST authorizer, finding the header in any case", async () => {
    const event = {
      type: "REQUEST",
      methodArn: METHOD_ARN,
      headers: { AUTHORIZATION: `Bearer ${TOKEN}` },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    expect(await authorize(event)).to.deep.equal({ ...policy("Allow", PRINCIPAL), context: { principalId: PRINCIPAL } });
  });

  it("reads the secret once for many calls, and not at all for a malformed token", async () => {
    await authorize(tokenAuthorizerEvent("Basic x")).catch(() => undefined);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).to.have.length(0);
    for (let i = 0; i < 5; i++) await authorize(httpApiAuthorizerEvent(`Bearer ${TOKEN}`));
    await authorize(httpApiAuthorizerEvent("Bearer forged"));
    expect(secretsMock.commandCalls(GetSecretValueCommand)).to.have.length(1);
  });

  it("picks up a rotated token list once the cached secret expires", async () => {
    const rotating = createAuthorizerHandler({
      secretId: SECRET_ID,
      secrets,
      maxAgeMs: 0,
      logger: createLogger({ service: "a", write: () => undefined }),
    });
    expect(await rotating(httpApiAuthorizerEvent(`Bearer ${TOKEN}`))).to.deep.include({ isAuthorized: true });
    holdTokens(OTHER_TOKEN);
    expect(await rotating(httpApiAuthorizerEvent(`Bearer ${TOKEN}`))).to.deep.equal({ isAuthorized: false });
    expect(await rotating(httpApiAuthorizerEvent(`Bearer ${OTHER_TOKEN}`))).to.deep.include({ isAuthorized: true });
  });

  it("logs each decision without the token", async () => {
    await authorize(httpApiAuthorizerEvent(`Bearer ${TOKEN}`));
    await authorize(tokenAuthorizerEvent(`Bearer ${OTHER_TOKEN}x`));
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      entries.map(({ message, gateway, authorized, principalId, reason }) => ({ message, gateway, authorized, principalId, reason })),
    ).to.deep.equal([
      { message: "authorization decided", gateway: "http-api", authorized: true, principalId: PRINCIPAL, reason: undefined },
      { message: "authorization decided", gateway: "rest-api", authorized: false, principalId: undefined, reason: "forged" },
    ]);
  });

  it("fails with an error naming the secret (never its value) when it is missing or malformed", async () => {
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    const missing = await authorize(httpApiAuthorizerEvent(`Bearer ${TOKEN}`)).catch((error: unknown) => error);
    expect(missing).to.be.instanceOf(SecretNotFoundError);
    expect((missing as Error).message)
      .to.include(`Secret "${SECRET_ID}" does not exist or has no value yet`)
      .and.include("pulumi config set --secret kinesis-ingest:apiTokens");

    const leaked = "0123456789abcdef-not-a-hash";
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolves({ SecretString: JSON.stringify({ tokenHashes: [tokenHash(TOKEN), leaked] }) });
    clearSecretCache();
    const malformed = await authorize(httpApiAuthorizerEvent(`Bearer ${TOKEN}`)).catch((error: unknown) => error);
    expect(malformed).to.be.instanceOf(SecretFormatError);
    expect((malformed as Error).message).to.equal(
      `Secret "${SECRET_ID}": tokenHashes[1] must be a SHA-256 hex digest (64 hexadecimal characters).`,
    );
  });

  it("the Lambda entry reads TOKEN_SECRET_ID (or JWT_ISSUER) and says so when neither is set", async () => {
    const saved = process.env.TOKEN_SECRET_ID;
    delete process.env.TOKEN_SECRET_ID;
    try {
      const error = await handler(tokenAuthorizerEvent(`Bearer ${TOKEN}`)).catch((e: unknown) => e);
      expect((error as Error).message).to.equal(
        "Neither TOKEN_SECRET_ID nor JWT_ISSUER is set: the authorizer needs the token hashes' secret or the JWT issuer.",
      );
    } finally {
      if (saved !== undefined) process.env.TOKEN_SECRET_ID = saved;
    }
  });
});

describe("verifyBearerToken", () => {
  const hashes = [tokenHash("alpha"), tokenHash("beta")];

  const cases: [string | undefined, ReturnType<typeof verifyBearerToken>][] = [
    ["Bearer alpha", { ok: true, principalId: `token:${tokenHash("alpha").slice(0, 16)}` }],
    ["BEARER   beta  ", { ok: true, principalId: `token:${tokenHash("beta").slice(0, 16)}` }],
    ["Bearer gamma", { ok: false, reason: "forged" }],
    ["Bearer alph", { ok: false, reason: "forged" }],
    [undefined, { ok: false, reason: "missing" }],
    ["   ", { ok: false, reason: "missing" }],
    ["alpha", { ok: false, reason: "malformed" }],
    ["Bearer al pha", { ok: false, reason: "malformed" }],
    ["Bearer al\u00e9pha", { ok: false, reason: "malformed" }],
    [`Bearer ${"a".repeat(4097)}`, { ok: false, reason: "malformed" }],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)?.slice(0, 40)} → ${expected.ok ? "accepted" : expected.reason}`, () => {
      expect(verifyBearerToken(header, hashes)).to.deep.equal(expected);
    });
  }

  it("accepts 32-byte digests as well as hex, and ignores entries of the wrong length", () => {
    const digest = Buffer.from(tokenHash("alpha"), "hex");
    expect(verifyBearerToken("Bearer alpha", [Buffer.alloc(3), digest])).to.deep.include({ ok: true });
  });
});
