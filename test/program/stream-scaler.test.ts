/**
 * The plan of `stream.autoscaling` under mocks (components/stream-scaler.ts): the scaler function bundled from
 * handlers/stream-scaler.ts with its bounds in its environment, a role that may rescale this stream only (and
 * read metrics, where `*` is the only resource AWS offers), a schedule every minute, an alarm on its errors, and
 * the stream's `shardCount` left to the scaler after creation. And the stream's large-record and warm-throughput
 * inputs (`stream.maxRecordSizeKiB`, `stream.warmThroughputMiBps`), the former also in the ingest function's environment.
 */
import { expect } from "chai";
import { checkedNames } from "../../config/name-checks";
import { named, ofType, runStack, type RecordedResource } from "./harness";

const R = "eu-west-1";
const A = "123456789012";
const STREAM = "aws:kinesis/stream:Stream";
const AUTOSCALING = { shards: 2, autoscaling: { minShards: 1, maxShards: 16, targetUtilization: 0.6 } };

/** The stream's `ignoreChanges` as the program constructs it (mocks do not see resource options). */
async function planned(stream: Record<string, unknown>): Promise<{ resources: RecordedResource[]; ignored: string[] }> {
  let ignored: string[] = [];
  const { resources } = await runStack(
    { stream, api: { auth: "none" } },
    {
      onResource: (args) => {
        if (args.type === STREAM) ignored = [...(args.opts.ignoreChanges ?? [])];
      },
    },
  );
  return { resources, ignored };
}

describe("stream autoscaling plan", () => {
  it("creates the scaler, its schedule, its history table and its error alarm", async () => {
    const { resources } = await planned(AUTOSCALING);
    const fn = named(resources, "aws:lambda/function:Function", "stream-scaler-fn-function");
    expect(fn.inputs.name).to.equal("kinesis-ingest-dev-stream-scaler");
    expect(fn.inputs.reservedConcurrentExecutions).to.equal(1);
    expect((fn.inputs.environment as { variables: Record<string, string> }).variables).to.deep.include({
      STREAM_NAME: "kinesis-ingest-dev",
      STREAM_ARN: `arn:aws:kinesis:${R}:${A}:stream/kinesis-ingest-dev`,
      MIN_SHARDS: "1",
      MAX_SHARDS: "16",
      TARGET_UTILIZATION: "0.6",
      SCALE_OUT_COOLDOWN_MINUTES: "5",
      SCALE_IN_COOLDOWN_MINUTES: "60",
    });
    expect(named(resources, "aws:cloudwatch/eventRule:EventRule", "stream-scaler-schedule").inputs.scheduleExpression).to.equal(
      "rate(1 minute)",
    );
    expect(named(resources, "aws:lambda/permission:Permission", "stream-scaler-invoke").inputs.principal).to.equal("events.amazonaws.com");
    expect(ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").map((r) => r.name)).to.deep.equal(["stream-scaler-target"]);
    expect(named(resources, "aws:dynamodb/table:Table", "stream-scaler-history").inputs.hashKey).to.equal("stream");
    const alarm = named(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "stream-scaler-errors");
    expect(alarm.inputs).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors", threshold: 0 });
  });

  it("lets the role rescale this stream only, read its history, and read metrics on the only resource AWS offers", async () => {
    const { resources } = await planned(AUTOSCALING);
    const policy = JSON.parse(named(resources, "aws:iam/rolePolicy:RolePolicy", "stream-scaler-fn-policy").inputs.policy as string) as {
      Statement: { Sid: string; Action: string[]; Resource: string[] }[];
    };
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ScaleStream).to.deep.include({
      Action: ["kinesis:DescribeStreamSummary", "kinesis:UpdateShardCount"],
      Resource: [`arn:aws:kinesis:${R}:${A}:stream/kinesis-ingest-dev`],
    });
    expect(bySid.ScalingHistory!.Action).to.deep.equal(["dynamodb:GetItem", "dynamodb:PutItem"]);
    expect(bySid.ScalingHistory!.Resource).to.have.length(1).and.not.include("*");
    expect(bySid.ReadStreamMetrics).to.deep.include({ Action: ["cloudwatch:GetMetricData"], Resource: ["*"] });
    expect(Object.keys(bySid)).to.deep.equal(["WriteOwnLogs", "XRayTraces", "ScaleStream", "ScalingHistory", "ReadStreamMetrics"]);
  });

  it("names what config/name-checks.ts checks: the function, its role and its alarm", async () => {
    const { resources } = await planned(AUTOSCALING);
    const names = checkedNames({
      stack: "dev",
      front: "http-api",
      auth: "none",
      createApiGatewayAccountRole: false,
      autoscaling: true,
      fanOutConsumers: [],
      consumers: [],
    });
    const scaler = names.filter((n) => n.role.includes("stream scaler"));
    const created = resources.map((r) => (r.outputs as { name?: string }).name);
    for (const n of scaler) expect(created, n.name).to.include(n.autoNamed ? `${n.name}-a1b2c3d` : n.name);
    expect(scaler).to.have.length(4);
  });

  it("creates the stream with `shards` and leaves its count to the scaler afterwards", async () => {
    const { resources, ignored } = await planned(AUTOSCALING);
    expect(named(resources, STREAM, "stream-stream").inputs.shardCount).to.equal(2);
    expect(ignored).to.deep.equal(["shardCount"]);
  });

  it("without autoscaling: no scaler, and the program owns the count", async () => {
    const { resources, ignored } = await planned({ shards: 2 });
    expect(resources.filter((r) => r.name.startsWith("stream-scaler"))).to.deep.equal([]);
    expect(ignored).to.deep.equal([]);
  });

  it("sets the stream's record size (always) and warm throughput (when given)", async () => {
    const provisioned = (await planned({ maxRecordSizeKiB: 2048 })).resources;
    expect(named(provisioned, STREAM, "stream-stream").inputs).to.deep.include({ maxRecordSizeInKib: 2048 });
    expect(named(provisioned, STREAM, "stream-stream").inputs).not.to.have.property("warmThroughputMibPs");
    // The ingest function refuses records by the same limit (handlers/lib/ingest-request.ts MAX_RECORD_SIZE_ENV).
    const ingest = named(provisioned, "aws:lambda/function:Function", "api-ingest-function").inputs;
    expect((ingest.environment as { variables: Record<string, string> }).variables).to.deep.include({ MAX_RECORD_SIZE_KIB: "2048" });
    const onDemand = (await planned({ mode: "on-demand", warmThroughputMiBps: 50 })).resources;
    expect(named(onDemand, STREAM, "stream-stream").inputs).to.deep.include({ maxRecordSizeInKib: 1024, warmThroughputMibPs: 50 });
  });
});
