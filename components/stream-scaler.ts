/**
 * What scales a provisioned stream (`stream.autoscaling`): the scaler function (handlers/stream-scaler.ts), an
 * EventBridge schedule running it every minute, the table holding its scalings of the last 24 hours, and an alarm
 * on its errors. Its role may describe and rescale this stream only, read and write its own history item, and read
 * metrics: `cloudwatch:GetMetricData` has no resource type (Service Authorization Reference), so `Resource: "*"`
 * is the only form AWS offers for it (docs/aws-semantics.md#kinesis-updateshardcount).
 */
import { streamScalerEnvironment } from "../handlers/lib/environment/stream-scaler";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AutoscalingConfig } from "../config/types";
import { thresholdAlarm } from "./alarm";
import { allow, type PolicyStatement } from "./iam";
import { NodeFunction } from "./node-function";

export interface StreamScalerArgs extends AutoscalingConfig {
  readonly streamName: pulumi.Input<string>;
  readonly streamArn: pulumi.Input<string>;
  /** The scaler's physical name (config/names.ts `streamScaler`). */
  readonly functionName: string;
  /** The handler entry, `handlers/stream-scaler.ts`. */
  readonly entry: string;
  readonly logRetentionDays: number;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
}

/** Every minute: the scaler reads complete minutes, and CloudWatch's stream metrics have a one-minute period. */
const SCALER_SCHEDULE = "rate(1 minute)";

/** GetMetricData has no resource-level permission: `*` is the only Resource it takes. */
const READ_METRICS: PolicyStatement = { Sid: "ReadStreamMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: ["*"] };

export class StreamScaler extends pulumi.ComponentResource {
  public readonly function: NodeFunction;
  public readonly history: aws.dynamodb.Table;
  public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: StreamScalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:stream:StreamScaler", name, {}, opts);
    // Auto-named and not retained: the history only saves calls AWS would refuse anyway (LimitExceededException).
    this.history = new aws.dynamodb.Table(
      `${name}-history`,
      { billingMode: "PAY_PER_REQUEST", hashKey: "stream", attributes: [{ name: "stream", type: "S" }] },
      { parent: this },
    );
    this.function = new NodeFunction(
      `${name}-fn`,
      {
        entry: args.entry,
        functionName: args.functionName,
        description: "Scales the stream's shards within stream.autoscaling",
        memoryMb: 128,
        timeoutSeconds: 30,
        // One decision at a time: two overlapping runs could both scale from the same count.
        reservedConcurrency: 1,
        logRetentionDays: args.logRetentionDays,
        environment: streamScalerEnvironment({ ...args, table: this.history.name }),
        statements: [
          allow("ScaleStream", ["kinesis:DescribeStreamSummary", "kinesis:UpdateShardCount"], [args.streamArn]),
          allow("ScalingHistory", ["dynamodb:GetItem", "dynamodb:PutItem"], [this.history.arn]),
          READ_METRICS,
        ],
      },
      { parent: this },
    );
    const schedule = new aws.cloudwatch.EventRule(`${name}-schedule`, { scheduleExpression: SCALER_SCHEDULE }, { parent: this });
    new aws.cloudwatch.EventTarget(`${name}-target`, { rule: schedule.name, arn: this.function.arn }, { parent: this });
    new aws.lambda.Permission(
      `${name}-invoke`,
      { action: "lambda:InvokeFunction", function: this.function.functionName, principal: "events.amazonaws.com", sourceArn: schedule.arn },
      { parent: this },
    );
    this.alarms = [
      thresholdAlarm(
        `${name}-errors`,
        {
          alarmDescription: "The stream scaler failed (see its log): the stream keeps its shard count until it runs again.",
          namespace: "AWS/Lambda",
          dimensions: { FunctionName: this.function.functionName },
          metricName: "Errors",
          statistic: "Sum",
          threshold: 0,
          actions: args.alarmActions,
        },
        this,
      ),
    ];
    this.registerOutputs({ functionName: this.function.functionName });
  }
}
