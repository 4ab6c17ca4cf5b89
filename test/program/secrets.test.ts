/**
 * Secrets: the stack's secret config becomes Secrets Manager secrets; a missing value never crashes the
 * program but leaves the secret without a version and logs the exact command that fixes it; token values
 * are stored only as SHA-256 hashes; each secret is readable by exactly the functions that need it.
 */
import { createHash } from "node:crypto";
import { expect } from "chai";
import { readStackFile } from "../../config";
import { ENCRYPTED_PLACEHOLDER } from "../../components/stack-secrets";
import { isSecretInput, named, ofType, runCommittedStack, runStack, type RecordedResource } from "./harness";

const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const TOKENS = ["dev-token-0123456789abcdef", "second-token-fedcba9876543210"];
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-secret-a1b2c3d-a1b2c3`;

/** Names of the role policies that mention `arn`. */
function readersOf(resources: readonly RecordedResource[], arn: string): string[] {
  return ofType(resources, "aws:iam/rolePolicy:RolePolicy")
    .filter((p) => String(p.inputs.policy).includes(arn))
    .map((p) => p.name);
}

describe("program: secrets", () => {
  it("missing values: no crash, secrets without versions, and a warning naming the exact command for each", async () => {
    const { resources, warnings, outputs } = await runCommittedStack("dev");
    expect(ofType(resources, "aws:secretsmanager/secret:Secret").map((r) => r.name)).to.deep.equal([
      "api-tokens-secret",
      "forwarder-config-secret",
    ]);
    expect(ofType(resources, VERSION)).to.deep.equal([]);
    expect(warnings).to.deep.equal([
      "`apiTokens` is not set for stack dev: the token secret was created without a value, so the API answers every request with 500 (the authorizer cannot read any token hash). " +
        "Set it, then run `pulumi up` again: pulumi config set --secret kinesis-ingest:apiTokens '[\"<token of 16 to 512 characters>\"]' --stack dev",
      "`consumerSecrets.forwarder` is not set for stack dev: its config secret was created without a value and no `targetUrl` is configured, " +
        "so the consumer has nowhere to deliver. Set it, then run `pulumi up` again: " +
        "pulumi config set --secret --path 'kinesis-ingest:consumerSecrets.forwarder.authorization' '<credential>' --stack dev",
    ]);
    expect(outputs.secretArns).to.deep.equal({ apiTokens: secretArn("api-tokens"), forwarder: secretArn("forwarder-config") });
  });

  it("apiTokens: stores only their SHA-256 hashes, as a secret, and no token appears in any input", async () => {
    const { resources, warnings } = await runStack({ ...readStackFile("dev"), apiTokens: TOKENS }, { stack: "dev" });
    const version = named(resources, VERSION, "api-tokens-value").inputs;
    expect(version.secretId).to.equal("api-tokens-secret-id");
    expect(isSecretInput(version.secretString)).to.equal(true);
    const stored = JSON.parse((version.secretString as { value: string }).value) as unknown;
    expect(stored).to.deep.equal({ tokenHashes: TOKENS.map(sha256) });
    const everything = JSON.stringify(resources.map((r) => r.inputs));
    for (const token of TOKENS) expect(everything).to.not.contain(token);
    expect(warnings.filter((w) => w.includes("apiTokens"))).to.deep.equal([]);
  });

  it("consumerSecrets: each consumer's object is stored as JSON in its own secret", async () => {
    const forwarder = { authorization: "Bearer downstream-credential", targetUrl: "https://sink.example.com/events" };
    const { resources, warnings } = await runStack({ ...readStackFile("dev"), consumerSecrets: { forwarder } }, { stack: "dev" });
    const version = named(resources, VERSION, "forwarder-config-value").inputs;
    expect(isSecretInput(version.secretString)).to.equal(true);
    expect(JSON.parse((version.secretString as { value: string }).value) as unknown).to.deep.equal(forwarder);
    expect(warnings.map((w) => w.slice(0, 30))).to.deep.equal(["`apiTokens` is not set for sta"]);
  });

  it("values still encrypted (a stack file read offline) count as set: a version, no warning", async () => {
    const encrypted = { secure: "v1:abcdefghijklmnop:qrstuvwxyz0123456789" };
    const { resources, warnings } = await runStack(
      { ...readStackFile("prod"), apiTokens: encrypted, consumerSecrets: encrypted },
      { stack: "prod" },
    );
    expect(ofType(resources, VERSION).map((r) => [r.name, (r.inputs.secretString as { value: string }).value])).to.deep.equal([
      ["api-tokens-value", ENCRYPTED_PLACEHOLDER],
      ["forwarder-config-value", ENCRYPTED_PLACEHOLDER],
      ["archiver-config-value", ENCRYPTED_PLACEHOLDER],
    ]);
    expect(warnings).to.deep.equal([]);
  });

  it("a consumer secret whose leaves are encrypted (`config set --secret --path`) counts as set", async () => {
    const consumerSecrets = { forwarder: { authorization: { secure: "v1:leaf:ciphertext" } } };
    const { resources, warnings } = await runStack({ ...readStackFile("dev"), consumerSecrets }, { stack: "dev" });
    expect((named(resources, VERSION, "forwarder-config-value").inputs.secretString as { value: string }).value).to.equal(
      ENCRYPTED_PLACEHOLDER,
    );
    expect(warnings.filter((w) => w.includes("consumerSecrets"))).to.deep.equal([]);
  });

  it("each secret is readable by exactly the functions that need it and named in their environment", async () => {
    const { resources } = await runCommittedStack("prod");
    expect(readersOf(resources, secretArn("api-tokens"))).to.deep.equal(["api-authorizer-policy"]);
    expect(readersOf(resources, secretArn("forwarder-config"))).to.deep.equal(["consumer-forwarder-fn-policy"]);
    expect(readersOf(resources, secretArn("archiver-config"))).to.deep.equal(["consumer-archiver-fn-policy"]);
    const env = (name: string) =>
      (named(resources, "aws:lambda/function:Function", name).inputs.environment as { variables: Record<string, string> }).variables;
    expect(env("api-authorizer-function").TOKEN_SECRET_ID).to.equal(secretArn("api-tokens"));
    expect(env("api-ingest-function")).to.not.have.property("TOKEN_SECRET_ID");
    expect(env("consumer-archiver-fn-function").CONFIG_SECRET_ID).to.equal(secretArn("archiver-config"));
  });

  it("secrets keep a 7-day recovery window and say what they hold", async () => {
    const { resources } = await runCommittedStack("dev");
    expect(ofType(resources, "aws:secretsmanager/secret:Secret").map((r) => r.inputs)).to.deep.equal([
      { description: "SHA-256 hashes of the bearer tokens the ingestion API accepts", recoveryWindowInDays: 7 },
      { description: "Runtime configuration of the forwarder consumer", recoveryWindowInDays: 7 },
    ]);
  });
});
