import { expect } from "chai";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { startSecretsEndpoint, type LocalSecretsManager } from "../../local/secrets-endpoint";
import { clearSecretCache, getSecretJson, SecretNotFoundError } from "../../handlers/lib/secrets";
import { tokenHash } from "../../handlers/lib/bearer-token";

describe("local stack: Secrets Manager endpoint", () => {
  let secrets: LocalSecretsManager;
  let client: SecretsManagerClient;

  before(async () => {
    secrets = await startSecretsEndpoint();
    client = new SecretsManagerClient({
      endpoint: secrets.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
      maxAttempts: 1,
    });
    secrets.put("kinesis-ingest-dev-api-tokens", { tokenHashes: [tokenHash("t0ken")] });
  });

  after(async () => {
    client.destroy();
    clearSecretCache();
    await secrets.stop();
  });

  it("serves GetSecretValue by name and by ARN to the real SDK client", async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: "kinesis-ingest-dev-api-tokens" }));
    expect(byName.SecretString).to.equal(JSON.stringify({ tokenHashes: [tokenHash("t0ken")] }));
    expect(byName.ARN).to.match(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:kinesis-ingest-dev-api-tokens-[0-9a-f]{6}$/);
    expect(byName.VersionStages).to.deep.equal(["AWSCURRENT"]);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.SecretString).to.equal(byName.SecretString);
  });

  it("feeds handlers/lib/secrets.ts unchanged, including its not-found error", async () => {
    expect(await getSecretJson("kinesis-ingest-dev-api-tokens", { client })).to.deep.equal({ tokenHashes: [tokenHash("t0ken")] });
    const missing = await getSecretJson("nope", { client }).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(SecretNotFoundError);
  });

  it("answers ResourceNotFoundException for an unknown secret, and PutSecretValue rotates a value", async () => {
    expect(await client.send(new GetSecretValueCommand({ SecretId: "nope" })).catch((e: unknown) => e)).to.be.instanceOf(
      ResourceNotFoundException,
    );
    secrets.put("rotating", { authorization: "Bearer a" });
    const before = await client.send(new GetSecretValueCommand({ SecretId: "rotating" }));
    await client.send(new PutSecretValueCommand({ SecretId: "rotating", SecretString: '{"authorization":"Bearer b"}' }));
    const after = await client.send(new GetSecretValueCommand({ SecretId: "rotating" }));
    expect(after.SecretString).to.equal('{"authorization":"Bearer b"}');
    expect(after.VersionId).to.not.equal(before.VersionId);
    expect(after.ARN).to.equal(before.ARN);
  });

  it("lists every secret id and describes one, as `aws secretsmanager list-secrets` and `describe-secret` ask", async () => {
    secrets.put("kinesis-ingest-dev-forwarder-config", {});
    const { SecretList = [] } = await client.send(new ListSecretsCommand({}));
    expect(SecretList.map((s) => s.Name)).to.include.members(["kinesis-ingest-dev-api-tokens", "kinesis-ingest-dev-forwarder-config"]);
    const filtered = await client.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["kinesis-ingest-dev-f"] }] }));
    expect(filtered.SecretList?.map((s) => s.Name)).to.deep.equal(["kinesis-ingest-dev-forwarder-config"]);
    const listed = SecretList.find((s) => s.Name === "kinesis-ingest-dev-api-tokens")!;
    const described = await client.send(new DescribeSecretCommand({ SecretId: "kinesis-ingest-dev-api-tokens" }));
    expect(described.ARN).to.equal(listed.ARN);
    expect(described.CreatedDate).to.be.instanceOf(Date);
    expect(Object.values(described.VersionIdsToStages ?? {})).to.deep.equal([["AWSCURRENT"]]);
    expect(Object.values(listed.SecretVersionsToStages ?? {})).to.deep.equal([["AWSCURRENT"]]);
    const missing = await client.send(new DescribeSecretCommand({ SecretId: "nope" })).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(ResourceNotFoundException);
  });
});
