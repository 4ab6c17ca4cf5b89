/**
 * One consumer of the stream: a function, its event source mapping with every knob set explicitly, an
 * encrypted SQS queue as the on-failure destination, reserved concurrency (0 is the kill switch), an
 * optional temporary replay mapping, and alarms on iterator age, errors and on-failure queue depth.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONSUMER_DEFAULTS } from "../config/defaults";
import type { StartingPosition } from "../config/types";
import { thresholdAlarm } from "./alarm";
import { ALARM_DEFAULTS, QUEUE_DEFAULTS } from "./defaults";
import { allow, type PolicyStatement } from "./iam";
import { NodeFunction } from "./node-function";

export interface StreamConsumerArgs {
  /** The stream the mapping reads. */
  readonly streamArn: pulumi.Input<string>;
  /** Read through this enhanced fan-out consumer instead of shared throughput. @default undefined */
  readonly fanOutConsumerArn?: pulumi.Input<string>;
  /** Handler entry file, e.g. `handlers/forwarder.ts`. */
  readonly entry: string;
  /** The function's physical name. */
  readonly functionName: string;
  /** The on-failure queue's physical name. */
  readonly dlqName: string;
  /** Environment variables of the function. @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Extra statements (e.g. reading its ConfigSecret). @default [] */
  readonly statements?: readonly PolicyStatement[];
  /** Records per batch. @default 100 */
  readonly batchSize?: number;
  /** Maximum batching window (s). @default 0 */
  readonly batchWindowSeconds?: number;
  /** Where the mapping starts. @default "LATEST" */
  readonly startingPosition?: StartingPosition;
  /** ISO-8601 time for AT_TIMESTAMP. @default undefined */
  readonly startingPositionTimestamp?: string;
  /** Concurrent batches per shard. @default 1 */
  readonly parallelizationFactor?: number;
  /** Split a failing batch and retry the halves. @default true */
  readonly bisectOnError?: boolean;
  /** Maximum record age (s), -1 for unlimited. @default 3600 */
  readonly maxRecordAgeSeconds?: number;
  /** Maximum retries, -1 for unlimited. @default 3 */
  readonly maxRetryAttempts?: number;
  /** Reserved concurrency; 0 is the kill switch. @default unreserved */
  readonly reservedConcurrency?: number;
  /** `false` pauses the mapping and keeps its checkpoint. @default true */
  readonly enabled?: boolean;
  /** Tumbling window (s), 0 for none. @default 0 */
  readonly tumblingWindowSeconds?: number;
  /** Event filter patterns (JSON on `data`). @default [] */
  readonly filterPatterns?: readonly string[];
  /** Function memory (MB). @default 256 */
  readonly memoryMb?: number;
  /** Function timeout (s). @default 30 */
  readonly timeoutSeconds?: number;
  /** Adds a second mapping starting AT_TIMESTAMP at this ISO-8601 time. @default undefined */
  readonly replayFrom?: string;
  /** Log retention (days). @default 14 */
  readonly logRetentionDays?: number;
  /** Iterator age (ms) above which the alarm fires. @default 60000 */
  readonly iteratorAgeAlarmMs?: number;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
}

/** Stream read actions Lambda's poller performs with the function's role (Lambda guide, "Execution role permissions"). */
const STREAM_READ_ACTIONS = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"];

export class StreamConsumer extends pulumi.ComponentResource {
  public readonly fn: NodeFunction;
  public readonly dlq: aws.sqs.Queue;
  public readonly mapping: aws.lambda.EventSourceMapping;
  /** The temporary AT_TIMESTAMP mapping, when `replayFrom` is set. */
  public readonly replayMapping?: aws.lambda.EventSourceMapping;
  public readonly functionName: pulumi.Output<string>;
  public readonly dlqUrl: pulumi.Output<string>;
  public readonly dlqArn: pulumi.Output<string>;
  public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: StreamConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:StreamConsumer", name, {}, opts);
    const startingPosition = args.startingPosition ?? CONSUMER_DEFAULTS.startingPosition;
    if (startingPosition === "AT_TIMESTAMP" && args.startingPositionTimestamp === undefined) {
      throw new Error(`consumer ${name}: \`startingPositionTimestamp\` is required when \`startingPosition\` is AT_TIMESTAMP`);
    }
    this.dlq = new aws.sqs.Queue(`${name}-dlq`, {
      name: args.dlqName,
      messageRetentionSeconds: QUEUE_DEFAULTS.messageRetentionSeconds,
      kmsMasterKeyId: QUEUE_DEFAULTS.kmsMasterKeyId,
      kmsDataKeyReusePeriodSeconds: QUEUE_DEFAULTS.kmsDataKeyReusePeriodSeconds,
    }, { parent: this });
    this.dlqUrl = this.dlq.url;
    this.dlqArn = this.dlq.arn;

    this.fn = new NodeFunction(`${name}-fn`, {
      entry: args.entry,
      functionName: args.functionName,
      description: `Stream consumer ${name}`,
      environment: args.environment,
      memoryMb: args.memoryMb ?? CONSUMER_DEFAULTS.memoryMb,
      timeoutSeconds: args.timeoutSeconds ?? CONSUMER_DEFAULTS.timeoutSeconds,
      reservedConcurrency: args.reservedConcurrency,
      logRetentionDays: args.logRetentionDays,
      statements: this.statements(args),
    }, { parent: this });
    this.functionName = this.fn.functionName;

    this.mapping = this.createMapping(`${name}-mapping`, args, this.fn.arn, startingPosition, args.startingPositionTimestamp);
    if (args.replayFrom !== undefined) {
      // Lambda allows one mapping per event source and function ARN: the replay reads through an alias.
      const alias = new aws.lambda.Alias(`${name}-replay`, {
        name: "replay",
        functionName: this.fn.functionName,
        functionVersion: "$LATEST",
        description: `Replay of ${name} from ${args.replayFrom}; remove replayFrom to delete`,
      }, { parent: this });
      this.replayMapping = this.createMapping(`${name}-replay-mapping`, args, alias.arn, "AT_TIMESTAMP", args.replayFrom);
    }
    this.alarms = this.createAlarms(name, args);
    this.registerOutputs({ functionName: this.functionName, dlqUrl: this.dlqUrl, dlqArn: this.dlqArn, mappingId: this.mapping.uuid });
  }

  private statements(args: StreamConsumerArgs): PolicyStatement[] {
    const statements = [
      allow("ReadStream", STREAM_READ_ACTIONS, [args.streamArn]),
      allow("SendToOnFailureQueue", ["sqs:SendMessage"], [this.dlq.arn]),
    ];
    if (args.fanOutConsumerArn !== undefined) {
      statements.push(allow("ReadFanOutConsumer", ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"], [args.fanOutConsumerArn]));
    }
    return [...statements, ...(args.statements ?? [])];
  }

  private createMapping(
    resourceName: string, args: StreamConsumerArgs, functionArn: pulumi.Input<string>,
    startingPosition: StartingPosition, startingPositionTimestamp: string | undefined,
  ): aws.lambda.EventSourceMapping {
    const d = CONSUMER_DEFAULTS;
    const tumbling = args.tumblingWindowSeconds ?? d.tumblingWindowSeconds;
    const patterns = args.filterPatterns ?? d.filterPatterns;
    return new aws.lambda.EventSourceMapping(resourceName, {
      eventSourceArn: args.fanOutConsumerArn ?? args.streamArn,
      functionName: functionArn,
      enabled: args.enabled ?? d.enabled,
      startingPosition,
      startingPositionTimestamp,
      batchSize: args.batchSize ?? d.batchSize,
      maximumBatchingWindowInSeconds: args.batchWindowSeconds ?? d.batchWindowSeconds,
      parallelizationFactor: args.parallelizationFactor ?? d.parallelizationFactor,
      bisectBatchOnFunctionError: args.bisectOnError ?? d.bisectOnError,
      maximumRecordAgeInSeconds: args.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
      maximumRetryAttempts: args.maxRetryAttempts ?? d.maxRetryAttempts,
      functionResponseTypes: ["ReportBatchItemFailures"],
      tumblingWindowInSeconds: tumbling > 0 ? tumbling : undefined,
      filterCriteria: patterns.length > 0 ? { filters: patterns.map((pattern) => ({ pattern })) } : undefined,
      destinationConfig: { onFailure: { destinationArn: this.dlq.arn } },
    }, { parent: this, dependsOn: [this.fn] });
  }

  private createAlarms(name: string, args: StreamConsumerArgs): aws.cloudwatch.MetricAlarm[] {
    const actions = args.alarmActions;
    const byFunction = { namespace: "AWS/Lambda", dimensions: { FunctionName: this.fn.functionName }, actions };
    return [
      thresholdAlarm(`${name}-iterator-age`, {
        ...byFunction,
        alarmDescription: `${name} is falling behind the stream.`,
        metricName: "IteratorAge",
        statistic: "Maximum",
        threshold: args.iteratorAgeAlarmMs ?? ALARM_DEFAULTS.iteratorAgeMs,
      }, this),
      thresholdAlarm(`${name}-errors`, {
        ...byFunction,
        alarmDescription: `${name} is failing invocations (batches are being retried or bisected).`,
        metricName: "Errors",
        statistic: "Sum",
        threshold: 0,
      }, this),
      thresholdAlarm(`${name}-dlq-depth`, {
        alarmDescription: `${name} gave up on batches: redrive them from the on-failure queue.`,
        namespace: "AWS/SQS",
        dimensions: { QueueName: this.dlq.name },
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        threshold: 0,
        actions,
      }, this),
    ];
  }
}
