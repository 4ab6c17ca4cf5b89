/**
 * The program as a whole: `index.ts` under Pulumi config, validation before any resource, the stream, the
 * alarms and their topic, the dashboard, the component tree (`kinesis-ingest:<area>:<Type>` type tokens, each
 * child parented to its component: Pulumi "Component resources",
 * https://www.pulumi.com/docs/iac/concepts/resources/components/) and the stack outputs. Kinesis developer
 * guide ("Quotas and limits", "Data protection"); CloudWatch alarm docs.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runIndex, runCommittedStack, runStack, type ProgramRun, type RecordedResource } from "./harness";

const R = "eu-west-1";
const A = "123456789012";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("program: composition", () => {
  let dev: ProgramRun;
  let prod: ProgramRun;
  before(async () => {
    dev = await runCommittedStack("dev");
    prod = await runCommittedStack("prod");
  });

  describe("index.ts", () => {
    it("reads the kinesis-ingest:* config Pulumi hands it and exports the stack outputs", async () => {
      const { outputs, resources } = await runIndex(readStackFile("dev"), { stack: "dev" });
      expect(outputs).to.deep.equal({
        apiUrl: "https://api-http-id.execute-api.eu-west-1.amazonaws.com",
        streamName: "kinesis-ingest-dev",
        streamArn: `arn:aws:kinesis:${R}:${A}:stream/kinesis-ingest-dev`,
        consumers: {
          forwarder: {
            functionName: "kinesis-ingest-dev-forwarder",
            dlqUrl: `https://sqs.${R}.amazonaws.com/${A}/kinesis-ingest-dev-forwarder-dlq`,
          },
          "s3-archive": {
            functionName: "kinesis-ingest-dev-s3-archive",
            dlqUrl: `https://sqs.${R}.amazonaws.com/${A}/kinesis-ingest-dev-s3-archive-dlq`,
          },
        },
        archiveBucket: "kinesis-ingest-dev-archive-bucket-a1b2c3d",
        secretArns: {
          apiTokens: `arn:aws:secretsmanager:${R}:${A}:secret:api-tokens-secret-a1b2c3d-a1b2c3`,
          forwarder: `arn:aws:secretsmanager:${R}:${A}:secret:forwarder-config-secret-a1b2c3d-a1b2c3`,
        },
      });
      expect(resources.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(dev.resources.map((r) => `${r.type} ${r.name}`).sort());
    });

    it("fails with a RunError listing every problem, before creating any resource", async () => {
      const raw = { ...readStackFile("dev"), stream: { mode: "provisioned", shards: 0, retentionHours: 10 } };
      let error: unknown;
      try {
        await runIndex(raw, { stack: "dev" });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(pulumi.RunError);
      const message = (error as Error).message;
      expect(message).to.match(/^stack dev has 2 problems:\n/);
      expect(
        message
          .split("\n")
          .filter((line) => line.startsWith("  - "))
          .map((line) => line.slice(4, 20)),
      ).to.deep.equal(["`stream.shards` ", "`stream.retentio"]);
    });
  });

  describe("stream", () => {
    it("dev: one provisioned shard, 24 h, KMS with the AWS-managed key", () => {
      expect(named(dev.resources, "aws:kinesis/stream:Stream", "stream-stream").inputs).to.deep.equal({
        name: "kinesis-ingest-dev",
        shardCount: 1,
        streamModeDetails: { streamMode: "PROVISIONED" },
        retentionPeriod: 24,
        encryptionType: "KMS",
        kmsKeyId: "alias/aws/kinesis",
        shardLevelMetrics: ["IncomingBytes", "IncomingRecords", "WriteProvisionedThroughputExceeded", "IteratorAgeMilliseconds"],
        maxRecordSizeInKib: 1024,
      });
    });

    it("prod: four shards, a week of retention", () => {
      expect(named(prod.resources, "aws:kinesis/stream:Stream", "stream-stream").inputs).to.deep.include({
        shardCount: 4,
        retentionPeriod: 168,
        encryptionType: "KMS",
      });
    });

    it("on-demand: no shard count", async () => {
      const { resources } = await runStack(
        { ...readStackFile("dev"), stream: { mode: "on-demand", retentionHours: 48 } },
        { stack: "dev" },
      );
      const stream = named(resources, "aws:kinesis/stream:Stream", "stream-stream").inputs;
      expect(stream).to.not.have.property("shardCount");
      expect(stream).to.deep.include({ streamModeDetails: { streamMode: "ON_DEMAND" }, retentionPeriod: 48 });
    });
  });

  describe("alarms", () => {
    function alarm(resources: readonly RecordedResource[], name: string): Record<string, unknown> {
      return named(resources, ALARM, name).inputs;
    }

    it("dev: stream and consumer alarms exist without actions (no alarm e-mail configured), and no topic", () => {
      expect(
        ofType(dev.resources, ALARM)
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal([
        "consumer-forwarder-dlq-depth",
        "consumer-forwarder-errors",
        "consumer-forwarder-iterator-age",
        "consumer-s3-archive-dlq-depth",
        "consumer-s3-archive-errors",
        "consumer-s3-archive-iterator-age",
        "stream-iterator-age",
        "stream-write-throttled",
      ]);
      for (const a of ofType(dev.resources, ALARM)) expect([a.name, a.inputs.alarmActions]).to.deep.equal([a.name, []]);
      expect(ofType(dev.resources, "aws:sns/topic:Topic")).to.deep.equal([]);
      expect(alarm(dev.resources, "stream-iterator-age")).to.deep.include({
        namespace: "AWS/Kinesis",
        metricName: "GetRecords.IteratorAgeMilliseconds",
        statistic: "Maximum",
        threshold: 300_000,
        dimensions: { StreamName: "kinesis-ingest-dev" },
        comparisonOperator: "GreaterThanThreshold",
      });
    });

    it("prod: every alarm notifies the on-call topic, which e-mails oncall@example.com", () => {
      const topicArn = `arn:aws:sns:${R}:${A}:kinesis-ingest-prod-alarms`;
      // Not alias/aws/sns: CloudWatch alarms cannot use the AWS-managed key, so their actions would all fail.
      const keyArn = `arn:aws:kms:${R}:${A}:key/alarms-key-0000-4000-a000-000000000000`;
      expect(named(prod.resources, "aws:sns/topic:Topic", "alarms-topic").inputs).to.deep.equal({
        name: "kinesis-ingest-prod-alarms",
        kmsMasterKeyId: keyArn,
      });
      const key = named(prod.resources, "aws:kms/key:Key", "alarms-key").inputs;
      expect([key.enableKeyRotation, key.deletionWindowInDays]).to.deep.equal([true, 30]);
      expect(JSON.parse(String(key.policy)).Statement).to.deep.equal([
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": A } },
        },
      ]);
      expect(named(prod.resources, "aws:sns/topicSubscription:TopicSubscription", "alarms-email").inputs).to.deep.equal({
        topic: topicArn,
        protocol: "email",
        endpoint: "oncall@example.com",
      });
      const alarms = ofType(prod.resources, ALARM);
      expect(alarms.length).to.equal(11);
      for (const a of alarms) expect([a.name, a.inputs.alarmActions, a.inputs.okActions]).to.deep.equal([a.name, [topicArn], [topicArn]]);
      expect(prod.outputs.alarmTopicArn).to.equal(topicArn);
    });

    it("prod consumer alarms: iterator age over 60 s, any error, any message in the on-failure queue", () => {
      expect(alarm(prod.resources, "consumer-forwarder-iterator-age")).to.deep.include({
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        statistic: "Maximum",
        threshold: 60_000,
        dimensions: { FunctionName: "kinesis-ingest-prod-forwarder" },
      });
      expect(alarm(prod.resources, "consumer-forwarder-errors")).to.deep.include({
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        threshold: 0,
      });
      expect(alarm(prod.resources, "consumer-archiver-dlq-depth")).to.deep.include({
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        threshold: 0,
        dimensions: { QueueName: "kinesis-ingest-prod-archiver-dlq" },
      });
      expect(alarm(prod.resources, "stream-write-throttled")).to.deep.include({
        metricName: "WriteProvisionedThroughputExceeded",
        statistic: "Sum",
        threshold: 0,
      });
    });
  });

  describe("dashboard", () => {
    it("prod: one widget per area and per consumer, on the stack's names", () => {
      const inputs = named(prod.resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard").inputs;
      expect(inputs.dashboardName).to.equal("kinesis-ingest-prod");
      const body = JSON.parse(inputs.dashboardBody as string) as {
        widgets: { properties: { title: string; region: string; metrics: unknown[][] } }[];
      };
      expect(body.widgets.map((w) => w.properties.title)).to.deep.equal([
        "Stream writes",
        "Stream iterator age (ms)",
        "Ingest function",
        "Consumer forwarder",
        "Consumer forwarder mapping events",
        "Consumer archiver",
        "Consumer archiver mapping events",
        "Consumer s3-archive",
        "Consumer s3-archive mapping events",
      ]);
      expect(body.widgets[5]!.properties.metrics[2]).to.deep.equal([
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "kinesis-ingest-prod-archiver-dlq",
        { stat: "Maximum" },
      ]);
      for (const [i, w] of body.widgets.entries()) expect(w.properties.region, `widget ${i} "${w.properties.title}"`).to.equal(R);
    });

    it("dashboard: false creates none", async () => {
      const raw = { ...readStackFile("dev"), observability: { logRetentionDays: 7, dashboard: false } };
      expect(ofType((await runStack(raw, { stack: "dev" })).resources, "aws:cloudwatch/dashboard:Dashboard")).to.deep.equal([]);
    });
  });

  describe("component tree", () => {
    it("components use kinesis-ingest:<area>:<Type> tokens", () => {
      expect([...new Set(prod.resources.filter((r) => !r.custom && !r.type.startsWith("awsx:")).map((r) => r.type))].sort()).to.deep.equal([
        "kinesis-ingest:api:IngestApi",
        "kinesis-ingest:archive:ArchiveBucket",
        "kinesis-ingest:compute:NodeFunction",
        "kinesis-ingest:consumer:IdempotencyTable",
        "kinesis-ingest:consumer:StreamConsumer",
        "kinesis-ingest:observability:AlarmTopic",
        "kinesis-ingest:observability:PipelineDashboard",
        "kinesis-ingest:secrets:ConfigSecret",
        "kinesis-ingest:stream:EventStream",
      ]);
    });

    it("every cloud resource is a child of a component, and children are named after their parent", () => {
      for (const r of [...dev.resources, ...prod.resources].filter((x) => x.custom)) {
        expect(r.parent, `${r.type} ${r.name}`).to.be.a("string");
        const parentName = (r.parent as string).split("::").pop() as string;
        expect(r.name.startsWith(`${parentName}-`), `${r.name} under ${parentName}`).to.equal(true);
      }
    });

    it("consumer functions sit inside their StreamConsumer, API functions inside the IngestApi", () => {
      const parentOf = (name: string) =>
        (named(prod.resources, "kinesis-ingest:compute:NodeFunction", name).parent ?? "").split("::").pop();
      expect(["api-ingest", "api-authorizer", "consumer-forwarder-fn", "consumer-archiver-fn"].map(parentOf)).to.deep.equal([
        "api",
        "api",
        "consumer-forwarder",
        "consumer-archiver",
      ]);
    });

    it("the prod stack has exactly these resources per type", () => {
      const counts: Record<string, number> = {};
      for (const r of prod.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
      expect(counts).to.deep.include({
        "aws:kinesis/stream:Stream": 1,
        "aws:lambda/function:Function": 5,
        "aws:lambda/eventSourceMapping:EventSourceMapping": 3,
        "aws:sqs/queue:Queue": 3,
        "aws:secretsmanager/secret:Secret": 3,
        "aws:iam/role:Role": 5,
        "aws:iam/rolePolicy:RolePolicy": 5,
        "aws:cloudwatch/logGroup:LogGroup": 6,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 11,
        "aws:s3/bucket:Bucket": 1,
        "aws:dynamodb/table:Table": 1,
      });
    });
  });

  it("runs in preview mode, where outputs are unknown, without crashing", async () => {
    const { resources } = await runStack(readStackFile("prod"), { stack: "prod", preview: true });
    expect(ofType(resources, "aws:lambda/eventSourceMapping:EventSourceMapping").length).to.equal(3);
  });
});
