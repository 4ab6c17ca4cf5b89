import { expect } from "chai";
import { problemsOf } from "./problems";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigValidationError, fromPulumiConfig, loadStackFile, readStackFile, validateStackConfig } from "../../config";

const consumer = (extra: Record<string, unknown> = {}) => ({ consumers: { forwarder: { handler: "forwarder", ...extra } } });

describe("config: validateStackConfig (limits from the Lambda guide, 'Kinesis event source mapping parameters')", () => {
  const rules: [string, Record<string, unknown>, string][] = [
    [
      "unknown top-level key, with a suggestion",
      { strem: {} },
      "`kinesis-ingest:strem` is not a known setting (did you mean `stream`?); known settings: stream, api, consumers, observability, lifecycle, apiTokens, consumerSecrets, parameterSecrets",
    ],
    ["section that is not an object", { stream: "big" }, '`stream` must be an object, got "big"'],
    ["stream mode", { stream: { mode: "serverless" } }, '`stream.mode` must be one of provisioned, on-demand, got "serverless"'],
    ["shards ≥ 1", { stream: { shards: 0 } }, "`stream.shards` must be an integer from 1 to 10000, got 0"],
    ["shards integer", { stream: { shards: 1.5 } }, "`stream.shards` must be an integer from 1 to 10000, got 1.5"],
    [
      "shards with on-demand",
      { stream: { mode: "on-demand", shards: 2 } },
      "`stream.shards` applies only to provisioned streams; remove it or set `stream.mode` to provisioned",
    ],
    ["retention below 24 h", { stream: { retentionHours: 12 } }, "`stream.retentionHours` must be an integer from 24 to 8760, got 12"],
    [
      "retention above 8760 h",
      { stream: { retentionHours: 8761 } },
      "`stream.retentionHours` must be an integer from 24 to 8760, got 8761",
    ],
    [
      "unknown stream key",
      { stream: { shard: 2 } },
      "`stream.shard` is not a known setting (did you mean `shards`?); known settings: mode, shards, retentionHours, fanOutConsumers, autoscaling, maxRecordSizeKiB, warmThroughputMiBps",
    ],
    ["api front", { api: { front: "nlb" } }, '`api.front` must be one of http-api, rest-api, alb, websocket, appsync, got "nlb"'],
    ["api auth", { api: { auth: "basic" } }, '`api.auth` must be one of none, token, iam, jwt, cognito, got "basic"'],
    [
      "jwt on a REST API",
      { api: { front: "rest-api", auth: "jwt", jwtIssuer: "https://id.example.com", jwtAudience: ["a"] } },
      "`api.auth` jwt needs `api.front` http-api, websocket or appsync (only HTTP APIs have a native JWT authorizer; a WebSocket API checks JWTs in its $connect authorizer; AppSync has OPENID_CONNECT), got rest-api",
    ],
    [
      "jwt without issuer",
      { api: { auth: "jwt" } },
      "`api.auth` jwt needs `api.jwtIssuer` (an https URL) and a non-empty `api.jwtAudience` list",
    ],
    [
      "iam on an ALB",
      { api: { front: "alb", auth: "iam" } },
      "`api.auth` iam needs `api.front` http-api or rest-api (an ALB cannot check SigV4 signatures), got alb",
    ],
    [
      "quota off REST",
      { api: { dailyQuota: 10 } },
      "`api.dailyQuota` needs `api.front` rest-api (usage plans exist only there), got http-api",
    ],
    ["rate limit type", { api: { rateLimit: "100" } }, '`api.rateLimit` must be an integer from 1 to 10000, got "100"'],
    [
      "authorizer cache",
      { api: { authorizerCacheSeconds: 3601 } },
      "`api.authorizerCacheSeconds` must be an integer from 0 to 3600, got 3601",
    ],
    [
      "handler required",
      { consumers: { forwarder: {} } },
      "`consumers.forwarder.handler` is required: one of forwarder, archiver, sqs, sns, eventbridge, stepfunctions, or a path to your module starting with ./ (.ts, .mts, .js, .mjs)",
    ],
    [
      "unknown handler",
      consumer({ handler: "printer" }),
      '`consumers.forwarder.handler` must be one of forwarder, archiver, sqs, sns, eventbridge, stepfunctions, or a path to your module starting with ./ (.ts, .mts, .js, .mjs), got "printer"',
    ],
    [
      "consumer name",
      { consumers: { Bad_Name: { handler: "forwarder" } } },
      "`consumers.Bad_Name`: a consumer name must be 1 to 40 lowercase letters, digits or dashes, starting with a letter",
    ],
    [
      "idempotency store",
      consumer({ idempotency: "redis" }),
      '`consumers.forwarder.idempotency` must be one of memory, dynamodb, none, got "redis"',
    ],
    [
      "idempotency as a boolean",
      consumer({ idempotency: true }),
      "`consumers.forwarder.idempotency` must be one of memory, dynamodb, none, got true",
    ],
    ["batch size 0", consumer({ batchSize: 0 }), "`consumers.forwarder.batchSize` must be an integer from 1 to 10000, got 0"],
    ["batch size 10001", consumer({ batchSize: 10001 }), "`consumers.forwarder.batchSize` must be an integer from 1 to 10000, got 10001"],
    ["batch size as string", consumer({ batchSize: "5" }), '`consumers.forwarder.batchSize` must be an integer from 1 to 10000, got "5"'],
    [
      "batching window 301",
      consumer({ batchWindowSeconds: 301 }),
      "`consumers.forwarder.batchWindowSeconds` must be an integer from 0 to 300, got 301",
    ],
    [
      "starting position",
      consumer({ startingPosition: "EARLIEST" }),
      '`consumers.forwarder.startingPosition` must be one of TRIM_HORIZON, LATEST, AT_TIMESTAMP, got "EARLIEST"',
    ],
    [
      "AT_TIMESTAMP needs a timestamp",
      consumer({ startingPosition: "AT_TIMESTAMP" }),
      "`consumers.forwarder.startingPositionTimestamp` is required when `consumers.forwarder.startingPosition` is AT_TIMESTAMP",
    ],
    [
      "timestamp without AT_TIMESTAMP",
      consumer({ startingPosition: "LATEST", startingPositionTimestamp: "2026-01-01T00:00:00Z" }),
      "`consumers.forwarder.startingPositionTimestamp` is only allowed when `consumers.forwarder.startingPosition` is AT_TIMESTAMP, got LATEST",
    ],
    [
      "timestamp format",
      consumer({ startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: "yesterday" }),
      '`consumers.forwarder.startingPositionTimestamp` must be an RFC 3339 date-time with seconds and a time zone, such as 2026-11-01T00:00:00Z, got "yesterday"',
    ],
    [
      "timestamp without seconds (the provider's RFC 3339 check refuses it)",
      consumer({ replayFrom: "2026-11-01T00:00Z" }),
      '`consumers.forwarder.replayFrom` must be an RFC 3339 date-time with seconds and a time zone, such as 2026-11-01T00:00:00Z, got "2026-11-01T00:00Z"',
    ],
    [
      "parallelization factor 0",
      consumer({ parallelizationFactor: 0 }),
      "`consumers.forwarder.parallelizationFactor` must be an integer from 1 to 10, got 0",
    ],
    [
      "parallelization factor 11",
      consumer({ parallelizationFactor: 11 }),
      "`consumers.forwarder.parallelizationFactor` must be an integer from 1 to 10, got 11",
    ],
    [
      'bisect is a boolean, not "yes"',
      consumer({ bisectOnError: "yes" }),
      '`consumers.forwarder.bisectOnError` must be true or false, got "yes"',
    ],
    [
      "record age 59",
      consumer({ maxRecordAgeSeconds: 59 }),
      "`consumers.forwarder.maxRecordAgeSeconds` must be -1, or an integer from 60 to 604800, got 59",
    ],
    [
      "record age 604801",
      consumer({ maxRecordAgeSeconds: 604801 }),
      "`consumers.forwarder.maxRecordAgeSeconds` must be -1, or an integer from 60 to 604800, got 604801",
    ],
    [
      "retries -2",
      consumer({ maxRetryAttempts: -2 }),
      "`consumers.forwarder.maxRetryAttempts` must be -1, or an integer from 0 to 10000, got -2",
    ],
    [
      "retries 10001",
      consumer({ maxRetryAttempts: 10001 }),
      "`consumers.forwarder.maxRetryAttempts` must be -1, or an integer from 0 to 10000, got 10001",
    ],
    [
      "tumbling window 901",
      consumer({ tumblingWindowSeconds: 901 }),
      "`consumers.forwarder.tumblingWindowSeconds` must be an integer from 0 to 900, got 901",
    ],
    [
      "tumbling window on the forwarder (Lambda guide: Using tumbling windows with Kinesis: a response without state fails)",
      consumer({ tumblingWindowSeconds: 60 }),
      "`consumers.forwarder.tumblingWindowSeconds` must be 0 for handler forwarder (with a tumbling window Lambda requires every response to carry `state`, which the forwarder does not return; build the consumer on createWindowedConsumer), got 60",
    ],
    [
      "reserved concurrency -1",
      consumer({ reservedConcurrency: -1 }),
      "`consumers.forwarder.reservedConcurrency` must be an integer from 0 to 1000, got -1",
    ],
    ["enabled is a boolean", consumer({ enabled: "false" }), '`consumers.forwarder.enabled` must be true or false, got "false"'],
    [
      "target URL",
      consumer({ targetUrl: "ftp://x" }),
      '`consumers.forwarder.targetUrl` must be an absolute https or http URL, got "ftp://x"',
    ],
    [
      "filter on data only",
      consumer({ filterPatterns: ['{"partitionKey":["a"]}'] }),
      '`consumers.forwarder.filterPatterns[0]` must be a JSON object string filtering on `data` only, such as {"data":{"type":["order"]}}, got "{\\"partitionKey\\":[\\"a\\"]}"',
    ],
    // The validator and the local engine agree on filter rules: the validator used to accept any object under `data`, which the local engine then refused.
    [
      "filter rules the mapping engine refuses",
      consumer({ filterPatterns: ['{"data":{"type":"order"}}'] }),
      '`consumers.forwarder.filterPatterns[0].data.type` must be a list of rules or a nested object pattern, got "order"',
    ],
    [
      "filter with an unknown operator",
      consumer({ filterPatterns: ['{"data":{"type":["order"]}}', '{"data":{"n":[{"between":[1,2]}]}}'] }),
      "`consumers.forwarder.filterPatterns[1].data.n[0]` uses unknown operator `between`; allowed: prefix, suffix, equals-ignore-case, anything-but, numeric, exists",
    ],
    [
      "at most 5 filters",
      consumer({ filterPatterns: Array(6).fill('{"data":{}}') }),
      "`consumers.forwarder.filterPatterns` must be a list of at most 5 items, got 6 items",
    ],
    [
      "request timeout leaves room for a retry",
      consumer({ timeoutSeconds: 3, requestTimeoutMs: 1250 }),
      "`consumers.forwarder.requestTimeoutMs` must leave room for a retry within the function timeout (2 × requestTimeoutMs + 500 ms < 3000 ms), got 1250",
    ],
    [
      "fan-out consumer must be registered",
      consumer({ fanOutConsumer: "efo" }),
      '`consumers.forwarder.fanOutConsumer` must be one of (none: `stream.fanOutConsumers` is empty), got "efo"',
    ],
    [
      "unknown consumer key, with a suggestion",
      consumer({ batchSzie: 10 }),
      "`consumers.forwarder.batchSzie` is not a known setting (did you mean `batchSize`?); known settings: handler, targetUrl, batchSize, batchWindowSeconds, startingPosition, startingPositionTimestamp, parallelizationFactor, bisectOnError, maxRecordAgeSeconds, maxRetryAttempts, reservedConcurrency, enabled, tumblingWindowSeconds, filterPatterns, dropCanaryRecords, memoryMb, timeoutSeconds, requestTimeoutMs, fanOutConsumer, replayFrom, environment, permissions, tables, idempotency, parameters, layers, kmsKeyArn, poisonRecords, maxRecordAttempts, compression, bucketName, archivePrefix, archiveRetentionDays, delivery, maxBatchRecords, maxBatchBytes, targetArn, fifo, eventBus, source, detailType, definition, workflowType",
    ],
    [
      "log retention",
      { observability: { logRetentionDays: 10 } },
      "`observability.logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
    ],
    ["alarm e-mail", { observability: { alarmEmail: "oncall" } }, '`observability.alarmEmail` must be an e-mail address, got "oncall"'],
    [
      "api tokens too short, value not echoed",
      { apiTokens: ["hunter2"] },
      "`apiTokens` must be a non-empty JSON list of tokens of 16 to 512 letters, digits or `-._~+/` (value not shown: it is secret)",
    ],
    [
      "api tokens a bearer header cannot carry",
      { apiTokens: ["s3cr3t:token!2025-abcdef"] },
      "`apiTokens` must be a non-empty JSON list of tokens of 16 to 512 letters, digits or `-._~+/` (value not shown: it is secret)",
    ],
    [
      "consumer secret for no consumer",
      { consumerSecrets: { printer: {} } },
      "`consumerSecrets.printer` names no consumer; consumers: (none)",
    ],
  ];

  for (const [rule, raw, message] of rules) {
    it(`rejects ${rule}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("reports every problem at once, each naming its key path", () => {
    const problems = problemsOf({ stream: { shards: 0 }, ...consumer({ batchSize: 0, parallelizationFactor: 12 }) });
    expect(problems).to.have.length(3);
    expect(problems.map((p) => p.split("`")[1])).to.deep.equal([
      "stream.shards",
      "consumers.forwarder.batchSize",
      "consumers.forwarder.parallelizationFactor",
    ]);
  });

  it("fills defaults with ??, so an explicit 0 or false is kept", () => {
    const config = validateStackConfig(consumer({ batchWindowSeconds: 0, bisectOnError: false, reservedConcurrency: 0 }));
    expect(config.consumers.forwarder).to.deep.equal({
      name: "forwarder",
      handler: "forwarder",
      startingPosition: "LATEST",
      timeoutSeconds: 30,
      requestTimeoutMs: 5000,
      fanOutConsumer: undefined,
      targetUrl: undefined,
      archive: undefined,
      batchSize: 100,
      batchWindowSeconds: 0,
      startingPositionTimestamp: undefined,
      parallelizationFactor: 1,
      bisectOnError: false,
      maxRecordAgeSeconds: 3600,
      maxRetryAttempts: 3,
      reservedConcurrency: 0,
      enabled: true,
      tumblingWindowSeconds: 0,
      filterPatterns: [],
      memoryMb: 256,
      replayFrom: undefined,
      environment: {},
      permissions: [],
      tables: {},
      parameters: {},
      layers: [],
      kmsKeyArn: undefined,
      idempotency: "memory",
      poisonRecords: "isolate",
      maxRecordAttempts: 3,
      delivery: "record",
    });
    expect(config.stream).to.deep.equal({
      mode: "provisioned",
      shards: 1,
      retentionHours: 24,
      fanOutConsumers: [],
      maxRecordSizeKiB: 1024,
    });
  });

  it("accepts the boundary values AWS allows", () => {
    expect(
      problemsOf(
        consumer({ batchSize: 10000, batchWindowSeconds: 300, parallelizationFactor: 10, maxRecordAgeSeconds: -1, maxRetryAttempts: -1 }),
      ),
    ).to.deep.equal([]);
    expect(
      problemsOf(
        consumer({
          batchSize: 1,
          maxRecordAgeSeconds: 60,
          maxRetryAttempts: 0,
          startingPosition: "AT_TIMESTAMP",
          startingPositionTimestamp: "2026-11-01T00:00:00Z",
        }),
      ),
    ).to.deep.equal([]);
    expect(problemsOf({ stream: { retentionHours: 8760 } })).to.deep.equal([]);
  });

  it("accepts encrypted secrets read from a stack file without decrypting them", () => {
    expect(problemsOf({ apiTokens: { secure: "v1:abc" }, ...consumer(), consumerSecrets: { secure: "v1:def" } })).to.deep.equal([]);
  });
});

describe("config: readers", () => {
  it("loads both committed stacks", () => {
    const dev = loadStackFile("dev");
    const prod = loadStackFile("prod");
    expect([dev.stream.shards, dev.api.front, dev.consumers.forwarder!.parallelizationFactor]).to.deep.equal([1, "http-api", 1]);
    expect([prod.stream.shards, prod.api.front, prod.consumers.forwarder!.parallelizationFactor]).to.deep.equal([4, "rest-api", 4]);
  });

  it("names the stack file in the error of an invalid stack", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ki-config-"));
    writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  kinesis-ingest:stream:\n    shards: 0\n  aws:region: eu-west-1\n");
    expect(() => loadStackFile("bad", dir)).to.throw(
      ConfigValidationError,
      "Pulumi.bad.yaml has 1 problem:\n  - `stream.shards` must be an integer from 1 to 10000, got 0",
    );
  });

  it("reads Pulumi's flat JSON config map, ignoring other namespaces", () => {
    const raw = fromPulumiConfig({
      "kinesis-ingest:stream": '{"shards":3}',
      "kinesis-ingest:apiTokens": "not-json",
      "aws:region": "eu-west-1",
    });
    expect(raw).to.deep.equal({ stream: { shards: 3 }, apiTokens: "not-json" });
  });

  it("reads a value `pulumi config set KEY '<json>'` stored as JSON text as the program does", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ki-config-"));
    const text = [
      "config:",
      "  aws:region: eu-west-1",
      `  kinesis-ingest:apiTokens: '["tok-0123456789abcdef"]'`,
      `  kinesis-ingest:stream: '{"shards":2}'`,
      "  kinesis-ingest:api:",
      "    jwtIssuer: https://issuer.example.com",
      "",
    ].join("\n");
    writeFileSync(path.join(dir, "Pulumi.text.yaml"), text);
    const fromFile = readStackFile("text", dir);
    expect(fromFile).to.deep.equal(
      fromPulumiConfig({
        "kinesis-ingest:apiTokens": '["tok-0123456789abcdef"]',
        "kinesis-ingest:stream": '{"shards":2}',
        "kinesis-ingest:api": '{"jwtIssuer":"https://issuer.example.com"}',
      }),
    );
    expect(loadStackFile("text", dir).stream.shards).to.equal(2);
  });
});
