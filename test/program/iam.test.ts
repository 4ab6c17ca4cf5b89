/**
 * IAM, statement by statement: each function's inline policy is parsed and compared whole, and every
 * policy of every front and auth mode is checked for wildcard actions and `Resource: "*"` (allowed only
 * for X-Ray, which has no resource-level permissions: IAM Service Authorization Reference, AWS X-Ray).
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runCommittedStack, runStack, type RecordedResource } from "./harness";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const R = "eu-west-1";
const A = "123456789012";

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

function statements(resources: readonly RecordedResource[], name: string): Statement[] {
  const document = JSON.parse(named(resources, ROLE_POLICY, name).inputs.policy as string) as { Version: string; Statement: Statement[] };
  expect(document.Version).to.equal("2012-10-17");
  return document.Statement;
}

const logs = (stack: string, fn: string): Statement => ({
  Sid: "WriteOwnLogs",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: [`arn:aws:logs:${R}:${A}:log-group:/aws/lambda/kinesis-ingest-${stack}-${fn}:*`],
});
const XRAY: Statement = {
  Sid: "XRayTraces",
  Effect: "Allow",
  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  Resource: ["*"],
};
const streamArn = (stack: string) => `arn:aws:kinesis:${R}:${A}:stream/kinesis-ingest-${stack}`;
const secretArn = (name: string) => `arn:aws:secretsmanager:${R}:${A}:secret:${name}-secret-a1b2c3d-a1b2c3`;
const writeStream = (stack: string): Statement => ({
  Sid: "WriteStream",
  Effect: "Allow",
  Action: ["kinesis:PutRecords"],
  Resource: [streamArn(stack)],
});
const readTokens: Statement = {
  Sid: "ReadSecretApiTokens",
  Effect: "Allow",
  Action: ["secretsmanager:GetSecretValue"],
  Resource: [secretArn("api-tokens")],
};

function consumerStatements(stack: string, consumer: string): Statement[] {
  return [
    logs(stack, consumer),
    XRAY,
    {
      Sid: "ReadStream",
      Effect: "Allow",
      Action: [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
      ],
      Resource: [streamArn(stack)],
    },
    {
      Sid: "SendToOnFailureQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: [`arn:aws:sqs:${R}:${A}:kinesis-ingest-${stack}-${consumer}-dlq`],
    },
    { Sid: "ReadSecretConfig", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn(`${consumer}-config`)] },
  ];
}

/** Every statement of every inline policy: no wildcard action, `*` only for X-Ray, Allow only. */
function expectLeastPrivilege(resources: readonly RecordedResource[]): void {
  const policies = ofType(resources, ROLE_POLICY);
  expect(policies.length).to.be.greaterThan(0);
  for (const policy of policies) {
    for (const s of statements(resources, policy.name)) {
      expect(s.Effect, `${policy.name} ${s.Sid}`).to.equal("Allow");
      for (const action of s.Action) expect(action, `${policy.name} ${s.Sid}`).to.match(/^[a-z0-9-]+:[A-Za-z]+$/);
      if (s.Resource.includes("*")) expect(s, `${policy.name}: Resource "*" outside X-Ray`).to.deep.equal(XRAY);
      for (const arn of s.Resource.filter((r) => r !== "*")) expect(arn, `${policy.name} ${s.Sid}`).to.match(/^arn:aws:[a-z0-9-]+:/);
    }
  }
  // No managed policies (no *FullAccess), no standalone policies: only per-function inline ones.
  expect(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.deep.equal([]);
  expect(ofType(resources, "aws:iam/policy:Policy")).to.deep.equal([]);
}

describe("program: IAM", () => {
  describe("dev stack", () => {
    let resources: RecordedResource[];
    before(async () => ({ resources } = await runCommittedStack("dev")));

    it("ingest: its logs, X-Ray, PutRecords on the stream", () => {
      expect(statements(resources, "api-ingest-policy")).to.deep.equal([logs("dev", "ingest"), XRAY, writeStream("dev")]);
    });

    it("authorizer: its logs, X-Ray, GetSecretValue on the token secret only", () => {
      expect(statements(resources, "api-authorizer-policy")).to.deep.equal([logs("dev", "authorizer"), XRAY, readTokens]);
    });

    it("forwarder: its logs, X-Ray, stream reads, its queue, its own secret", () => {
      expect(statements(resources, "consumer-forwarder-fn-policy")).to.deep.equal(consumerStatements("dev", "forwarder"));
    });

    it("every role is assumable by Lambda only, with one inline policy and nothing attached", () => {
      const roles = ofType(resources, "aws:iam/role:Role");
      expect(roles.map((r) => r.name).sort()).to.deep.equal([
        "api-authorizer-role",
        "api-ingest-role",
        "consumer-forwarder-fn-role",
        "consumer-s3-archive-fn-role",
      ]);
      for (const role of roles) {
        expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
      }
      expect(
        ofType(resources, ROLE_POLICY)
          .map((p) => p.inputs.role)
          .sort(),
      ).to.deep.equal(roles.map((r) => `${r.name}-id`).sort());
      expectLeastPrivilege(resources);
    });
  });

  describe("prod stack", () => {
    let resources: RecordedResource[];
    before(async () => ({ resources } = await runCommittedStack("prod")));

    it("each consumer reads only its own queue and its own secret", () => {
      expect(statements(resources, "consumer-forwarder-fn-policy")).to.deep.equal(consumerStatements("prod", "forwarder"));
      expect(statements(resources, "consumer-archiver-fn-policy")).to.deep.equal(consumerStatements("prod", "archiver"));
    });

    it("ingest and authorizer as in dev, on the prod stream and secret", () => {
      expect(statements(resources, "api-ingest-policy")).to.deep.equal([logs("prod", "ingest"), XRAY, writeStream("prod")]);
      expect(statements(resources, "api-authorizer-policy")).to.deep.equal([logs("prod", "authorizer"), XRAY, readTokens]);
      expectLeastPrivilege(resources);
    });
  });

  it("ALB with token auth: the ingest function itself reads the token secret; there is no authorizer", async () => {
    const raw = { ...readStackFile("dev"), api: { front: "alb", auth: "token", allowPlaintext: true } };
    const { resources } = await runStack(raw, { stack: "dev" });
    expect(statements(resources, "api-ingest-policy")).to.deep.equal([logs("dev", "ingest"), XRAY, writeStream("dev"), readTokens]);
    expect(ofType(resources, ROLE_POLICY).map((p) => p.name)).to.not.include("api-authorizer-policy");
    expectLeastPrivilege(resources);
  });

  it("a consumer on enhanced fan-out may subscribe through exactly that consumer", async () => {
    const raw = structuredClone(readStackFile("dev")) as Record<string, unknown>;
    const consumers = raw.consumers as Record<string, Record<string, unknown>>;
    raw.stream = { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers: ["efo"] };
    consumers.forwarder = { ...consumers.forwarder, fanOutConsumer: "efo" };
    const { resources } = await runStack(raw, { stack: "dev" });
    const [logsStatement, xray, read, queue, secret] = consumerStatements("dev", "forwarder");
    expect(statements(resources, "consumer-forwarder-fn-policy")).to.deep.equal([
      logsStatement,
      xray,
      read,
      queue,
      {
        Sid: "ReadFanOutConsumer",
        Effect: "Allow",
        Action: ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
        Resource: [`${streamArn("dev")}/consumer/efo:1700000000`],
      },
      secret,
    ]);
    expectLeastPrivilege(resources);
  });

  for (const [front, auth] of [
    ["http-api", "none"],
    ["http-api", "iam"],
    ["http-api", "jwt"],
    ["rest-api", "iam"],
    ["alb", "none"],
  ] as const) {
    it(`${front} with ${auth} auth: no token secret is read by anyone, no wildcard anywhere`, async () => {
      const api = auth === "jwt" ? { front, auth, jwtIssuer: "https://issuer.example.com/", jwtAudience: ["ingest"] } : { front, auth };
      const { resources } = await runStack({ ...readStackFile("dev"), api }, { stack: "dev" });
      expect(statements(resources, "api-ingest-policy")).to.deep.equal([logs("dev", "ingest"), XRAY, writeStream("dev")]);
      expectLeastPrivilege(resources);
    });
  }
});
