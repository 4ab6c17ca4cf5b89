/**
 * One consumer of the stream: a function, its event source mapping with every knob set explicitly, an
 * encrypted SQS queue as the on-failure destination (of Lambda's failed ranges and of the runtime's poison
 * records), reserved concurrency (0 is the kill switch), an optional temporary replay mapping, and alarms on
 * iterator age, errors and on-failure queue depth.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REPLAY_MAPPING } from "../config/defaults";
import type { ConsumerConfig, ConsumerTable as ConsumerTableConfig, MappingConfig } from "../config/types";
import { consumerEnvironment, type ConsumerEnvironment } from "../handlers/lib/environment/consumer";
import type { IdempotencySettings } from "../handlers/lib/environment/idempotency";
import { consumerAlarms } from "./consumer-alarms";
import { ON_FAILURE_QUEUE, STREAM_READ_ACTIONS } from "./constants";
import { eventSourceMapping } from "./consumer-mapping";
import { ConsumerTable } from "./consumer-table";
import { allow, type PolicyStatement } from "./iam";
import { IdempotencyTable } from "./idempotency-table";
import { dataBearing, type LifecycleConfig } from "./lifecycle";
import { NodeFunction } from "./node-function";

/** A consumer's validated mapping and function settings, and what to wire them to. */
export interface StreamConsumerArgs
  extends
    MappingConfig,
    Pick<
      ConsumerConfig,
      | "reservedConcurrency"
      | "tumblingWindowSeconds"
      | "filterPatterns"
      | "memoryMb"
      | "timeoutSeconds"
      | "replayFrom"
      | "poisonRecords"
      | "maxRecordAttempts"
      | "idempotency"
      | "layers"
      | "kmsKeyArn"
    > {
  /** The stream the mapping reads. */
  readonly streamArn: pulumi.Input<string>;
  /** Read through this enhanced fan-out consumer instead of shared throughput. @default undefined */
  readonly fanOutConsumerArn?: pulumi.Input<string>;
  /**
   * The replay mapping's own enhanced fan-out consumer, registered here while `replayFrom` is set (one SubscribeToShard
   * subscription per consumer and shard: sharing `fanOutConsumerArn` would take the shards from the main mapping).
   * Required with `fanOutConsumerArn` and `replayFrom`. @default undefined
   */
  readonly replayFanOutConsumerName?: string;
  /** Handler entry file, e.g. `handlers/forwarder.ts`. */
  readonly entry: string;
  /** The function's physical name. */
  readonly functionName: string;
  /** The on-failure queue's physical name. */
  readonly dlqName: string;
  /**
   * What the function's environment is written from (handlers/lib/environment/consumer.ts) besides what this
   * component owns: its tables', idempotency table's and on-failure queue's variables.
   */
  readonly environment: Omit<ConsumerEnvironment<pulumi.Input<string>>, "idempotency" | "poison" | "tables">;
  /** Extra statements (e.g. reading its ConfigSecret, the user's `permissions`). @default [] */
  readonly statements?: readonly PolicyStatement[];
  /** Tables the consumer owns, by config name, with their physical names; each reaches the function as `TABLE_<NAME>`. @default {} */
  readonly tables?: Readonly<Record<string, ConsumerTableConfig & { readonly tableName: string }>>;
  /** The idempotency store's table, required with `idempotency: dynamodb`: its physical name and how long items live. */
  readonly idempotencyTable?: { readonly tableName: string; readonly ttlSeconds: number };
  /** Point-in-time recovery on the consumer's tables. @default false */
  readonly pointInTimeRecovery?: boolean;
  /** Log retention (days). */
  readonly logRetentionDays: number;
  /** Iterator age (ms) above which the alarm fires. */
  readonly iteratorAgeAlarmMs: number;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /** How the consumer's data (its on-failure queue and tables) is guarded. */
  readonly lifecycle: LifecycleConfig;
}

export class StreamConsumer extends pulumi.ComponentResource {
  public readonly fn: NodeFunction;
  public readonly dlq: aws.sqs.Queue;
  public readonly mapping: aws.lambda.EventSourceMapping;
  /** The temporary AT_TIMESTAMP mapping, when `replayFrom` is set. */
  public readonly replayMapping?: aws.lambda.EventSourceMapping;
  /** The replay mapping's own registered enhanced fan-out consumer, when it reads through enhanced fan-out. */
  public readonly replayFanOutConsumer?: aws.kinesis.StreamConsumer;
  public readonly functionName: pulumi.Output<string>;
  public readonly dlqUrl: pulumi.Output<string>;
  public readonly dlqArn: pulumi.Output<string>;
  public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  /** The consumer's own tables, by config name. */
  public readonly tables: Readonly<Record<string, ConsumerTable>>;
  /** The idempotency store's table, for `idempotency: dynamodb`. */
  public readonly idempotencyTable?: IdempotencyTable;

  constructor(name: string, args: StreamConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:StreamConsumer", name, {}, opts);
    this.dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: args.dlqName,
        messageRetentionSeconds: ON_FAILURE_QUEUE.messageRetentionSeconds,
        kmsMasterKeyId: ON_FAILURE_QUEUE.kmsMasterKeyId,
        kmsDataKeyReusePeriodSeconds: ON_FAILURE_QUEUE.kmsDataKeyReusePeriodSeconds,
      },
      // Its messages are the only pointers to the batches Lambda gave up on.
      dataBearing(args.lifecycle, { parent: this }),
    );
    this.dlqUrl = this.dlq.url;
    this.dlqArn = this.dlq.arn;
    if (args.replayFrom !== undefined && args.fanOutConsumerArn !== undefined) {
      if (args.replayFanOutConsumerName === undefined) throw new Error(`${name}: a replay through fan-out needs replayFanOutConsumerName`);
      this.replayFanOutConsumer = new aws.kinesis.StreamConsumer(
        `${name}-replay-fan-out`,
        {
          name: args.replayFanOutConsumerName,
          streamArn: args.streamArn,
        },
        { parent: this },
      );
    }

    // What every table of the consumer shares: backups, and the guard on its data.
    const stored = { pointInTimeRecovery: args.pointInTimeRecovery ?? false, lifecycle: args.lifecycle };
    this.tables = Object.fromEntries(
      Object.entries(args.tables ?? {}).map(([table, spec]) => [
        table,
        new ConsumerTable(`${name}-${table}`, { ...spec, ...stored }, { parent: this }),
      ]),
    );
    let idempotency: IdempotencySettings<pulumi.Input<string>> = { mode: args.idempotency === "none" ? "none" : "memory" };
    if (args.idempotency === "dynamodb") {
      if (args.idempotencyTable === undefined) throw new Error(`${name}: idempotency dynamodb needs idempotencyTable`);
      this.idempotencyTable = new IdempotencyTable(
        `${name}-idempotency`,
        { tableName: args.idempotencyTable.tableName, ...stored },
        { parent: this },
      );
      idempotency = { mode: "dynamodb", tableName: this.idempotencyTable.name, ttlSeconds: args.idempotencyTable.ttlSeconds };
    }

    this.fn = new NodeFunction(
      `${name}-fn`,
      {
        entry: args.entry,
        functionName: args.functionName,
        description: `Stream consumer ${name}`,
        environment: consumerEnvironment({
          ...args.environment,
          idempotency,
          tables: Object.fromEntries(Object.entries(this.tables).map(([table, t]) => [table, t.name])),
          // The runtime sends an isolated record to the queue Lambda sends failed ranges to: one place to redrive from.
          poison: { ...args, queueUrl: this.dlq.url },
        }),
        memoryMb: args.memoryMb,
        timeoutSeconds: args.timeoutSeconds,
        reservedConcurrency: args.reservedConcurrency,
        logRetentionDays: args.logRetentionDays,
        statements: this.statements(args),
        layers: args.layers,
        kmsKeyArn: args.kmsKeyArn,
      },
      { parent: this },
    );
    this.functionName = this.fn.functionName;

    const owner = { parent: this, fn: this.fn, onFailureArn: this.dlq.arn };
    this.mapping = eventSourceMapping(`${name}-mapping`, args, owner, {
      functionArn: this.fn.arn,
      eventSourceArn: args.fanOutConsumerArn ?? args.streamArn,
      startingPosition: args.startingPosition,
      startingPositionTimestamp: args.startingPositionTimestamp,
      maxRecordAgeSeconds: args.maxRecordAgeSeconds,
    });
    if (args.replayFrom !== undefined) {
      // Lambda allows one mapping per event source and function ARN: the replay reads through an alias.
      const alias = new aws.lambda.Alias(
        `${name}-replay`,
        {
          name: "replay",
          functionName: this.fn.functionName,
          functionVersion: "$LATEST",
          description: `Replay of ${name} from ${args.replayFrom}; remove replayFrom to delete`,
        },
        { parent: this },
      );
      // The window is older than the consumer's record age by design: the replay reads with the longest bounded age.
      this.replayMapping = eventSourceMapping(`${name}-replay-mapping`, args, owner, {
        functionArn: alias.arn,
        eventSourceArn: this.replayFanOutConsumer?.arn ?? args.streamArn,
        startingPosition: "AT_TIMESTAMP",
        startingPositionTimestamp: args.replayFrom,
        maxRecordAgeSeconds: REPLAY_MAPPING.maxRecordAgeSeconds,
      });
    }
    this.alarms = consumerAlarms(
      name,
      {
        functionName: this.fn.functionName,
        queueName: this.dlq.name,
        iteratorAgeAlarmMs: args.iteratorAgeAlarmMs,
        actions: args.alarmActions,
      },
      this,
    );
    this.registerOutputs({ functionName: this.functionName, dlqUrl: this.dlqUrl, dlqArn: this.dlqArn, mappingId: this.mapping.uuid });
  }

  private statements(args: StreamConsumerArgs): PolicyStatement[] {
    const statements = [
      allow("ReadStream", STREAM_READ_ACTIONS, [args.streamArn]),
      allow("SendToOnFailureQueue", ["sqs:SendMessage"], [this.dlq.arn]),
    ];
    if (args.fanOutConsumerArn !== undefined) {
      const consumers = [args.fanOutConsumerArn, ...(this.replayFanOutConsumer ? [this.replayFanOutConsumer.arn] : [])];
      statements.push(allow("ReadFanOutConsumer", ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"], consumers));
    }
    const tables = Object.entries(this.tables).map(([table, t]) => t.readWriteStatement(table));
    const idempotency = this.idempotencyTable === undefined ? [] : [this.idempotencyTable.statement()];
    return [...statements, ...tables, ...idempotency, ...(args.statements ?? [])];
  }
}
