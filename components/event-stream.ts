/**
 * The Kinesis data stream every record goes through: provisioned or on-demand, encrypted with the
 * AWS-managed KMS key, a retention, optional enhanced fan-out consumers, and alarms on write throttling
 * and, while a reader polls with GetRecords, on the age of what those readers read last
 * (docs/aws-semantics.md#iterator-age-per-reader). Each consumer's own alarm on its function's `IteratorAge`
 * (components/consumer-alarms.ts) covers every reader, enhanced fan-out ones included.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StreamConfig } from "../config/types";
import { thresholdAlarm } from "./alarm";
import { STREAM_KMS_KEY } from "./constants";
import { dataBearing, type LifecycleConfig } from "./lifecycle";

/** The validated `stream` settings, and what the alarms need. */
export interface EventStreamArgs extends StreamConfig {
  /** The stream's physical name. */
  readonly streamName: string;
  /** Iterator age (ms) above which the stream alarm fires. */
  readonly iteratorAgeAlarmMs: number;
  /**
   * Whether a reader may poll the stream with GetRecords (shared throughput): false only when every consumer of
   * the stack reads through enhanced fan-out, whose SubscribeToShard reads `GetRecords.IteratorAgeMilliseconds`
   * does not measure; the stream's iterator-age alarm would then never fire, and is not created.
   */
  readonly sharedThroughputReaders: boolean;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /** How the stream, which holds every record, is guarded. */
  readonly lifecycle: LifecycleConfig;
}

export class EventStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.Stream;
  public readonly name: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** Enhanced fan-out consumer ARNs by consumer name. */
  public readonly fanOutConsumerArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: EventStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:stream:EventStream", name, {}, opts);
    const { mode } = args;
    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: args.streamName,
        // On-demand streams take no shard count: AWS sizes them from the write rate.
        shardCount: mode === "provisioned" ? args.shards : undefined,
        streamModeDetails: { streamMode: mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND" },
        retentionPeriod: args.retentionHours,
        encryptionType: "KMS",
        kmsKeyId: STREAM_KMS_KEY,
        shardLevelMetrics: ["IncomingBytes", "IncomingRecords", "WriteProvisionedThroughputExceeded", "IteratorAgeMilliseconds"],
        // Always set: the provider keeps a raised size when the input is merely left out (the property is computed).
        maxRecordSizeInKib: args.maxRecordSizeKiB,
        warmThroughputMibPs: args.warmThroughputMiBps,
      },
      // With autoscaling the scaler owns the count after creation: `shards` is only the initial one (README "Scaling").
      dataBearing(args.lifecycle, { parent: this, ignoreChanges: args.autoscaling ? ["shardCount"] : [] }),
    );
    this.name = this.stream.name;
    this.arn = this.stream.arn;

    const consumers: Record<string, pulumi.Output<string>> = {};
    for (const consumerName of args.fanOutConsumers) {
      consumers[consumerName] = new aws.kinesis.StreamConsumer(
        `${name}-fan-out-${consumerName}`,
        {
          name: consumerName,
          streamArn: this.stream.arn,
        },
        { parent: this },
      ).arn;
    }
    this.fanOutConsumerArns = consumers;
    this.alarms = this.createAlarms(name, args);
    this.registerOutputs({ name: this.name, arn: this.arn, fanOutConsumerArns: this.fanOutConsumerArns });
  }

  private createAlarms(name: string, args: EventStreamArgs): aws.cloudwatch.MetricAlarm[] {
    const byStream = { namespace: "AWS/Kinesis", dimensions: { StreamName: this.stream.name }, actions: args.alarmActions };
    const alarms = [
      thresholdAlarm(
        `${name}-write-throttled`,
        {
          ...byStream,
          alarmDescription: "Producers are being throttled: the stream needs more shards (or on-demand mode).",
          metricName: "WriteProvisionedThroughputExceeded",
          statistic: "Sum",
          threshold: 0,
        },
        this,
      ),
    ];
    if (!args.sharedThroughputReaders) return alarms;
    return [
      ...alarms,
      thresholdAlarm(
        `${name}-iterator-age`,
        {
          ...byStream,
          alarmDescription: "Consumers are falling behind: records wait longer than the configured iterator age.",
          metricName: "GetRecords.IteratorAgeMilliseconds",
          statistic: "Maximum",
          threshold: args.iteratorAgeAlarmMs,
        },
        this,
      ),
    ];
  }
}
