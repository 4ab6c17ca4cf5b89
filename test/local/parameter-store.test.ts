/**
 * The local stack's Parameter Store stand-in (local/parameter-store.ts), through the real SDK client: GetParameter,
 * GetParameters (at most 10 names; unknown ones in InvalidParameters) and GetParametersByPath (direct children
 * unless Recursive, 10 a page), a SecureString's value only WithDecryption; the stack file's parameters as it
 * holds them; the consumer runtime's getParameter against it; and the banner's note on layers.
 */
import { expect } from "chai";
import { GetParameterCommand, GetParametersByPathCommand, GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { validateStackConfig } from "../../config";
import { getParameter, invalidateParameter } from "../../handlers/lib/consumer";
import { startupNotes } from "../../local/banner";
import { stackParameters, startParameterStore, type LocalParameterStore } from "../../local/parameter-store";

describe("local: the Parameter Store stand-in", () => {
  let store: LocalParameterStore;
  let ssm: SSMClient;
  before(async () => {
    store = await startParameterStore();
    ssm = new SSMClient({ endpoint: store.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const config = validateStackConfig({
      consumers: {
        orders: {
          handler: "./examples/order-totals/consumer.ts",
          parameters: {
            API_URL: { type: "String", value: "https://api.example.com" },
            TOKEN: { type: "SecureString" },
            SHARED: { name: "/team/x" },
          },
        },
      },
      parameterSecrets: { secure: "v1:encrypted" },
    });
    for (const parameter of stackParameters("dev", Object.values(config.consumers))) store.put(parameter);
    for (let i = 0; i < 11; i++) store.put({ name: `/many/${String(i).padStart(2, "0")}`, type: "String", value: `v${i}` });
    store.put({ name: "/many/deeper/leaf", type: "String", value: "leaf" });
  });
  after(async () => {
    ssm.destroy();
    invalidateParameter();
    await store.stop();
  });

  it("holds the stack file's created parameters (a SecureString with a stand-in value), not the existing ones", () => {
    expect(store.list().filter((p) => p.name.startsWith("/kinesis-ingest/"))).to.deep.equal([
      { name: "/kinesis-ingest/dev/orders/API_URL", type: "String", value: "https://api.example.com" },
      {
        name: "/kinesis-ingest/dev/orders/TOKEN",
        type: "SecureString",
        value: "local stand-in for SecureString TOKEN (the real value stays in parameterSecrets)",
      },
    ]);
  });

  it("GetParameter: the value, a SecureString's only WithDecryption, ParameterNotFound otherwise", async () => {
    const plain = await ssm.send(new GetParameterCommand({ Name: "/kinesis-ingest/dev/orders/API_URL" }));
    expect([plain.Parameter?.Value, plain.Parameter?.ARN]).to.deep.equal([
      "https://api.example.com",
      "arn:aws:ssm:us-east-1:000000000000:parameter/kinesis-ingest/dev/orders/API_URL",
    ]);
    const hidden = await ssm.send(new GetParameterCommand({ Name: "/kinesis-ingest/dev/orders/TOKEN" }));
    expect(hidden.Parameter?.Value).to.not.contain("stand-in");
    const shown = await ssm.send(new GetParameterCommand({ Name: "/kinesis-ingest/dev/orders/TOKEN", WithDecryption: true }));
    expect(shown.Parameter?.Value).to.contain("stand-in");
    const error = await ssm.send(new GetParameterCommand({ Name: "/team/x" })).catch((e: Error) => e);
    expect((error as Error).name).to.equal("ParameterNotFound");
  });

  it("GetParameters: at most 10 names; unknown names in InvalidParameters", async () => {
    const answer = await ssm.send(new GetParametersCommand({ Names: ["/many/00", "/nope"] }));
    expect([answer.Parameters?.map((p) => p.Value), answer.InvalidParameters]).to.deep.equal([["v0"], ["/nope"]]);
    const names = Array.from({ length: 11 }, (_, i) => `/many/${String(i).padStart(2, "0")}`);
    const error = await ssm.send(new GetParametersCommand({ Names: names })).catch((e: Error) => e);
    expect((error as Error).name).to.equal("ValidationException");
  });

  it("GetParametersByPath: direct children in pages of 10, the deeper ones with Recursive", async () => {
    const first = await ssm.send(new GetParametersByPathCommand({ Path: "/many" }));
    const second = await ssm.send(new GetParametersByPathCommand({ Path: "/many", NextToken: first.NextToken }));
    expect([first.Parameters?.length, second.Parameters?.map((p) => p.Name), second.NextToken]).to.deep.equal([
      10,
      ["/many/10"],
      undefined,
    ]);
    const all = await ssm.send(new GetParametersByPathCommand({ Path: "/many/", Recursive: true, MaxResults: 10, NextToken: "10" }));
    expect(all.Parameters?.map((p) => p.Name)).to.deep.equal(["/many/10", "/many/deeper/leaf"]);
  });

  it("the consumer runtime's getParameter reads it through the SDK", async () => {
    expect(await getParameter("/kinesis-ingest/dev/orders/API_URL", { client: ssm })).to.equal("https://api.example.com");
  });

  it("the banner says a consumer's layers are not run locally", () => {
    const layer = "arn:aws:lambda:eu-west-1:123456789012:layer:shared:3";
    const notes = startupNotes({
      targets: {},
      sinkUrl: "http://x/_local/sink",
      forwardUrl: undefined,
      sinkRejectField: undefined,
      layers: { orders: [layer], other: [] },
    });
    expect(notes).to.deep.equal([
      `note: orders has 1 Lambda layer (${layer}), which the local stack does not run: its module runs without them`,
    ]);
  });
});
