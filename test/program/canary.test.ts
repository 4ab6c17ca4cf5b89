/**
 * The plan of `observability.canary` under mocks (components/canary.ts): the canary (name, runtime, schedule,
 * script archive, environment), its role's grants per auth mode, the token secret accepting the canary's own
 * token, the canary's secret, the alarm on `SuccessPercent`; and nothing of it by default.
 */
import { expect } from "chai";
import { unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { canaryToken } from "../../components/canary-token";
import { checkedNames } from "../../config/name-checks";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { tokenHash } from "../../handlers/lib/bearer-token";
import { isSecretInput, named, ofType, runStack, type RecordedResource } from "./harness";

const CANARY = "aws:synthetics/canary:Canary";
const TOKENS = ["producer-token-000000001"];

const canaryOf = (resources: RecordedResource[]) => named(resources, CANARY, "canary-synthetics").inputs;
const policyOf = (resources: RecordedResource[]) =>
  JSON.parse(named(resources, "aws:iam/rolePolicy:RolePolicy", "canary-policy").inputs.policy as string) as {
    Statement: Array<{ Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }>;
  };
const secretValue = (resources: RecordedResource[], name: string) => {
  const version = named(resources, "aws:secretsmanager/secretVersion:SecretVersion", name).inputs;
  expect(isSecretInput(version.secretString)).to.equal(true);
  return JSON.parse((version.secretString as { value: string }).value) as Record<string, unknown>;
};

describe("canary plan", () => {
  it("is off by default", async () => {
    const { resources } = await runStack({ api: { auth: "none" } });
    expect(ofType(resources, CANARY)).to.deep.equal([]);
  });

  it("runs the bundled script on its schedule against the front, with a token of its own the token secret accepts", async () => {
    const { resources } = await runStack({ apiTokens: TOKENS, observability: { canary: { scheduleMinutes: 1 } } });
    const canary = canaryOf(resources);
    expect(canary).to.deep.include({
      name: "kinesis-ingest-dev-canary",
      runtimeVersion: "syn-nodejs-puppeteer-15.0",
      handler: "kinesis-ingest-canary.handler",
      schedule: { expression: "rate(1 minute)" },
      startCanary: true,
      deleteLambda: true,
      successRetentionPeriod: 31,
      failureRetentionPeriod: 31,
    });
    expect(canary.artifactS3Location).to.match(/^s3:\/\/canary-artifacts-.+\/$/);
    const entries = unzipSync(readFileSync(canary.zipFile as string));
    expect(Object.keys(entries)).to.deep.equal(["nodejs/node_modules/kinesis-ingest-canary.js"]);
    const run = canary.runConfig as { timeoutInSeconds: number; environmentVariables: Record<string, string> };
    expect(run.timeoutInSeconds).to.equal(60);
    expect(run.environmentVariables).to.include({ STACK: "dev", CANARY_AUTH: "token" });
    expect(run.environmentVariables.API_URL).to.match(/^https:\/\/.+\.execute-api\.eu-west-1\.amazonaws\.com$/);
    expect(run.environmentVariables.CANARY_SECRET_ID).to.match(/^arn:aws:secretsmanager:/);

    const token = canaryToken(TOKENS, "dev");
    expect(secretValue(resources, "canary-value")).to.deep.equal({ token });
    expect(secretValue(resources, "api-tokens-value")).to.deep.equal({ tokenHashes: [...TOKENS, token].map((t) => tokenHash(t)) });
  });

  it("grants its artifacts, its logs, the Synthetics metrics by namespace and its secret; iam adds POST /records only", async () => {
    const token = policyOf((await runStack({ apiTokens: TOKENS, observability: { canary: {} } })).resources);
    expect(token.Statement.map((s) => s.Sid)).to.deep.equal([
      "WriteArtifacts",
      "LocateArtifactBucket",
      "WriteCanaryLogs",
      "CanaryMetrics",
      "XRayTraces",
      "ReadSecretCanary",
    ]);
    const logs = token.Statement.find((s) => s.Sid === "WriteCanaryLogs")!;
    expect(logs.Resource[0]).to.match(/^arn:aws:logs:eu-west-1:\d+:log-group:\/aws\/lambda\/cwsyn-kinesis-ingest-dev-canary-\*$/);
    expect(token.Statement.find((s) => s.Sid === "CanaryMetrics")!.Condition).to.deep.equal({
      StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" },
    });

    const { resources } = await runStack({ api: { auth: "iam" }, observability: { canary: {} } });
    const iam = policyOf(resources);
    const invoke = iam.Statement.find((s) => s.Sid === "InvokePostRecords")!;
    expect(invoke.Resource[0]).to.match(/^arn:aws:execute-api:eu-west-1:\d+:[a-z0-9-]+\/\*\/POST\/records$/);
    expect(iam.Statement.map((s) => s.Sid)).to.not.include("ReadSecretCanary");
    expect(ofType(resources, "aws:secretsmanager/secret:Secret")).to.deep.equal([]);
  });

  it("creates the auto-named resources config/name-checks.ts checks", async () => {
    const { resources } = await runStack({ apiTokens: TOKENS, observability: { canary: {} } });
    const predicted = checkedNames({
      stack: "dev",
      front: "http-api",
      auth: "token",
      createApiGatewayAccountRole: false,
      fanOutConsumers: [],
      consumers: [],
      canary: true,
    })
      .filter((n) => n.autoNamed && n.name.startsWith("canary-"))
      .map((n) => `${n.name}-a1b2c3d`)
      .sort();
    const created = resources
      .filter(
        (r) =>
          r.name.startsWith("canary-") &&
          [
            "aws:iam/role:Role",
            "aws:secretsmanager/secret:Secret",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:s3/bucket:Bucket",
          ].includes(r.type),
      )
      .map((r) => (r.outputs as { name?: string; bucket?: string }).name ?? (r.outputs as { bucket: string }).bucket)
      .sort();
    expect(created).to.deep.equal(predicted);
  });

  it("passes the policy pack on every auth mode it supports", async () => {
    for (const api of [{ auth: "token" }, { auth: "iam" }, { front: "rest-api", auth: "none" }]) {
      const { resources } = await runStack({ api, apiTokens: TOKENS, observability: { canary: {} } });
      expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
    }
  });

  it("hands the REST API's usage plan key to the canary", async () => {
    const { resources } = await runStack({ api: { front: "rest-api", auth: "none" }, observability: { canary: {} } });
    expect(Object.keys(secretValue(resources, "canary-value"))).to.deep.equal(["apiKey"]);
  });

  it("alarms when fewer runs than successPercentAlarm pass in a period, and when the canary stops", async () => {
    const { resources } = await runStack({
      api: { auth: "none" },
      observability: { alarmEmail: "ops@example.com", canary: { scheduleMinutes: 10, successPercentAlarm: 100 } },
    });
    expect(named(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "canary-success").inputs).to.deep.include({
      namespace: "CloudWatchSynthetics",
      metricName: "SuccessPercent",
      dimensions: { CanaryName: "kinesis-ingest-dev-canary" },
      statistic: "Average",
      threshold: 100,
      comparisonOperator: "LessThanThreshold",
      period: 600,
      treatMissingData: "breaching",
    });
    expect(canaryOf(resources).schedule).to.deep.equal({ expression: "rate(10 minutes)" });
  });
});
