/**
 * The keys and cross-checks that keep `pulumi up` from failing in a real account: API Gateway access logs and
 * the account CloudWatch role (API Gateway guide, "Set up CloudWatch logging for REST APIs"), the ALB's ACM
 * certificate and network (ELB guide, "HTTPS listeners"), replay windows against retention and record age
 * (Lambda guide, "Kinesis event source mapping parameters": warnings, never problems), one mapping per registered consumer (Kinesis API
 * reference, SubscribeToShard). One test per message.
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import type { ValidateOptions } from "../../config/validate";

type Raw = Record<string, unknown>;
const forwarder = { handler: "forwarder" };
const NOW = Date.parse("2026-03-01T12:00:00Z");

function problems(raw: Raw, options: ValidateOptions = { stack: "dev", now: () => NOW }): string[] {
  try {
    validateStackConfig({ consumers: { forwarder }, ...raw }, "test", options);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
}

/** What the validator warns about a valid configuration, at `now`. */
function warnings(raw: Raw, now = NOW): string[] {
  const said: string[] = [];
  validateStackConfig({ consumers: { forwarder }, ...raw }, "test", {
    stack: "dev",
    now: () => now,
    warn: (message) => said.push(message),
  });
  return said;
}

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

describe("config: deploy settings of the fronts", () => {
  it("defaults: access logs on, no account role, no certificate, no plaintext, the default VPC", () => {
    const api = validateStackConfig({ consumers: { forwarder } }).api;
    expect([
      api.accessLogs,
      api.createApiGatewayAccountRole,
      api.certificateArn,
      api.allowPlaintext,
      api.subnetIds,
      api.vpcId,
    ]).to.deep.equal([true, false, undefined, false, undefined, undefined]);
  });

  it("accepts a REST front owning its account role, and an HTTPS ALB in a configured VPC", () => {
    expect(problems({ api: { front: "rest-api", createApiGatewayAccountRole: true } })).to.deep.equal([]);
    expect(
      problems({
        api: {
          front: "alb",
          certificateArn: CERT,
          subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
          vpcId: "vpc-0a1b2c3d",
        },
      }),
    ).to.deep.equal([]);
  });

  const cases: [string, Raw, string][] = [
    ["accessLogs is a boolean", { api: { accessLogs: "no" } }, '`api.accessLogs` must be true or false, got "no"'],
    [
      "accessLogs is not an ALB setting",
      { api: { front: "alb", auth: "none", accessLogs: false } },
      "`api.accessLogs` applies to the API Gateway fronts (http-api, rest-api); the alb front always writes its access logs to S3, got `api.front` alb",
    ],
    [
      "the account role is for REST stages that log",
      { api: { front: "rest-api", accessLogs: false, createApiGatewayAccountRole: true } },
      "`api.createApiGatewayAccountRole` applies only to `api.front` rest-api or websocket with `api.accessLogs` true (the account's CloudWatch role is what REST and WebSocket stage logging needs), got `api.front` rest-api and `api.accessLogs` false",
    ],
    [
      "a certificate ARN is an ACM ARN",
      { api: { front: "alb", certificateArn: "arn:aws:iam::123456789012:server-certificate/x" } },
      '`api.certificateArn` must be an ACM certificate ARN, arn:aws:acm:<region>:<12-digit account>:certificate/<id>, got "arn:aws:iam::123456789012:server-certificate/x"',
    ],
    [
      "a certificate is an ALB setting",
      { api: { front: "http-api", certificateArn: CERT } },
      "`api.certificateArn` applies only to `api.front` alb, got http-api",
    ],
    [
      "token auth on an ALB needs HTTPS",
      { api: { front: "alb", auth: "token" } },
      "`api.front` alb with `api.auth` token needs `api.certificateArn` (an ACM certificate: HTTPS on 443, port 80 redirected): without one, bearer tokens cross the network in clear; set `api.allowPlaintext` true to accept that (never for stack prod)",
    ],
    [
      "plaintext contradicts a certificate",
      { api: { front: "alb", certificateArn: CERT, allowPlaintext: true } },
      "`api.allowPlaintext` contradicts `api.certificateArn`: with a certificate the load balancer serves HTTPS only; remove `api.allowPlaintext`",
    ],
    [
      "subnets need a VPC",
      { api: { front: "alb", auth: "none", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] } },
      "`api.subnetIds` and `api.vpcId` go together: set both (the VPC and its subnets), or neither for the region's default VPC",
    ],
    [
      "at least two different subnets",
      { api: { front: "alb", auth: "none", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"], vpcId: "vpc-0a1b2c3d" } },
      '`api.subnetIds` must list at least 2 different subnets (an ALB needs subnets in 2 Availability Zones), got ["subnet-0123456789abcdef0","subnet-0123456789abcdef0"]',
    ],
    [
      "a subnet id",
      { api: { front: "alb", auth: "none", subnetIds: ["subnet-0123456789abcdef0", "sn-1"], vpcId: "vpc-0a1b2c3d" } },
      '`api.subnetIds[1]` must be a subnet id, subnet- and 8 to 17 hex digits, got "sn-1"',
    ],
    [
      "a VPC id",
      { api: { front: "alb", auth: "none", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], vpcId: "default" } },
      '`api.vpcId` must be a VPC id, vpc- and 8 to 17 hex digits, got "default"',
    ],
  ];
  for (const [what, raw, message] of cases) {
    it(`${what}: ${message.slice(0, 60)}...`, () => expect(problems(raw)).to.deep.equal([message]));
  }

  it("plaintext is refused for the stack named prod, and allowed for dev", () => {
    const raw = { api: { front: "alb", auth: "token", allowPlaintext: true } };
    expect(problems(raw, { stack: "prod" })).to.deep.equal([
      "`api.allowPlaintext` is refused for the stack named prod: bearer tokens and payloads would cross the network in clear; set `api.certificateArn`",
    ]);
    expect(problems(raw, { stack: "dev" })).to.deep.equal([]);
  });
});

describe("config: replay windows and fan-out consumers", () => {
  const replay = (replayFrom: string, extra: Raw = {}) => ({ consumers: { forwarder: { ...forwarder, replayFrom, ...extra } } });

  it("a replayFrom within the retention is accepted", () => {
    expect(problems(replay("2026-03-01T00:00:00Z"))).to.deep.equal([]);
  });

  // Both come true with time alone: a refusal would fail every later preview of a stack nobody changed.
  it("a replayFrom older than the stream's retention is accepted with a warning naming both values and the way out", () => {
    expect(problems(replay("2026-02-28T11:00:00Z"))).to.deep.equal([]);
    expect(warnings(replay("2026-02-28T11:00:00Z"))).to.deep.equal([
      "`consumers.forwarder.replayFrom` 2026-02-28T11:00:00Z is 25.0 hours ago, older than the stream keeps records (`stream.retentionHours` 24): " +
        "the replay mapping starts at the oldest record kept; if its replay has run, remove the key (that deletes the replay mapping); " +
        "for a new replay pick a time within the last 24 hours",
    ]);
  });

  it("a replayFrom older than the replay mapping's longest bounded record age (604800 s) is accepted with a warning, even within a longer retention", () => {
    const raw = { ...replay("2026-02-20T12:00:00Z"), stream: { retentionHours: 720 } };
    expect(problems(raw)).to.deep.equal([]);
    expect(warnings(raw)).to.deep.equal([
      "`consumers.forwarder.replayFrom` 2026-02-20T12:00:00Z is 216.0 hours ago, older than a replay mapping reads: its `MaximumRecordAgeInSeconds` is at most 604800 s " +
        "(168 hours, Lambda's bound), so older records go to the on-failure queue; if its replay has run, remove the key (that deletes the replay mapping); " +
        "replay older windows with `kinesis-ingest replay`",
    ]);
  });

  it("the clock is injectable: the same window has no warning a day earlier", () => {
    expect(warnings(replay("2026-02-28T11:00:00Z"), NOW - 86_400_000)).to.deep.equal([]);
  });

  it("two consumers naming the same fan-out consumer are refused (SubscribeToShard: one subscription per consumer and shard)", () => {
    const raw = {
      stream: { fanOutConsumers: ["efo"] },
      consumers: { forwarder: { ...forwarder, fanOutConsumer: "efo" }, archiver: { ...forwarder, fanOutConsumer: "efo" } },
    };
    expect(problems(raw)).to.deep.equal([
      "`consumers.forwarder.fanOutConsumer` and `consumers.archiver.fanOutConsumer` name the same fan-out consumer efo: Kinesis keeps one SubscribeToShard " +
        "subscription per consumer and shard, so the mappings would take each other's shards over; give each its own entry in `stream.fanOutConsumers`",
    ]);
  });

  it("the replay mapping's own fan-out consumer may not collide with a listed one", () => {
    const raw = { stream: { fanOutConsumers: ["efo", "efo-replay"] }, ...replay("2026-03-01T00:00:00Z", { fanOutConsumer: "efo" }) };
    expect(problems(raw)).to.deep.equal([
      "`consumers.forwarder.replayFrom` registers fan-out consumer efo-replay for its replay mapping, which `stream.fanOutConsumers` already lists: rename that entry",
    ]);
  });

  it("the replay mapping's fan-out consumer counts against the stream's 20 registered consumers", () => {
    const fanOut = Array.from({ length: 20 }, (_, i) => `efo${i}`);
    expect(problems({ stream: { fanOutConsumers: fanOut }, ...replay("2026-03-01T00:00:00Z", { fanOutConsumer: "efo0" }) })).to.deep.equal([
      "`stream.fanOutConsumers` (20) and the replay mappings' own fan-out consumers (1) make 21 registered consumers; a stream has at most 20",
    ]);
  });
});
