/**
 * A consumer's own code and what it may touch: `handler` paths, `environment`, `permissions` and `tables`,
 * one test per message. Environment rules from the Lambda guide, "Defined runtime environment variables"
 * and "Lambda quotas" (4 KB of variables); table names from DynamoDB's "Naming rules".
 */
import { expect } from "chai";
import { problemsOf } from "./problems";
import { validateStackConfig } from "../../config";
import { consumerModuleProblem, noHandlerExport } from "../../config/consumer-code";
import { PROJECT_DIR } from "../../config/project";

const custom = (extra: Record<string, unknown>) => ({
  consumers: { totals: { handler: "./test/fixtures/consumers/echo-environment.ts", ...extra } },
});

describe("config: custom consumers (handler, environment, permissions, tables)", () => {
  const rules: [string, Record<string, unknown>, string][] = [
    [
      "handler path without ./",
      custom({ handler: "consumers/x.ts" }),
      '`consumers.totals.handler` must be one of forwarder, archiver, sqs, sns, eventbridge, stepfunctions, or a path to your module starting with ./ (.ts, .mts, .js, .mjs), got "consumers/x.ts"',
    ],
    [
      "handler of another file type",
      custom({ handler: "./consumers/x.py" }),
      '`consumers.totals.handler` must name a .ts, .mts, .js, .mjs file, got "./consumers/x.py"',
    ],
    [
      "handler outside the project",
      custom({ handler: "./../outside.ts" }),
      `\`consumers.totals.handler\` must stay inside the project (${PROJECT_DIR}), got "./../outside.ts"`,
    ],
    [
      "handler that does not exist",
      custom({ handler: "./consumers/missing.ts" }),
      `\`consumers.totals.handler\` names "./consumers/missing.ts", which does not exist (looked for ${PROJECT_DIR}/consumers/missing.ts)`,
    ],
    [
      "handler that is not a string",
      custom({ handler: 3 }),
      "`consumers.totals.handler` must be one of forwarder, archiver, sqs, sns, eventbridge, stepfunctions, or a path to your module starting with ./ (.ts, .mts, .js, .mjs), got 3",
    ],
    [
      "forwarder settings on a custom consumer",
      custom({ targetUrl: "https://example.com/x" }),
      '`consumers.totals.targetUrl` applies only to handler forwarder; "./test/fixtures/consumers/echo-environment.ts" does not read it',
    ],
    [
      "environment that is not a map",
      custom({ environment: ["A=1"] }),
      '`consumers.totals.environment` must be a map of variable names to string values, got ["A=1"]',
    ],
    [
      "environment name Lambda reserves",
      custom({ environment: { AWS_REGION: "eu-west-1" } }),
      "`consumers.totals.environment.AWS_REGION` is reserved by Lambda: names starting AWS_, LAMBDA_, _ belong to the runtime (AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT, ...)",
    ],
    [
      "environment name with _",
      custom({ environment: { _HANDLER: "x" } }),
      "`consumers.totals.environment._HANDLER` is reserved by Lambda: names starting AWS_, LAMBDA_, _ belong to the runtime (AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT, ...)",
    ],
    [
      "environment name the program sets",
      custom({ environment: { CONFIG_SECRET_ID: "x" } }),
      "`consumers.totals.environment.CONFIG_SECRET_ID` is set by kinesis-ingest itself (CONFIG_SECRET_ID, IDEMPOTENCY, IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_SECONDS, REQUEST_TIMEOUT_MS, TARGET_URL, DELIVERY, MAX_BATCH_RECORDS, MAX_BATCH_BYTES, ARCHIVE_BUCKET, ARCHIVE_PREFIX, ARCHIVE_COMPRESSION, TARGET_QUEUE_URL, FIFO, TARGET_TOPIC_ARN, EVENT_BUS_NAME, EVENT_SOURCE, EVENT_DETAIL_TYPE, STATE_MACHINE_ARN, WORKFLOW_TYPE, ON_FAILURE_QUEUE_URL, POISON_RECORDS, MAX_RECORD_ATTEMPTS and TABLE_<NAME>); choose another name",
    ],
    [
      "environment name of the idempotency store",
      custom({ environment: { IDEMPOTENCY_TABLE: "x" } }),
      "`consumers.totals.environment.IDEMPOTENCY_TABLE` is set by kinesis-ingest itself (CONFIG_SECRET_ID, IDEMPOTENCY, IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_SECONDS, REQUEST_TIMEOUT_MS, TARGET_URL, DELIVERY, MAX_BATCH_RECORDS, MAX_BATCH_BYTES, ARCHIVE_BUCKET, ARCHIVE_PREFIX, ARCHIVE_COMPRESSION, TARGET_QUEUE_URL, FIFO, TARGET_TOPIC_ARN, EVENT_BUS_NAME, EVENT_SOURCE, EVENT_DETAIL_TYPE, STATE_MACHINE_ARN, WORKFLOW_TYPE, ON_FAILURE_QUEUE_URL, POISON_RECORDS, MAX_RECORD_ATTEMPTS and TABLE_<NAME>); choose another name",
    ],
    [
      "environment over 4 KB with the dynamodb idempotency variables",
      custom({ idempotency: "dynamodb", environment: { BIG: "x".repeat(3700) } }),
      "`consumers.totals.environment` is too large: Lambda allows 4096 bytes of variables in all, and with the 641 bytes kinesis-ingest sets these come to 4344",
    ],
    [
      "environment name of a table",
      custom({ environment: { TABLE_TOTALS: "x" } }),
      "`consumers.totals.environment.TABLE_TOTALS` is set by kinesis-ingest itself (CONFIG_SECRET_ID, IDEMPOTENCY, IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_SECONDS, REQUEST_TIMEOUT_MS, TARGET_URL, DELIVERY, MAX_BATCH_RECORDS, MAX_BATCH_BYTES, ARCHIVE_BUCKET, ARCHIVE_PREFIX, ARCHIVE_COMPRESSION, TARGET_QUEUE_URL, FIFO, TARGET_TOPIC_ARN, EVENT_BUS_NAME, EVENT_SOURCE, EVENT_DETAIL_TYPE, STATE_MACHINE_ARN, WORKFLOW_TYPE, ON_FAILURE_QUEUE_URL, POISON_RECORDS, MAX_RECORD_ATTEMPTS and TABLE_<NAME>); choose another name",
    ],
    [
      "environment name Lambda refuses",
      custom({ environment: { "order-api": "x" } }),
      "`consumers.totals.environment.order-api`: a variable name must be a letter followed by letters, digits or _ (at least 2 characters)",
    ],
    [
      "environment value that is not a string",
      custom({ environment: { RETRIES: 3 } }),
      "`consumers.totals.environment.RETRIES` must be a string (quote numbers and booleans in YAML), got 3",
    ],
    [
      "environment over 4 KB",
      custom({ environment: { BIG: "x".repeat(4000) } }),
      "`consumers.totals.environment` is too large: Lambda allows 4096 bytes of variables in all, and with the 319 bytes kinesis-ingest sets these come to 4322",
    ],
    [
      "permissions that are not a list",
      custom({ permissions: { actions: ["s3:GetObject"] } }),
      '`consumers.totals.permissions` must be a list of {actions: [...], resources: [...]}, got {"actions":["s3:GetObject"]}',
    ],
    [
      "wildcard action",
      custom({ permissions: [{ actions: ["s3:Get*"], resources: ["arn:aws:s3:::b/*"] }] }),
      '`consumers.totals.permissions[0].actions[0]` must be an IAM action such as dynamodb:GetItem (service:Action, no wildcard), got "s3:Get*"',
    ],
    [
      "resource *",
      custom({ permissions: [{ actions: ["s3:GetObject"], resources: ["*"] }] }),
      '`consumers.totals.permissions[0].resources[0]` must name resources by ARN: "*" (every resource) is not allowed',
    ],
    [
      "resource that is not an ARN",
      custom({ permissions: [{ actions: ["s3:GetObject"], resources: ["my-bucket"] }] }),
      '`consumers.totals.permissions[0].resources[0]` must be a resource ARN such as arn:aws:s3:::my-bucket/*, got "my-bucket"',
    ],
    [
      "NotAction",
      custom({ permissions: [{ NotAction: ["iam:*"], resources: ["arn:aws:s3:::b"], actions: ["s3:GetObject"] }] }),
      "`consumers.totals.permissions[0].NotAction` is not allowed: a statement grants the actions it lists on the resources it lists, never everything except them",
    ],
    [
      "empty actions",
      custom({ permissions: [{ actions: [], resources: ["arn:aws:s3:::b"] }] }),
      "`consumers.totals.permissions[0].actions` must be a non-empty list, got []",
    ],
    [
      "unknown statement key",
      custom({ permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b"], effect: "Deny" }] }),
      "`consumers.totals.permissions[0].effect` is not a known setting; known settings: actions, resources",
    ],
    [
      "tables that are not a map",
      custom({ tables: ["totals"] }),
      '`consumers.totals.tables` must be a map of table names to {partitionKey, sortKey?, ttlAttribute?}, got ["totals"]',
    ],
    [
      "table name",
      custom({ tables: { Totals_2: { partitionKey: "id" } } }),
      "`consumers.totals.tables.Totals_2`: a table name must be 1 to 40 lowercase letters, digits or dashes, starting with a letter (it becomes TABLE_TOTALS2)",
    ],
    [
      "table without a partition key",
      custom({ tables: { totals: {} } }),
      "`consumers.totals.tables.totals.partitionKey` is required: the name of the table's partition key attribute (a string)",
    ],
    [
      "partition key that is not a string",
      custom({ tables: { totals: { partitionKey: 1 } } }),
      "`consumers.totals.tables.totals.partitionKey` must be an attribute name of 1 to 255 characters, got 1",
    ],
    [
      "sort key equal to the partition key",
      custom({ tables: { totals: { partitionKey: "id", sortKey: "id" } } }),
      '`consumers.totals.tables.totals.sortKey` must differ from its partitionKey, got "id" for both',
    ],
    [
      "unknown table key",
      custom({ tables: { totals: { partitionKey: "id", billing: "provisioned" } } }),
      "`consumers.totals.tables.totals.billing` is not a known setting; known settings: partitionKey, sortKey, ttlAttribute",
    ],
  ];
  for (const [name, raw, message] of rules) {
    it(`refuses ${name}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("accepts a custom consumer with environment, permissions and tables, and fills in the defaults", () => {
    const config = validateStackConfig(
      custom({
        environment: { ORDERS_API: "https://orders.example.com", LOG_LEVEL: "DEBUG" },
        permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::orders-archive/*"] }],
        tables: { totals: { partitionKey: "customerId", sortKey: "day", ttlAttribute: "expiresAt" } },
      }),
    );
    expect(config.consumers.totals).to.deep.include({
      handler: "./test/fixtures/consumers/echo-environment.ts",
      environment: { ORDERS_API: "https://orders.example.com", LOG_LEVEL: "DEBUG" },
      permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::orders-archive/*"] }],
      tables: { totals: { partitionKey: "customerId", sortKey: "day", ttlAttribute: "expiresAt" } },
    });
    const forwarder = validateStackConfig({ consumers: { forwarder: { handler: "forwarder" } } }).consumers.forwarder;
    expect(forwarder).to.deep.include({ environment: {}, permissions: [], tables: {} });
  });

  it("reports every problem at once", () => {
    expect(
      problemsOf(custom({ environment: { AWS_X: "1" }, tables: { totals: {} }, permissions: [{ actions: ["*"], resources: ["*"] }] })),
    ).to.have.length(4);
  });
});

describe("config: a consumer module without `handler`, as the plan and the local stack both word it", () => {
  it("names the consumer's key and module, what was expected, and what the module exports", () => {
    expect(consumerModuleProblem("orders", "./consumers/orders.ts", noHandlerExport(["handle", "process"]))).to.equal(
      '`consumers.orders.handler` "./consumers/orders.ts" exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports handle, process',
    );
  });

  it("says when the module exports nothing, leaving out the ES module marker", () => {
    expect(noHandlerExport(["__esModule"])).to.match(/; it exports nothing$/);
  });

  it("says when `handler` is exported but is not a function", () => {
    expect(noHandlerExport(["handler"])).to.match(/; it exports handler \(its `handler` is not a function\)$/);
  });
});
