/**
 * The plan of a stack with a custom consumer: the user's module bundled as its function, with its own
 * environment, its table (on-demand, encrypted; DynamoDB "Core components" and "Point-in-time recovery"),
 * its least-privilege statements, its mapping and on-failure queue; and the module checks that refuse a
 * consumer before any resource is created.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { named, ofType, runProgram, runStack, type RecordedResource } from "./harness";

const ORDERS_MODULE = "./examples/order-totals/consumer.ts";
const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/kinesis-ingest-dev-orders-totals";
const ORDERS_DLQ_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/kinesis-ingest-dev-orders-dlq";

function stackWith(consumer: Record<string, unknown>): Record<string, unknown> {
  return { consumers: { orders: { handler: ORDERS_MODULE, ...consumer } } };
}

function statementsOf(
  resources: readonly RecordedResource[],
  consumer: string,
): Array<{ Sid: string; Action: string[]; Resource: string[] }> {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`);
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[] }> })
    .Statement;
}

async function runError(raw: Record<string, unknown>): Promise<Error> {
  try {
    await runProgram(raw, { stack: "dev" });
  } catch (error) {
    return error as Error;
  }
  throw new Error("the program ran without an error");
}

describe("program: a custom consumer", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await runProgram(
      stackWith({
        environment: { LOG_LEVEL: "DEBUG" },
        permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::orders-archive/*"] }],
        tables: { totals: { partitionKey: "customerId", sortKey: "day", ttlAttribute: "expiresAt" } },
      }),
      { stack: "dev" },
    );
  });

  it("bundles the user's module as the function, with its environment and its table's name", async () => {
    const fn = named(resources, "aws:lambda/function:Function", "consumer-orders-fn-function");
    expect(fn.inputs.name).to.equal("kinesis-ingest-dev-orders");
    expect(fn.inputs.description).to.equal("Stream consumer consumer-orders");
    expect(fn.inputs.environment).to.deep.equal({
      variables: { LOG_LEVEL: "DEBUG", TABLE_TOTALS: "kinesis-ingest-dev-orders-totals", ON_FAILURE_QUEUE_URL: ORDERS_DLQ_URL },
    });
    expect(await (fn.inputs.code as { path: Promise<string> }).path).to.match(/\.local\/bundles\/consumer-[0-9a-f]{16}\.zip$/);
  });

  it("owns one on-demand, encrypted table with string keys and TTL; point-in-time recovery only on prod", async () => {
    expect(ofType(resources, "aws:dynamodb/table:Table").map((t) => t.inputs)).to.deep.equal([
      {
        name: "kinesis-ingest-dev-orders-totals",
        billingMode: "PAY_PER_REQUEST",
        hashKey: "customerId",
        rangeKey: "day",
        attributes: [
          { name: "customerId", type: "S" },
          { name: "day", type: "S" },
        ],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: false },
        ttl: { attributeName: "expiresAt", enabled: true },
      },
    ]);
    const prod = await runProgram(stackWith({ tables: { totals: { partitionKey: "customerId" } } }), { stack: "prod" });
    expect(ofType(prod, "aws:dynamodb/table:Table").map((t) => t.inputs.pointInTimeRecovery)).to.deep.equal([{ enabled: true }]);
  });

  it("grants its role the stream, its queue, read/write on its own table and the user's statements, nothing more", () => {
    expect(statementsOf(resources, "orders").map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      [
        "WriteOwnLogs",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/kinesis-ingest-dev-orders:*"],
      ],
      ["XRayTraces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]],
      [
        "ReadStream",
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
        ["arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-dev"],
      ],
      ["SendToOnFailureQueue", ["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:123456789012:kinesis-ingest-dev-orders-dlq"]],
      [
        "ReadWriteTabletotals",
        [
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DescribeTable",
        ],
        [TABLE_ARN],
      ],
      ["Custom1", ["s3:GetObject"], ["arn:aws:s3:::orders-archive/*"]],
    ]);
  });

  it("has its mapping and on-failure queue, and no secret while consumerSecrets.orders is unset", () => {
    const mapping = named(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "consumer-orders-mapping");
    expect(mapping.inputs).to.deep.include({
      functionName: "arn:aws:lambda:eu-west-1:123456789012:function:kinesis-ingest-dev-orders",
      destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:eu-west-1:123456789012:kinesis-ingest-dev-orders-dlq" } },
    });
    expect(named(resources, "aws:sqs/queue:Queue", "consumer-orders-dlq").inputs.name).to.equal("kinesis-ingest-dev-orders-dlq");
    expect(ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => s.name)).to.deep.equal(["api-tokens-secret"]);
  });

  it("gets its secret, read by its role alone, when consumerSecrets.orders is set, and no delivery warning", async () => {
    const run = await runStack({ ...stackWith({}), consumerSecrets: { orders: { apiKey: "k-123" } } }, { stack: "dev" });
    expect(ofType(run.resources, "aws:secretsmanager/secret:Secret").map((s) => s.name)).to.deep.equal([
      "api-tokens-secret",
      "orders-config-secret",
    ]);
    expect(statementsOf(run.resources, "orders").map((s) => s.Sid)).to.include("ReadSecretConfig");
    expect(named(run.resources, "aws:lambda/function:Function", "consumer-orders-fn-function").inputs.environment).to.deep.equal({
      variables: {
        CONFIG_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-config-secret-a1b2c3d-a1b2c3",
        ON_FAILURE_QUEUE_URL: ORDERS_DLQ_URL,
      },
    });
    expect(run.warnings.filter((w) => w.includes("consumerSecrets"))).to.deep.equal([]);
  });

  it("passes every policy of the pack", async () => {
    expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
  });

  const badModules: [string, string, string][] = [
    [
      "exports no handler",
      "./test/fixtures/consumers/no-handler.ts",
      "exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports handle",
    ],
    [
      "is CommonJS without handler",
      "./test/fixtures/consumers/common-js-without-handler.js",
      "exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports process",
    ],
    ["does not bundle", "./test/fixtures/consumers/not-javascript.js", "cannot be bundled: Unexpected end of file"],
  ];
  for (const [name, handler, problem] of badModules) {
    it(`refuses a module that ${name}, naming the key and the path, before any resource`, async () => {
      const error = await runError({ consumers: { orders: { handler } } });
      expect(error).to.be.instanceOf(pulumi.RunError);
      expect(error.message.split("\n")[1]).to.match(
        new RegExp(
          `^  - \`consumers\\.orders\\.handler\` "${handler.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" ${problem.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}`,
        ),
      );
    });
  }

  it("accepts a CommonJS module exporting handler", async () => {
    const run = await runProgram({ consumers: { orders: { handler: "./test/fixtures/consumers/common-js.js" } } }, { stack: "dev" });
    expect(ofType(run, "aws:lambda/function:Function").map((f) => f.inputs.name)).to.include("kinesis-ingest-dev-orders");
  });
});
