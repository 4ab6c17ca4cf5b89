/**
 * The stream scaler (`stream.autoscaling`): run by an EventBridge schedule every minute, it reads the stream's
 * status and open shard count (DescribeStreamSummary), its last minutes of writes (GetMetricData on
 * `AWS/Kinesis` IncomingBytes, IncomingRecords and WriteProvisionedThroughputExceeded) and its own scalings of
 * the last 24 hours (one DynamoDB item), asks `decideScaling` (handlers/lib/scaling/decide.ts), and calls
 * UpdateShardCount when it says so. CloudWatch has no metric of a stream's open shard count, which is why the
 * scaler computes the per-shard load itself instead of an alarm doing it with metric math.
 *
 * Environment: `STREAM_NAME`, `STREAM_ARN`, `SCALING_TABLE`, `MIN_SHARDS`, `MAX_SHARDS`, `TARGET_UTILIZATION`,
 * `SCALE_OUT_COOLDOWN_MINUTES`, `SCALE_IN_COOLDOWN_MINUTES` (set by components/stream-scaler.ts).
 * A failed call throws: the function's Errors alarm is how an operator hears of it.
 */
import { streamScalerFromEnv, type StreamScalerSettings } from "./lib/environment/stream-scaler";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamSummaryCommand, KinesisClient, UpdateShardCountCommand } from "@aws-sdk/client-kinesis";
import { SCALING_TYPE, SCALING_WINDOW_MS } from "../semantics/shard-scaling";
import { createLogger, type Logger } from "./lib/log";
import {
  MINUTE_MS,
  decideScaling,
  scaledMinutes,
  type MinuteSample,
  type ScalingDecision,
  type ScalingEvent,
  type ScalingPolicy,
} from "./lib/scaling/decide";

export interface ScalerOptions {
  readonly streamName: string;
  readonly streamArn: string;
  readonly table: string;
  readonly policy: ScalingPolicy;
  readonly kinesis?: KinesisClient;
  readonly cloudwatch?: CloudWatchClient;
  readonly dynamodb?: DynamoDBClient;
  /** @default Date.now */
  readonly now?: () => number;
  /** Where each decision is logged. @default a JSON logger on stdout */
  readonly log?: Logger;
  /**
   * The stream's complete minutes of writes up to `nowMs`, oldest first. @default CloudWatch's `AWS/Kinesis`
   * metrics; the local stack passes the minutes its limits proxy counted (local/stream-scaler.ts).
   */
  readonly minutes?: MinuteSource;
}

/** Where the scaler reads the complete minutes ({@link scaledMinutes}) of a stream's writes. */
export type MinuteSource = (streamName: string, nowMs: number) => Promise<MinuteSample[]>;

const METRICS = { bytes: "IncomingBytes", records: "IncomingRecords", throttled: "WriteProvisionedThroughputExceeded" } as const;

/** Builds the scheduled handler. */
export function createScalerHandler(options: ScalerOptions): () => Promise<ScalingDecision> {
  const kinesis = options.kinesis ?? new KinesisClient({});
  const dynamodb = options.dynamodb ?? new DynamoDBClient({});
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger({ service: "stream-scaler" });
  const minutesOf = options.minutes ?? cloudWatchMinutes(options.cloudwatch ?? new CloudWatchClient({}));
  return async () => {
    const nowMs = now();
    const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: options.streamArn }))).StreamDescriptionSummary;
    const minutes = await minutesOf(options.streamName, nowMs);
    const history = await readHistory(dynamodb, options.table, options.streamName);
    const openShards = summary?.OpenShardCount ?? 0;
    const decision = decideScaling({
      nowMs,
      status: summary?.StreamStatus ?? "UNKNOWN",
      openShards,
      minutes,
      history,
      policy: options.policy,
    });
    log.info("scaling decision", { ...decision, openShards });
    if (decision.action === "hold") return decision;
    await kinesis.send(
      new UpdateShardCountCommand({ StreamARN: options.streamArn, TargetShardCount: decision.targetShards, ScalingType: SCALING_TYPE }),
    );
    // Recorded after the call succeeded: a failed call spends none of the 24-hour budget.
    const events = [...history, { atMs: nowMs, from: openShards, to: decision.targetShards }].filter(
      (e) => nowMs - e.atMs < SCALING_WINDOW_MS,
    );
    await dynamodb.send(
      new PutItemCommand({
        TableName: options.table,
        Item: { stream: { S: options.streamName }, events: { S: JSON.stringify(events) } },
      }),
    );
    return decision;
  };
}

/** The minutes of {@link scaledMinutes} from CloudWatch's `AWS/Kinesis` metrics of the stream. */
function cloudWatchMinutes(cloudwatch: CloudWatchClient): MinuteSource {
  return async (streamName, nowMs) => {
    const minuteStarts = scaledMinutes(nowMs);
    const start = minuteStarts[0]!;
    const end = minuteStarts[minuteStarts.length - 1]! + MINUTE_MS;
    const queries = Object.entries(METRICS).map(([id, metricName]) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: "AWS/Kinesis", MetricName: metricName, Dimensions: [{ Name: "StreamName", Value: streamName }] },
        Period: 60,
        Stat: "Sum",
      },
    }));
    const answer = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(end),
        MetricDataQueries: queries,
        ScanBy: "TimestampAscending",
      }),
    );
    // A minute without writes has no data point: it is a zero.
    const byMinute = new Map(minuteStarts.map((t) => [t, { bytes: 0, records: 0, throttled: 0 }]));
    for (const result of answer.MetricDataResults ?? []) {
      const key = result.Id as keyof typeof METRICS;
      (result.Timestamps ?? []).forEach((time, i) => {
        const minute = byMinute.get(time.getTime());
        if (minute !== undefined && key in METRICS) minute[key] = result.Values?.[i] ?? 0;
      });
    }
    return [...byMinute.values()];
  };
}

async function readHistory(dynamodb: DynamoDBClient, table: string, streamName: string): Promise<ScalingEvent[]> {
  const item = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { stream: { S: streamName } }, ConsistentRead: true }));
  const text = item.Item?.events?.S;
  return text === undefined ? [] : (JSON.parse(text) as ScalingEvent[]);
}

/** Scaler options from the function's environment, with errors naming the variable. */
export function scalerOptionsFromEnv(env: NodeJS.ProcessEnv): ScalerOptions {
  return scalerOptions(streamScalerFromEnv(env));
}

/** The scaler's options for `settings` (its environment contract's), cooldowns in milliseconds. */
export function scalerOptions(settings: StreamScalerSettings): ScalerOptions {
  const { streamName, streamArn, table, minShards, maxShards, targetUtilization } = settings;
  const policy = {
    minShards,
    maxShards,
    targetUtilization,
    scaleOutCooldownMs: settings.scaleOutCooldownMinutes * MINUTE_MS,
    scaleInCooldownMs: settings.scaleInCooldownMinutes * MINUTE_MS,
  };
  return { streamName, streamArn, table, policy };
}

let envHandler: (() => Promise<ScalingDecision>) | undefined;

/** The Lambda entry (an EventBridge scheduled event, whose contents it does not need), configured on its first run. */
export const handler = (): Promise<ScalingDecision> => {
  envHandler ??= createScalerHandler(scalerOptionsFromEnv(process.env));
  return envHandler();
};
