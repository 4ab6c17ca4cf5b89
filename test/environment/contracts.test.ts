/**
 * The functions' environment contracts (handlers/lib/environment/): each kind's writer and reader agree, a
 * reader names the variable it refuses and what it must hold, and the 4 KB budget counts every variable the
 * writers set, at its longest.
 */
import { expect } from "chai";
import { BUILT_IN_KINDS } from "../../handlers/lib/built-in-kinds";
import { archiverEnvironment, archiverOptionsFromEnv } from "../../handlers/lib/environment/archiver";
import { audiencesValue, authorizerEnvironment, authorizerFromEnv } from "../../handlers/lib/environment/authorizer";
import { consumerEnvironmentBytes, PROGRAM_ENVIRONMENT } from "../../handlers/lib/environment/budget";
import { canaryEnvironment, canaryFromEnv } from "../../handlers/lib/environment/canary";
import { consumerEnvironment } from "../../handlers/lib/environment/consumer";
import { eventBridgeEnvironment, eventBridgeFromEnv } from "../../handlers/lib/environment/eventbridge";
import { forwarderEnvironment, forwarderOptionsFromEnv } from "../../handlers/lib/environment/forwarder";
import { idempotencyEnvironment, idempotencyFromEnv } from "../../handlers/lib/environment/idempotency";
import { ingestEnvironment, ingestFromEnv } from "../../handlers/lib/environment/ingest";
import { poisonEnvironment, poisonFromEnv } from "../../handlers/lib/environment/poison";
import { snsEnvironment, snsFromEnv } from "../../handlers/lib/environment/sns";
import { sqsEnvironment, sqsFromEnv } from "../../handlers/lib/environment/sqs";
import { stepFunctionsEnvironment, stepFunctionsFromEnv } from "../../handlers/lib/environment/stepfunctions";
import { environmentBytes } from "../../handlers/lib/environment/variables";

const USER_MODULE = "./consumers/totals.ts";

describe("environment contracts: each kind's writer and reader", () => {
  it("reads back what the writer wrote, for every kind", () => {
    const sqs = { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo", fifo: true };
    const sns = { topicArn: "arn:aws:sns:eu-west-1:123456789012:t", fifo: false };
    const bus = { eventBusName: "default", source: "kinesis-ingest.dev", detailType: "orders record" };
    const machine = { stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:m", workflowType: "EXPRESS" } as const;
    const archive = { bucket: "b", prefix: "orders/", compression: "none" } as const;
    expect(sqsFromEnv(sqsEnvironment(sqs))).to.deep.equal(sqs);
    expect(snsFromEnv(snsEnvironment(sns))).to.deep.equal(sns);
    expect(eventBridgeFromEnv(eventBridgeEnvironment(bus))).to.deep.equal(bus);
    expect(stepFunctionsFromEnv(stepFunctionsEnvironment(machine))).to.deep.equal(machine);
    expect(archiverOptionsFromEnv(archiverEnvironment(archive))).to.deep.equal(archive);
    const batch = {
      requestTimeoutMs: 2500,
      targetUrl: "https://x/y",
      delivery: "batch",
      maxBatchRecords: 200,
      maxBatchBytes: 1024,
    } as const;
    expect(forwarderOptionsFromEnv({ ...forwarderEnvironment(batch), CONFIG_SECRET_ID: "s" })).to.deep.equal({
      secretId: "s",
      targetUrl: "https://x/y",
      requestTimeoutMs: 2500,
      batch: { maxBatchRecords: 200, maxBatchBytes: 1024 },
    });
    for (const settings of [
      { mode: "none" },
      { mode: "memory", ttlSeconds: 60 },
      { mode: "dynamodb", tableName: "t", ttlSeconds: 90_000 },
    ] as const)
      expect(idempotencyFromEnv(idempotencyEnvironment(settings))).to.deep.equal(settings);
  });

  it("reads the canary's settings back, no auth meaning none", () => {
    const canary = { apiUrl: "https://api", stack: "dev", auth: "token", secretId: "arn:aws:secretsmanager:eu-west-1:1:secret:c" } as const;
    expect(canaryFromEnv(canaryEnvironment(canary))).to.deep.equal(canary);
    expect(canaryFromEnv({ API_URL: "https://api", STACK: "dev" })).to.deep.equal({ apiUrl: "https://api", stack: "dev", auth: "none" });
  });

  it("reads the front's functions back alike", () => {
    const ingest = { streamName: "s", deadlineMs: 25_000, maxRecordSizeKiB: 2048, logPartitionKeys: true, tokenSecretId: "tokens" };
    expect(ingestFromEnv(ingestEnvironment(ingest))).to.deep.equal({ ...ingest, connectionsEndpoint: undefined });
    expect(authorizerFromEnv(authorizerEnvironment({ tokenSecretId: "tokens" }))).to.deep.equal({ tokenSecretId: "tokens" });
    const jwt = { issuer: "https://issuer", audiences: ["a", "b"] };
    expect(authorizerFromEnv(authorizerEnvironment({ jwt: { ...jwt, audiences: audiencesValue(jwt.audiences) } }))).to.deep.equal({ jwt });
  });

  it("names the variable and what it must hold when a reader refuses it", () => {
    expect(() => sqsFromEnv({})).to.throw("TARGET_QUEUE_URL is not set; it must name the queue the consumer sends to.");
    expect(() => snsFromEnv({ TARGET_TOPIC_ARN: "t", FIFO: "yes" })).to.throw('FIFO must be "true" or "false", got "yes".');
    expect(() => eventBridgeFromEnv({ EVENT_BUS_NAME: "b", EVENT_SOURCE: "s" })).to.throw("EVENT_DETAIL_TYPE is not set");
    expect(() => stepFunctionsFromEnv({ STATE_MACHINE_ARN: "m", WORKFLOW_TYPE: "FAST" })).to.throw(
      'WORKFLOW_TYPE must be STANDARD or EXPRESS, got "FAST".',
    );
    expect(() => ingestFromEnv({ STREAM_NAME: "s", INGEST_DEADLINE_MS: "-1" })).to.throw("INGEST_DEADLINE_MS must be a positive integer");
    expect(() => authorizerFromEnv({})).to.throw("Neither TOKEN_SECRET_ID nor JWT_ISSUER is set");
    expect(() => canaryFromEnv({ API_URL: "https://api", STACK: "dev", CANARY_AUTH: "jwt" })).to.throw(
      'CANARY_AUTH must be one of none, token, iam, got "jwt".',
    );
    expect(() => poisonFromEnv({ POISON_RECORDS: "skip" })).to.throw('POISON_RECORDS must be one of isolate, block, got "skip".');
    expect(() => poisonFromEnv({ MAX_RECORD_ATTEMPTS: "0" })).to.throw("MAX_RECORD_ATTEMPTS must be an integer from 1 to 10000, got 0.");
  });

  it("reads the poison-record variables back typed, the defaults unwritten and unread", () => {
    const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/dlq";
    expect(poisonFromEnv(poisonEnvironment({ poisonRecords: "block", maxRecordAttempts: 7 }, queueUrl))).to.deep.equal({
      mode: "block",
      maxRecordAttempts: 7,
      queueUrl,
    });
    expect(poisonFromEnv(poisonEnvironment({ poisonRecords: "isolate", maxRecordAttempts: 3 }, queueUrl))).to.deep.equal({
      mode: undefined,
      maxRecordAttempts: undefined,
      queueUrl,
    });
  });

  it("writes a user's module only the runtime's variables and its own", () => {
    const variables = consumerEnvironment({
      own: { LOG_LEVEL: "DEBUG" },
      idempotency: { mode: "dynamodb", tableName: "idem", ttlSeconds: 90_000 },
      poison: { poisonRecords: "block", queueUrl: "Q" },
      tables: { "order-totals": "kinesis-ingest-dev-c-order-totals" },
      parameterNames: { API_URL: "/kinesis-ingest/dev/c/API_URL" },
    });
    expect(variables).to.deep.equal({
      LOG_LEVEL: "DEBUG",
      IDEMPOTENCY: "dynamodb",
      IDEMPOTENCY_TABLE: "idem",
      IDEMPOTENCY_TTL_SECONDS: "90000",
      TABLE_ORDER_TOTALS: "kinesis-ingest-dev-c-order-totals",
      PARAM_API_URL: "/kinesis-ingest/dev/c/API_URL",
      ON_FAILURE_QUEUE_URL: "Q",
      POISON_RECORDS: "block",
    });
  });
});

describe("environment contracts: the 4 KB budget", () => {
  it("counts every built-in kind's own variables on top of a user's module's", () => {
    const base = consumerEnvironmentBytes({ handler: USER_MODULE });
    for (const handler of BUILT_IN_KINDS) expect(consumerEnvironmentBytes({ handler }), handler).to.be.above(base);
  });

  it("counts the event bus, the source and the detail type at EventBridge's limits", () => {
    const longest = eventBridgeEnvironment({ eventBusName: "x".repeat(300), source: "x".repeat(256), detailType: "x".repeat(128) });
    const added = consumerEnvironmentBytes({ handler: "eventbridge" }) - consumerEnvironmentBytes({ handler: USER_MODULE });
    expect(added).to.be.at.least(environmentBytes(longest));
  });

  it("counts the tables, the parameters, the idempotency table and the stack file's target URL", () => {
    const base = consumerEnvironmentBytes({ handler: "forwarder" });
    const more = consumerEnvironmentBytes({
      handler: "forwarder",
      idempotency: "dynamodb",
      tables: { totals: {} },
      parameterNames: { API_URL: "/p" },
      targetUrl: "https://example.com/in",
    });
    const table = "TABLE_TOTALS".length + 255;
    const idempotency = "IDEMPOTENCY".length + "dynamodb".length + "IDEMPOTENCY_TABLE".length + 255 + "IDEMPOTENCY_TTL_SECONDS".length + 8;
    const parameter = "PARAM_API_URL/p".length;
    expect(more - base).to.equal(table + idempotency + parameter + "TARGET_URLhttps://example.com/in".length);
  });

  it("reserves every variable a writer sets, each once", () => {
    expect(new Set(PROGRAM_ENVIRONMENT).size).to.equal(PROGRAM_ENVIRONMENT.length);
    const written = [
      forwarderEnvironment({ requestTimeoutMs: 1, targetUrl: "u", delivery: "batch", maxBatchRecords: 1, maxBatchBytes: 1 }),
      archiverEnvironment({ bucket: "b", prefix: "p/", compression: "gzip" }),
      sqsEnvironment({ queueUrl: "q", fifo: true }),
      snsEnvironment({ topicArn: "t", fifo: true }),
      eventBridgeEnvironment({ eventBusName: "b", source: "s", detailType: "d" }),
      stepFunctionsEnvironment({ stateMachineArn: "m", workflowType: "STANDARD" }),
      consumerEnvironment({
        secretId: "s",
        idempotency: { mode: "dynamodb", tableName: "t", ttlSeconds: 1 },
        poison: { poisonRecords: "block", maxRecordAttempts: 1, queueUrl: "q" },
        tables: {},
        parameterNames: {},
      }),
    ].flatMap((variables) => Object.keys(variables));
    expect([...new Set(written)].sort()).to.deep.equal([...PROGRAM_ENVIRONMENT].sort());
  });
});
