/**
 * Malformed requests, table-driven: each answered with its exact status, error code and details on every
 * front, and the stream (kinesalite, read back with GetRecords) proven empty afterwards — an invalid
 * request writes nothing, not even its valid records.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { createIngestHandler, type IngestHandler } from "../../handlers/ingest";
import { createTokenVerifier, tokenHash } from "../../handlers/lib/bearer-token";
import type { ProblemDetail } from "../../handlers/lib/errors";
import { createLogger } from "../../handlers/lib/log";
import { clearSecretCache } from "../../handlers/lib/secrets";
import { albEvent, eventFor, FRONTS, jsonRequest, lambdaContext, parseResult, type TestRequest } from "./support/http-events";
import { createTestStream, readAllRecords } from "./support/kinesis-stream";
import { MALFORMED_CASES, type ExpectedRefusal } from "./support/malformed-requests";

const TOKEN = "tok_live_8f14e45fceea167a5a36dedd4bea2543";
const TOKEN_SECRET = "kinesis-ingest-test-api-tokens";
const quiet = createLogger({ service: "ingest", write: () => undefined });

describe("ingest handler: malformed requests write nothing", () => {
  let emulator: RunningEmulator;
  let kinesis: KinesisClient;
  let streamName: string;
  let open: IngestHandler;
  let tokenChecked: IngestHandler;
  const secrets = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const secretsMock = mockClient(secrets);

  before(async () => {
    emulator = await startKinesalite();
    kinesis = localKinesisClient(emulator.endpoint);
    streamName = await createTestStream(kinesis);
    open = createIngestHandler({ streamName, kinesis, logger: quiet });
    const verify = createTokenVerifier({ secretId: TOKEN_SECRET, secrets });
    tokenChecked = createIngestHandler({ streamName, kinesis, logger: quiet, authorize: (headers) => verify(headers.authorization) });
  });
  beforeEach(() => {
    clearSecretCache();
    secretsMock.reset();
    secretsMock
      .on(GetSecretValueCommand, { SecretId: TOKEN_SECRET })
      .resolves({ SecretString: JSON.stringify({ tokenHashes: [tokenHash(TOKEN)] }) });
  });
  afterEach(async () => {
    expect(await readAllRecords(kinesis, streamName), "records written by a refused request").to.deep.equal([]);
  });
  after(async () => {
    secretsMock.restore();
    kinesis.destroy();
    await emulator.stop();
  });

  async function expectRefused(handler: IngestHandler, event: Parameters<IngestHandler>[0], expected: ExpectedRefusal): Promise<void> {
    const result = parseResult(await handler(event, lambdaContext()));
    const body = result.body as { error: { code: string; message: string; details?: ProblemDetail[] } };
    expect([result.status, body.error.code], JSON.stringify(body)).to.deep.equal([expected.status, expected.code]);
    expect(body.error.message).to.be.a("string").and.not.equal("");
    if (typeof expected.details === "function") expected.details(body.error.details ?? []);
    else expect(body.error.details).to.deep.equal(expected.details);
  }

  it(`has at least 40 cases`, () => {
    expect(MALFORMED_CASES.length).to.be.at.least(40);
  });

  for (const testCase of MALFORMED_CASES) {
    it(`${testCase.status} ${testCase.code}: ${testCase.name}`, async () => {
      for (const front of FRONTS) await expectRefused(open, eventFor(front, testCase.request), testCase);
    });
  }

  describe("the ALB front's in-function token check", () => {
    const records = { records: [{ data: { ok: true } }] };
    const withAuth = (authorization?: string): TestRequest =>
      jsonRequest(records, authorization === undefined ? {} : { Authorization: authorization });
    const missing = { path: "header:authorization", message: "is missing" };
    const malformed = { path: "header:authorization", message: 'must be "Bearer <token>"' };
    const authCases: { name: string; request: TestRequest; expected: ExpectedRefusal }[] = [
      { name: "no Authorization header", request: withAuth(), expected: { status: 401, code: "UNAUTHORIZED", details: [missing] } },
      { name: "empty Authorization header", request: withAuth(""), expected: { status: 401, code: "UNAUTHORIZED", details: [missing] } },
      {
        name: "Basic scheme",
        request: withAuth("Basic dXNlcjpwYXNz"),
        expected: { status: 401, code: "UNAUTHORIZED", details: [malformed] },
      },
      {
        name: "Bearer without a token",
        request: withAuth("Bearer "),
        expected: { status: 401, code: "UNAUTHORIZED", details: [malformed] },
      },
      {
        name: "token with a space in it",
        request: withAuth(`Bearer ${TOKEN.slice(0, 8)} ${TOKEN.slice(8)}`),
        expected: { status: 401, code: "UNAUTHORIZED", details: [malformed] },
      },
      { name: "token without the scheme", request: withAuth(TOKEN), expected: { status: 401, code: "UNAUTHORIZED", details: [malformed] } },
      {
        name: "forged token",
        request: withAuth("Bearer tok_live_00000000000000000000000000000000"),
        expected: { status: 403, code: "FORBIDDEN", details: undefined },
      },
      {
        name: "the token's hash sent as the token",
        request: withAuth(`Bearer ${tokenHash(TOKEN)}`),
        expected: { status: 403, code: "FORBIDDEN", details: undefined },
      },
      {
        name: "valid token, wrong content type",
        request: { body: JSON.stringify(records), headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "text/plain" } },
        expected: {
          status: 415,
          code: "UNSUPPORTED_MEDIA_TYPE",
          details: [{ path: "header:content-type", message: 'must be application/json, got "text/plain"' }],
        },
      },
    ];
    for (const { name, request, expected } of authCases) {
      it(`${expected.status} ${expected.code}: ${name}`, async () => {
        await expectRefused(tokenChecked, albEvent(request), expected);
        await expectRefused(tokenChecked, albEvent(request, { multiValueHeaders: true }), expected);
      });
    }

    it("answers 401 with a WWW-Authenticate challenge, and does not read the secret for a malformed token", async () => {
      const result = parseResult(await tokenChecked(albEvent(withAuth("Basic x")), lambdaContext()));
      expect([result.status, result.headers["www-authenticate"]]).to.deep.equal([401, 'Bearer realm="kinesis-ingest"']);
      expect(secretsMock.commandCalls(GetSecretValueCommand)).to.have.length(0);
    });

    it("lets a valid token through (control: the same set-up does write)", async () => {
      const ownStream = await createTestStream(kinesis);
      const verify = createTokenVerifier({ secretId: TOKEN_SECRET, secrets });
      const handler = createIngestHandler({
        streamName: ownStream,
        kinesis,
        logger: quiet,
        authorize: (headers) => verify(headers.authorization),
      });

      const result = parseResult(await handler(albEvent(withAuth(`bearer ${TOKEN}`)), lambdaContext()));

      expect(result.status).to.equal(200);
      expect((await readAllRecords(kinesis, ownStream)).map((r) => r.data.toString())).to.deep.equal(['{"ok":true}']);
    });
  });
});
