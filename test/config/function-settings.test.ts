/**
 * A consumer's `layers` and a function's `kmsKeyArn` (config/function-settings.ts, config/region-rules.ts):
 * at most 5 layer version ARNs (Lambda quotas: "Function layers"; CreateFunction `Layers`: version ARNs of at
 * most 140 characters), one version of each layer, and a KMS key ARN, not an alias ARN (KMS CreateGrant
 * `KeyId`: a key id or key ARN), each in the stack's Region.
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const A = "123456789012";
const layer = (name: string, version = 1, region = "eu-west-1") => `arn:aws:lambda:${region}:${A}:layer:${name}:${version}`;
const KEY = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const consumer = (extra: Record<string, unknown>) => ({ consumers: { c: { handler: "forwarder", ...extra } } });

function problemsIn(region: string, raw: Record<string, unknown>): readonly string[] {
  try {
    validateStackConfig(raw, undefined, { stack: "dev", region });
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
}

describe("config: layers (Lambda quotas, 5 layers; CreateFunction Layers: version ARNs)", () => {
  it("takes up to 5 layer version ARNs, and none by default", () => {
    const layers = [1, 2, 3, 4, 5].map((i) => layer(`shared-${i}`, i));
    expect(validateStackConfig(consumer({ layers })).consumers.c!.layers).to.deep.equal(layers);
    expect(validateStackConfig(consumer({})).consumers.c!.layers).to.deep.equal([]);
  });

  it("refuses a sixth layer, a layer ARN without its version, and two versions of one layer", () => {
    expect(problemsOf(consumer({ layers: [1, 2, 3, 4, 5, 6].map((i) => layer(`l${i}`)) }))).to.deep.equal([
      "`consumers.c.layers` must be a list of at most 5 items, got 6 items",
    ]);
    expect(problemsOf(consumer({ layers: [`arn:aws:lambda:eu-west-1:${A}:layer:shared`] }))).to.deep.equal([
      `\`consumers.c.layers[0]\` must be a layer version ARN, arn:aws:lambda:<region>:<account>:layer:<name>:<version> (a layer ARN without its :<version> is not enough: Lambda attaches one version), at most 140 characters, got "arn:aws:lambda:eu-west-1:${A}:layer:shared"`,
    ]);
    expect(problemsOf(consumer({ layers: [layer("shared", 1), layer("shared", 2)] }))).to.deep.equal([
      `\`consumers.c.layers\` names layer arn:aws:lambda:eu-west-1:${A}:layer:shared more than once; a function takes one version of each layer`,
    ]);
  });

  it("refuses a layer of another partition, and of another Region than the stack's", () => {
    expect(problemsOf(consumer({ layers: [`arn:aws-cn:lambda:cn-north-1:${A}:layer:x:1`] }))[0]).to.match(
      /^`consumers.c.layers\[0\]` is in partition aws-cn/,
    );
    expect(problemsIn("eu-west-1", consumer({ layers: [layer("x", 3, "us-east-1")] }))).to.deep.equal([
      `\`consumers.c.layers[0]\` is in Region us-east-1, and the stack deploys to eu-west-1, got "${layer("x", 3, "us-east-1")}": a function takes layers and KMS keys of its own Region only; publish the layer version (or create or replicate the key) in eu-west-1`,
    ]);
    expect(problemsIn("eu-west-1", consumer({ layers: [layer("x")] }))).to.deep.equal([]);
  });
});

describe("config: kmsKeyArn (Lambda KMSKeyArn; KMS CreateGrant takes a key ARN, not an alias)", () => {
  const allowed =
    "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id> (not an alias ARN: Lambda grants itself the key with CreateGrant, which takes a key ARN only)";

  it("takes a key ARN (a multi-Region key's too) on a consumer and on `api`", () => {
    const mrk = `arn:aws:kms:eu-west-1:${A}:key/mrk-0123456789abcdef0123456789abcdef`;
    const config = validateStackConfig({ api: { kmsKeyArn: KEY }, ...consumer({ kmsKeyArn: mrk }) });
    expect([config.api.kmsKeyArn, config.consumers.c!.kmsKeyArn]).to.deep.equal([KEY, mrk]);
    expect(validateStackConfig(consumer({})).consumers.c!.kmsKeyArn).to.equal(undefined);
  });

  it("refuses an alias ARN, a bare key id and another Region's key, naming the key", () => {
    const alias = `arn:aws:kms:eu-west-1:${A}:alias/lambda-env`;
    expect(problemsOf(consumer({ kmsKeyArn: alias }))).to.deep.equal([`\`consumers.c.kmsKeyArn\` must be ${allowed}, got "${alias}"`]);
    expect(problemsOf({ api: { kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" } })).to.deep.equal([
      `\`api.kmsKeyArn\` must be ${allowed}, got "1234abcd-12ab-34cd-56ef-1234567890ab"`,
    ]);
    expect(problemsIn("us-east-1", { api: { kmsKeyArn: KEY } })).to.deep.equal([
      `\`api.kmsKeyArn\` is in Region eu-west-1, and the stack deploys to us-east-1, got "${KEY}": a function takes layers and KMS keys of its own Region only; publish the layer version (or create or replicate the key) in us-east-1`,
    ]);
  });
});
