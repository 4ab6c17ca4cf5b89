/**
 * The plan of a consumer's `layers` and of `kmsKeyArn` on a consumer and on `api`: the function takes the layer
 * version ARNs as written and the key as its `kmsKeyArn`, and its role may `kms:Decrypt` with exactly that key
 * (Lambda: "Securing environment variables"); without them the functions are planned as before.
 */
import { expect } from "chai";
import { named, runProgram, type RecordedResource } from "./harness";

const A = "123456789012";
const LAYERS = [`arn:aws:lambda:eu-west-1:${A}:layer:LambdaInsightsExtension-Arm64:20`, `arn:aws:lambda:eu-west-1:${A}:layer:shared:3`];
const KEY = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const API_KEY = `arn:aws:kms:eu-west-1:${A}:key/mrk-0123456789abcdef0123456789abcdef`;
const FUNCTION = "aws:lambda/function:Function";

function decryptStatements(resources: readonly RecordedResource[], policy: string): unknown[] {
  const document = JSON.parse(named(resources, "aws:iam/rolePolicy:RolePolicy", policy).inputs.policy as string) as {
    Statement: Array<{ Sid: string }>;
  };
  return document.Statement.filter((s) => s.Sid === "DecryptEnvironment");
}

describe("program: function layers and environment keys", () => {
  it("gives a consumer its layers and key, and its role kms:Decrypt on exactly that key", async () => {
    const resources = await runProgram(
      { consumers: { orders: { handler: "forwarder", layers: LAYERS, kmsKeyArn: KEY } } },
      { stack: "dev" },
    );
    const fn = named(resources, FUNCTION, "consumer-orders-fn-function").inputs;
    expect([fn.layers, fn.kmsKeyArn]).to.deep.equal([LAYERS, KEY]);
    expect(decryptStatements(resources, "consumer-orders-fn-policy")).to.deep.equal([
      { Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY] },
    ]);
  });

  it("gives api.kmsKeyArn to the ingest and authorizer functions, and nothing to the consumers", async () => {
    const resources = await runProgram({ api: { kmsKeyArn: API_KEY }, consumers: { orders: { handler: "forwarder" } } }, { stack: "dev" });
    for (const fn of ["api-ingest", "api-authorizer"]) {
      expect(named(resources, FUNCTION, `${fn}-function`).inputs.kmsKeyArn).to.equal(API_KEY);
      expect(decryptStatements(resources, `${fn}-policy`)).to.have.length(1);
    }
    const consumer = named(resources, FUNCTION, "consumer-orders-fn-function").inputs;
    expect([consumer.kmsKeyArn, consumer.layers]).to.deep.equal([undefined, undefined]);
    expect(decryptStatements(resources, "consumer-orders-fn-policy")).to.deep.equal([]);
  });
});
