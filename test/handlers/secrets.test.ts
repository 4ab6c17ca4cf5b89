/**
 * `getSecretJson`: one read per cold start, TTL, invalidation for rotation, shared concurrent reads, and
 * errors that name the secret but never show its value. Secrets Manager mocked by aws-sdk-client-mock.
 */
import { expect } from "chai";
import { DecryptionFailure, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import {
  clearSecretCache,
  getSecretJson,
  invalidateSecret,
  SecretFormatError,
  SecretNotFoundError,
  SecretUnavailableError,
} from "../../handlers/lib/secrets";

const ID = "kinesis-ingest-test-forwarder-config";
const NOT_FOUND_HINT = "Set it with `pulumi config set --secret kinesis-ingest:<key> <value>` and run `pulumi up`.";

describe("getSecretJson", () => {
  const client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const mock = mockClient(client);
  let time: number;
  const now = () => time;

  beforeEach(() => {
    clearSecretCache();
    mock.reset();
    time = 1_000_000;
  });
  after(() => mock.restore());

  const holds = (value: unknown) => mock.on(GetSecretValueCommand, { SecretId: ID }).resolves({ SecretString: JSON.stringify(value) });
  const reads = () => mock.commandCalls(GetSecretValueCommand).length;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("expected a rejection"),
      (error: unknown) => error as Error,
    );

  it("reads once, then serves the cached value until the TTL (default 5 minutes) has passed", async () => {
    holds({ authorization: "Bearer v1" });
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ authorization: "Bearer v1" });
    holds({ authorization: "Bearer v2" });
    time += 299_999;
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ authorization: "Bearer v1" });
    expect(reads()).to.equal(1);
    time += 1;
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ authorization: "Bearer v2" });
    expect(reads()).to.equal(2);
  });

  it("honours maxAgeMs", async () => {
    holds({ v: 1 });
    await getSecretJson(ID, { client, now, maxAgeMs: 1000 });
    time += 1000;
    await getSecretJson(ID, { client, now, maxAgeMs: 1000 });
    expect(reads()).to.equal(2);
  });

  it("reads again at once after invalidateSecret (a downstream rejected the credential: rotation)", async () => {
    holds({ authorization: "old" });
    await getSecretJson(ID, { client, now });
    holds({ authorization: "rotated" });
    invalidateSecret(ID);
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ authorization: "rotated" });
    expect(reads()).to.equal(2);
  });

  it("shares one read between concurrent callers", async () => {
    holds({ v: 1 });
    const values = await Promise.all(Array.from({ length: 10 }, () => getSecretJson(ID, { client, now })));
    expect(values).to.deep.equal(Array(10).fill({ v: 1 }));
    expect(reads()).to.equal(1);
  });

  it("reads a binary secret holding JSON", async () => {
    mock.on(GetSecretValueCommand, { SecretId: ID }).resolves({ SecretBinary: Buffer.from('{"targetUrl":"https://example.com"}') });
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ targetUrl: "https://example.com" });
  });

  it("names a missing secret and says how to set it", async () => {
    mock
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    const error = await failure(getSecretJson(ID, { client, now }));
    expect(error).to.be.instanceOf(SecretNotFoundError);
    expect(error.message).to.equal(
      `Secret "${ID}" does not exist or has no value yet (Secrets Manager: ResourceNotFoundException). ${NOT_FOUND_HINT}`,
    );
  });

  it("quotes the caller's own hint for setting the value", async () => {
    mock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "no AWSCURRENT version", $metadata: {} }));
    const error = await failure(
      getSecretJson(ID, { client, now, setHint: "Run `pulumi config set --secret kinesis-ingest:apiTokens ...`." }),
    );
    expect(error.message).to.match(/ Run `pulumi config set --secret kinesis-ingest:apiTokens \.\.\.`\.$/);
  });

  it("names a secret that exists without a value", async () => {
    mock.on(GetSecretValueCommand).resolves({});
    const error = await failure(getSecretJson(ID, { client, now }));
    expect(error).to.be.instanceOf(SecretNotFoundError);
    expect(error.message).to.equal(`Secret "${ID}" has no value set yet. ${NOT_FOUND_HINT}`);
  });

  it("names a secret that is not JSON without quoting its value", async () => {
    const value = "hunter2-plain-text-password";
    mock.on(GetSecretValueCommand).resolves({ SecretString: value });
    const error = await failure(getSecretJson(ID, { client, now }));
    expect(error).to.be.instanceOf(SecretFormatError);
    expect(error.message).to.equal(`Secret "${ID}" is not valid JSON (${value.length} characters); it must hold a JSON object.`);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).to.not.include("hunter2");
  });

  it("wraps other failures with the secret's id, and does not cache them", async () => {
    const kmsDenied = new DecryptionFailure({ message: "Access to KMS is not allowed", $metadata: {} });
    mock.on(GetSecretValueCommand).rejectsOnce(kmsDenied).resolves({ SecretString: '{"v":1}' });
    const error = await failure(getSecretJson(ID, { client, now }));
    expect(error).to.be.instanceOf(SecretUnavailableError);
    expect(error.message).to.equal(`Could not read secret "${ID}" from Secrets Manager (DecryptionFailure: Access to KMS is not allowed).`);
    expect(await getSecretJson(ID, { client, now })).to.deep.equal({ v: 1 });
  });
});
