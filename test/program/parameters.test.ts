/**
 * The plan of a consumer's `parameters`: the stack creates `/kinesis-ingest/<stack>/<consumer>/<NAME>`
 * (a SecureString's value from the secret `parameterSecrets`, as a secret input), passes every parameter's name
 * as `PARAM_<NAME>`, and lets that function alone read exactly those parameters (ssm:GetParameter(s)) and
 * decrypt through Parameter Store with the `aws/ssm` key (kms:ViaService, kms:ResourceAliases).
 */
import { expect } from "chai";
import { isSecretInput, named, ofType, runStack, type RecordedResource } from "./harness";

const PARAMETER = "aws:ssm/parameter:Parameter";
const A = "123456789012";
const ssmArn = (name: string) => `arn:aws:ssm:eu-west-1:${A}:parameter/${name.replace(/^\//, "")}`;

const RAW = {
  consumers: {
    orders: {
      handler: "./examples/order-totals/consumer.ts",
      parameters: {
        API_URL: { type: "String", value: "https://api.example.com" },
        TOKEN: { type: "SecureString" },
        SHARED: { name: "/team/shared/endpoint" },
      },
    },
    other: { handler: "forwarder" },
  },
  parameterSecrets: { orders: { TOKEN: "s3cr3t-value" } },
};

function statements(resources: readonly RecordedResource[], consumer: string): Array<Record<string, unknown>> {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`).inputs.policy as string;
  return (JSON.parse(policy) as { Statement: Array<Record<string, unknown>> }).Statement;
}

describe("program: consumer parameters (Parameter Store)", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = (await runStack(RAW, { stack: "dev" })).resources;
  });

  it("creates the consumer's parameters under its path, a SecureString's value as a secret", () => {
    expect(ofType(resources, PARAMETER).map((r) => [r.name, r.inputs.name, r.inputs.type, r.inputs.tier])).to.deep.equal([
      ["consumer-orders-parameters-API_URL", "/kinesis-ingest/dev/orders/API_URL", "String", "Standard"],
      ["consumer-orders-parameters-TOKEN", "/kinesis-ingest/dev/orders/TOKEN", "SecureString", "Standard"],
    ]);
    // The provider marks every parameter's value secret; only the SecureString's comes from secret config.
    expect((named(resources, PARAMETER, "consumer-orders-parameters-API_URL").inputs.value as { value: string }).value).to.equal(
      "https://api.example.com",
    );
    const secure = named(resources, PARAMETER, "consumer-orders-parameters-TOKEN").inputs.value;
    expect(isSecretInput(secure)).to.equal(true);
    expect((secure as { value: string }).value).to.equal("s3cr3t-value");
    const others = JSON.stringify(resources.filter((r) => r.type !== PARAMETER).map((r) => r.inputs));
    expect(others).to.not.contain("s3cr3t-value");
  });

  it("passes each parameter's name as PARAM_<NAME>", () => {
    const variables = (
      named(resources, "aws:lambda/function:Function", "consumer-orders-fn-function").inputs.environment as {
        variables: Record<string, string>;
      }
    ).variables;
    expect([variables.PARAM_API_URL, variables.PARAM_TOKEN, variables.PARAM_SHARED]).to.deep.equal([
      "/kinesis-ingest/dev/orders/API_URL",
      "/kinesis-ingest/dev/orders/TOKEN",
      "/team/shared/endpoint",
    ]);
  });

  it("lets that function alone read exactly those parameters, and decrypt only through Parameter Store with aws/ssm", () => {
    const own = statements(resources, "orders");
    expect(own.find((s) => s.Sid === "ReadParameters")).to.deep.equal({
      Sid: "ReadParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: ["/kinesis-ingest/dev/orders/API_URL", "/kinesis-ingest/dev/orders/TOKEN", "/team/shared/endpoint"].map(ssmArn),
    });
    expect(own.find((s) => s.Sid === "DecryptSecureParameters")).to.deep.equal({
      Sid: "DecryptSecureParameters",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [`arn:aws:kms:eu-west-1:${A}:key/*`],
      Condition: {
        StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/aws/ssm"] },
      },
    });
    expect(JSON.stringify(statements(resources, "other"))).to.not.contain("ssm:");
  });

  it("a consumer without parameters plans no parameter resource at all", async () => {
    const { resources: plain } = await runStack({ consumers: { other: { handler: "forwarder" } } }, { stack: "dev" });
    expect(plain.filter((r) => r.type.includes("ssm") || r.type.includes("ConsumerParameters"))).to.deep.equal([]);
  });
});
