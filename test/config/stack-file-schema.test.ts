import Ajv from "ajv";
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { stackFileJsonSchema } from "../../config/schema/stack";

const ROOT = path.join(__dirname, "../..");
const COMMITTED = "schema/stack-file.schema.json";
const MODELINE = `# yaml-language-server: $schema=./${COMMITTED}`;

// The JSON Schema editors check stack files with: generated from config/schema/, committed for the modeline.
describe("config: the stack file's JSON Schema", () => {
  const schema = stackFileJsonSchema();
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const errors = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  const stackFile = (file: string) => parse(readFileSync(path.join(ROOT, file), "utf8")) as unknown;
  const withConfig = (config: Record<string, unknown>) => ({ config: { "aws:region": "eu-west-1", ...config } });

  it(`is committed as ${COMMITTED} (regenerate: npx kinesis-ingest schema > ${COMMITTED} && npx prettier --write ${COMMITTED})`, () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, COMMITTED), "utf8"))).to.deep.equal(schema);
  });

  for (const file of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
    it(`accepts ${file}, which points the YAML language server at the committed copy`, () => {
      expect(readFileSync(path.join(ROOT, file), "utf8").split("\n")[0]).to.equal(MODELINE);
      expect(errors(stackFile(file))).to.deep.equal([]);
    });
  }

  it("accepts the example's and the fixtures' stack files", () => {
    for (const file of ["examples/order-totals/Pulumi.orders.yaml", "test/fixtures/idempotency/Pulumi.once.yaml"]) {
      expect(errors(stackFile(file)), file).to.deep.equal([]);
    }
  });

  it("rejects an unknown key of the project, at the top and inside a section, and keeps other namespaces", () => {
    expect(errors(withConfig({ "kinesis-ingest:streams": {} }))).to.deep.equal(["/config must NOT have additional properties"]);
    expect(errors(withConfig({ "kinesis-ingest:stream": { shardz: 2 } }))).to.deep.equal([
      "/config/kinesis-ingest:stream must NOT have additional properties",
    ]);
    expect(errors(withConfig({ "aws:profile": "ops", "pulumi:tags": { team: "data" } }))).to.deep.equal([]);
  });

  it("states types and ranges exactly: a quoted number, a value out of range and an unknown kind are refused", () => {
    expect(errors(withConfig({ "kinesis-ingest:stream": { shards: "2" } }))).to.deep.equal([
      "/config/kinesis-ingest:stream/shards must be integer",
    ]);
    expect(errors(withConfig({ "kinesis-ingest:consumers": { c: { handler: "forwarder", batchSize: 10_001 } } }))).to.deep.equal([
      "/config/kinesis-ingest:consumers/c/batchSize must be <= 10000",
    ]);
    expect(errors(withConfig({ "kinesis-ingest:consumers": { c: { handler: "forwarder", maxRetryAttempts: -1 } } }))).to.deep.equal([]);
    expect(errors(withConfig({ "kinesis-ingest:consumers": { c: { handler: "lambda" } } }))).to.include(
      "/config/kinesis-ingest:consumers/c/handler must match a schema in anyOf",
    );
  });

  it("checks the forms of the ARNs and ids a stack file names (semantics/resource-ids.ts, lambda-function.ts)", () => {
    const api = (extra: Record<string, unknown>) => errors(withConfig({ "kinesis-ingest:api": { front: "alb", ...extra } }));
    expect(api({ certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f" })).to.deep.equal([]);
    expect(api({ certificateArn: "arn:aws:acm:eu-west-1:123:certificate/x" })[0]).to.match(
      /^\/config\/kinesis-ingest:api\/certificateArn must match pattern/,
    );
    expect(api({ subnetIds: ["subnet-0123456789abcdef0", "subnet-1"] })[0]).to.match(
      /^\/config\/kinesis-ingest:api\/subnetIds\/1 must match pattern/,
    );
    const layer = (arn: string) => errors(withConfig({ "kinesis-ingest:consumers": { c: { handler: "forwarder", layers: [arn] } } }));
    expect(layer("arn:aws:lambda:eu-west-1:123456789012:layer:insights:49")).to.deep.equal([]);
    expect(layer("arn:aws:lambda:eu-west-1:123456789012:layer:insights")[0]).to.match(/layers\/0 must match pattern/);
  });

  it("accepts secrets as `pulumi config set --secret` stores them, whole or per path", () => {
    const secure = { secure: "v1:abc" };
    const config = {
      "kinesis-ingest:apiTokens": secure,
      "kinesis-ingest:consumerSecrets": { forwarder: { authorization: secure } },
      "kinesis-ingest:parameterSecrets": { forwarder: { API_KEY: secure } },
    };
    expect(errors(withConfig(config))).to.deep.equal([]);
    expect(errors(withConfig({ "kinesis-ingest:apiTokens": ["a-token-of-16-chars"] }))).to.deep.equal([]);
  });
});
