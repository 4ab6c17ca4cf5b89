/**
 * The scaler's calls (handlers/stream-scaler.ts) against mocked AWS clients: what it reads (the stream's summary,
 * complete minutes of its metrics, its history item), that it calls UpdateShardCount with uniform scaling only when
 * the decision says so, and that it records a scaling only once the call succeeded.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamSummaryCommand, KinesisClient, UpdateShardCountCommand } from "@aws-sdk/client-kinesis";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { createLogger } from "../../handlers/lib/log";
import { createScalerHandler, scalerOptionsFromEnv } from "../../handlers/stream-scaler";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 30);
const ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-dev";
const POLICY = { minShards: 1, maxShards: 8, targetUtilization: 0.5, scaleOutCooldownMs: 300_000, scaleInCooldownMs: 3_600_000 };

const mocks: { restore(): void }[] = [];

function clients(records: number, status = "ACTIVE", history?: string) {
  const kinesis = mockClient(KinesisClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const dynamodb = mockClient(DynamoDBClient);
  kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { StreamStatus: status, OpenShardCount: 2 } as never });
  kinesis.on(UpdateShardCountCommand).resolves({});
  const minute = Date.UTC(2026, 11, 7, 11, 59, 0);
  cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "records", Timestamps: [new Date(minute)], Values: [records * 60] },
      { Id: "bytes", Timestamps: [new Date(minute)], Values: [records * 60 * 100] },
    ],
  });
  dynamodb.on(GetItemCommand).resolves(history === undefined ? {} : { Item: { events: { S: history } } });
  dynamodb.on(PutItemCommand).resolves({});
  const handler = createScalerHandler({
    streamName: "kinesis-ingest-dev",
    streamArn: ARN,
    table: "history",
    policy: POLICY,
    kinesis: new KinesisClient({}),
    cloudwatch: new CloudWatchClient({}),
    dynamodb: new DynamoDBClient({}),
    now: () => NOW,
    log: createLogger({ service: "test", write: () => undefined }),
  });
  mocks.push(kinesis, cloudwatch, dynamodb);
  return { kinesis, cloudwatch, dynamodb, handler };
}

describe("stream scaler handler", () => {
  afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

  it("reads 15 complete minutes and scales out with UNIFORM_SCALING, then records the scaling", async () => {
    const { kinesis, cloudwatch, dynamodb, handler } = clients(2000);
    expect(await handler()).to.deep.equal({ action: "scale", targetShards: 4, reason: "2 → 4 shards: the load needs 4" });
    const query = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(query.EndTime).to.deep.equal(new Date(Date.UTC(2026, 11, 7, 12, 0, 0)));
    expect(query.StartTime).to.deep.equal(new Date(Date.UTC(2026, 11, 7, 11, 45, 0)));
    expect(query.MetricDataQueries!.map((q) => q.MetricStat!.Metric!.MetricName)).to.deep.equal([
      "IncomingBytes",
      "IncomingRecords",
      "WriteProvisionedThroughputExceeded",
    ]);
    expect(kinesis.commandCalls(UpdateShardCountCommand)[0]!.args[0].input).to.deep.equal({
      StreamARN: ARN,
      TargetShardCount: 4,
      ScalingType: "UNIFORM_SCALING",
    });
    const put = dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(JSON.parse(put.Item!.events!.S!)).to.deep.equal([{ atMs: NOW, from: 2, to: 4 }]);
  });

  it("calls nothing while the stream is UPDATING", async () => {
    const { kinesis, dynamodb, handler } = clients(2000, "UPDATING");
    expect((await handler()).action).to.equal("hold");
    expect(kinesis.commandCalls(UpdateShardCountCommand)).to.have.length(0);
    expect(dynamodb.commandCalls(PutItemCommand)).to.have.length(0);
  });

  it("records nothing when UpdateShardCount fails, and fails the run (the errors alarm)", async () => {
    const { kinesis, dynamodb, handler } = clients(2000);
    kinesis.on(UpdateShardCountCommand).rejects(Object.assign(new Error("limit"), { name: "LimitExceededException" }));
    let failed: unknown;
    await handler().catch((error: unknown) => (failed = error));
    expect((failed as Error).name).to.equal("LimitExceededException");
    expect(dynamodb.commandCalls(PutItemCommand)).to.have.length(0);
  });

  it("reads its settings from the environment, naming a missing variable", () => {
    const env = {
      STREAM_NAME: "s",
      STREAM_ARN: ARN,
      SCALING_TABLE: "t",
      MIN_SHARDS: "1",
      MAX_SHARDS: "8",
      TARGET_UTILIZATION: "0.5",
      SCALE_OUT_COOLDOWN_MINUTES: "5",
      SCALE_IN_COOLDOWN_MINUTES: "60",
    };
    expect(scalerOptionsFromEnv(env).policy).to.deep.equal(POLICY);
    expect(() => scalerOptionsFromEnv({ ...env, MAX_SHARDS: undefined })).to.throw("MAX_SHARDS is not set");
  });
});
