/**
 * The program body: validated stack config in, components composed, stack outputs out. `index.ts` calls it
 * with the config Pulumi hands the program; tests and the offline plan call it under mocks, once per stack,
 * in one process.
 */
import path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError, validateStackConfig, type ConsumerConfig, type StackConfig } from "../config";
import { handlerEntryFile } from "../config/consumer-code";
import { idempotencyTtlSeconds, PRODUCTION_STACK } from "../config/defaults";
import { eventBridgeEvent, isFanoutHandler } from "../config/fanout-settings";
import {
  consumerTableName,
  fanoutTargetName,
  idempotencyTableName,
  replayFanOutConsumerName,
  stackNames,
  stateMachineName,
  streamScalerFunctionName,
  usesStackArchiveBucket,
} from "../config/names";
import { AlarmTopic } from "./alarm-topic";
import { ArchiveBucket, archiveWriteStatement } from "./archive-bucket";
import { PROJECT_ROOT } from "./bundle";
import { Canary } from "./canary";
import { ContributorInsights } from "./contributor-insights";
import { PipelineDashboard } from "./dashboard";
import { EventStream } from "./event-stream";
import { FanoutTarget } from "./fanout-target";
import { ConsumerParameters } from "./consumer-parameters";
import { checkHandlerModules } from "./handler-module";
import { allow } from "./iam";
import { IngestApi } from "./ingest-api";
import { apiTokenSecret, consumerSecret, consumerSecretEntry } from "./stack-secrets";
import { StreamConsumer } from "./stream-consumer";
import { StreamScaler } from "./stream-scaler";
import { StateMachineTarget } from "./state-machine-target";

/** Options that are not stack configuration. */
export interface ProgramOptions {
  /** The stack's name (`pulumi.getStack()`); names physical resources `kinesis-ingest-<stack>-...`. */
  readonly stack: string;
  /** The clock `replayFrom` is checked against (epoch ms). @default Date.now */
  readonly now?: () => number;
}

/** What one consumer exposes to operators. */
export interface ConsumerOutputs {
  readonly functionName: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
}

/** The stack outputs. */
export interface ProgramOutputs {
  readonly apiUrl: pulumi.Output<string>;
  /** The REST API usage plan key (secret); undefined on other fronts. */
  readonly apiKey?: pulumi.Output<string>;
  readonly streamName: pulumi.Output<string>;
  readonly streamArn: pulumi.Output<string>;
  readonly consumers: Readonly<Record<string, ConsumerOutputs>>;
  /** Secret ARNs: `apiTokens` (token auth only) and one per consumer, keyed by consumer name. */
  readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly alarmTopicArn?: pulumi.Output<string>;
  /** The stack's archive bucket, when an `archiver` consumer writes into it. */
  readonly archiveBucket?: pulumi.Output<string>;
}

/**
 * Validates `raw` (the `kinesis-ingest:*` values, keys without the prefix) and creates every resource.
 * Throws a `pulumi.RunError` listing every configuration problem before any resource is created.
 * @example const outputs = kinesisIngest(fromPulumiConfig(pulumi.runtime.allConfig()), { stack: pulumi.getStack() });
 */
export function kinesisIngest(raw: Readonly<Record<string, unknown>>, options: ProgramOptions): ProgramOutputs {
  const config = validated(raw, options.stack, options.now);
  checkHandlerModules(config);
  const names = stackNames(options.stack, Object.keys(config.consumers));
  const entry = (handler: string) => path.join(PROJECT_ROOT, "handlers", `${handler}.ts`);
  const obs = config.observability;

  const alarmTopic =
    obs.alarmEmail === undefined ? undefined : new AlarmTopic("alarms", { email: obs.alarmEmail, topicName: names.alarmTopic });
  const alarmActions = alarmTopic ? [alarmTopic.arn] : [];

  const readers = Object.values(config.consumers);
  const stream = new EventStream("stream", {
    streamName: names.stream,
    mode: config.stream.mode,
    shards: config.stream.shards,
    retentionHours: config.stream.retentionHours,
    fanOutConsumers: config.stream.fanOutConsumers,
    autoscaling: config.stream.autoscaling,
    maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
    warmThroughputMiBps: config.stream.warmThroughputMiBps,
    iteratorAgeAlarmMs: obs.iteratorAgeAlarmMs,
    // A mapping without `fanOutConsumer` polls GetRecords; with none at all, readers outside the stack may.
    sharedThroughputReaders: readers.length === 0 || readers.some((c) => c.fanOutConsumer === undefined),
    alarmActions,
    lifecycle: config.lifecycle,
  });

  if (config.stream.autoscaling !== undefined) {
    new StreamScaler("stream-scaler", {
      ...config.stream.autoscaling,
      streamName: stream.name,
      streamArn: stream.arn,
      functionName: streamScalerFunctionName(options.stack),
      entry: entry("stream-scaler"),
      logRetentionDays: obs.logRetentionDays,
      alarmActions,
    });
  }

  const tokenSecret = config.api.auth === "token" ? apiTokenSecret(raw.apiTokens, options.stack, obs.canary !== undefined) : undefined;
  const api = new IngestApi("api", {
    ...config.api,
    names: names.api,
    streamName: stream.name,
    streamArn: stream.arn,
    ingestEntry: entry("ingest"),
    authorizerEntry: entry("authorizer"),
    tokenSecret,
    logRetentionDays: obs.logRetentionDays,
    lifecycle: config.lifecycle,
    logPartitionKeys: obs.contributorInsights,
    maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
    now: options.now,
  });

  const archiveBucket = stackArchiveBucket(config, names.archiveBucket);

  const secretArns: Record<string, pulumi.Output<string>> = tokenSecret ? { apiTokens: tokenSecret.arn } : {};
  const consumers: Record<string, ConsumerOutputs> = {};
  const consumerResources: Array<{ name: string; resource: StreamConsumer }> = [];
  for (const consumer of Object.values(config.consumers)) {
    const secret = consumerSecret(consumer, consumerSecretEntry(raw.consumerSecrets, consumer.name), options.stack);
    // Only a consumer with parameters gets the component: every other stack's plan stays as it was.
    const parameters =
      Object.keys(consumer.parameters).length === 0
        ? undefined
        : new ConsumerParameters(`consumer-${consumer.name}-parameters`, {
            stack: options.stack,
            consumer: consumer.name,
            parameters: consumer.parameters,
            secureValues: consumerSecretEntry(raw.parameterSecrets, consumer.name),
            region: aws.config.region ?? "us-east-1",
          });
    if (secret) secretArns[consumer.name] = secret.arn;
    const { fanout, handler } = consumer;
    const target =
      fanout !== undefined && isFanoutHandler(handler)
        ? new FanoutTarget(`consumer-${consumer.name}-target`, {
            handler,
            fanout,
            targetName: fanoutTargetName(options.stack, consumer.name, fanout.fifo),
            event: handler === "eventbridge" ? eventBridgeEvent(options.stack, consumer.name, fanout) : undefined,
            alarmActions,
            lifecycle: config.lifecycle,
          })
        : undefined;
    const machine =
      consumer.stepFunctions === undefined
        ? undefined
        : new StateMachineTarget(`consumer-${consumer.name}-state-machine`, {
            stepFunctions: consumer.stepFunctions,
            stateMachineName: stateMachineName(options.stack, consumer.name),
          });
    const resource = new StreamConsumer(`consumer-${consumer.name}`, {
      ...consumer,
      streamArn: stream.arn,
      fanOutConsumerArn: consumer.fanOutConsumer === undefined ? undefined : stream.fanOutConsumerArns[consumer.fanOutConsumer],
      replayFanOutConsumerName: consumer.fanOutConsumer === undefined ? undefined : replayFanOutConsumerName(consumer.fanOutConsumer),
      entry: handlerEntryFile(consumer.handler),
      functionName: names.consumers[consumer.name]!.function,
      dlqName: names.consumers[consumer.name]!.queue,
      environment: {
        ...consumer.environment,
        ...(secret ? { CONFIG_SECRET_ID: secret.arn } : {}),
        ...(consumer.handler === "forwarder" ? { REQUEST_TIMEOUT_MS: String(consumer.requestTimeoutMs) } : {}),
        ...archiveEnvironment(consumer, archiveBucket),
        ...target?.environment,
        ...machine?.environment,
        ...(consumer.targetUrl === undefined ? {} : { TARGET_URL: consumer.targetUrl }),
        ...(consumer.delivery === "batch"
          ? { DELIVERY: "batch", MAX_BATCH_RECORDS: String(consumer.maxBatchRecords), MAX_BATCH_BYTES: String(consumer.maxBatchBytes) }
          : {}),
        // memory is the runtime's default: the function needs no variable for it.
        ...(consumer.idempotency === "none" ? { IDEMPOTENCY: "none" } : {}),
        ...parameters?.environment,
      },
      idempotencyTable:
        consumer.idempotency === "dynamodb"
          ? {
              tableName: idempotencyTableName(options.stack, consumer.name),
              ttlSeconds: idempotencyTtlSeconds(config.stream.retentionHours),
            }
          : undefined,
      statements: [
        ...(secret ? [secret.readStatement("Config")] : []),
        ...(consumer.archive ? [archiveWriteStatement(consumer.archive.bucketName ?? archiveBucket!.name, consumer.archive.prefix)] : []),
        ...(target?.statements ?? []),
        ...(machine?.statements ?? []),
        ...consumer.permissions.map((permission, i) => allow(`Custom${i + 1}`, permission.actions, permission.resources)),
        ...(parameters?.statements ?? []),
      ],
      tables: Object.fromEntries(
        Object.entries(consumer.tables).map(([table, spec]) => [
          table,
          { ...spec, tableName: consumerTableName(options.stack, consumer.name, table) },
        ]),
      ),
      pointInTimeRecovery: options.stack === PRODUCTION_STACK,
      logRetentionDays: obs.logRetentionDays,
      iteratorAgeAlarmMs: obs.iteratorAgeAlarmMs,
      alarmActions,
      lifecycle: config.lifecycle,
    });
    consumerResources.push({ name: consumer.name, resource });
    consumers[consumer.name] = { functionName: resource.functionName, dlqUrl: resource.dlqUrl };
  }

  const insights = obs.contributorInsights
    ? new ContributorInsights("contributor-insights", {
        stack: options.stack,
        ingestLogGroup: api.ingest.logGroup.name,
        consumerLogGroups: consumerResources.map(({ resource }) => resource.fn.logGroup.name),
      })
    : undefined;

  if (obs.canary !== undefined) {
    const { front, auth } = config.api;
    new Canary("canary", {
      ...obs.canary,
      stack: options.stack,
      front,
      auth,
      entry: entry("canary"),
      apiUrl: api.url,
      apiKey: api.apiKey,
      apiTokens: raw.apiTokens,
      alarmActions,
    });
  }

  if (obs.dashboard) {
    new PipelineDashboard("dashboard", {
      dashboardName: names.dashboard,
      region: aws.config.region ?? "us-east-1",
      streamName: stream.name,
      ingestFunctionName: api.ingest.functionName,
      consumers: consumerResources.map(({ name, resource: c }) => ({
        name,
        functionName: c.functionName,
        queueName: c.dlq.name,
        mappingUuids: [c.mapping.uuid, ...(c.replayMapping ? [c.replayMapping.uuid] : [])],
      })),
      insightRules: insights?.widgets,
    });
  }

  return {
    apiUrl: api.url,
    apiKey: api.apiKey,
    streamName: stream.name,
    streamArn: stream.arn,
    consumers,
    secretArns,
    alarmTopicArn: alarmTopic?.arn,
    archiveBucket: archiveBucket?.name,
  };
}

/** The stack's archive bucket with a lifecycle rule per archiver writing into it; none when no archiver does. */
function stackArchiveBucket(config: StackConfig, bucketName: string): ArchiveBucket | undefined {
  const archivers = Object.values(config.consumers).filter(usesStackArchiveBucket);
  if (archivers.length === 0) return undefined;
  return new ArchiveBucket(bucketName, {
    prefixes: archivers.map((c) => ({ consumer: c.name, prefix: c.archive!.prefix, retentionDays: c.archive!.retentionDays! })),
    lifecycle: config.lifecycle,
  });
}

/** What an archiver's function reads (handlers/archiver.ts `archiverOptionsFromEnv`). */
function archiveEnvironment(consumer: ConsumerConfig, bucket: ArchiveBucket | undefined): Record<string, pulumi.Input<string>> {
  if (consumer.archive === undefined) return {};
  return {
    ARCHIVE_BUCKET: consumer.archive.bucketName ?? bucket!.name,
    ARCHIVE_PREFIX: consumer.archive.prefix,
    ARCHIVE_COMPRESSION: consumer.archive.compression,
  };
}

/** The outputs as Pulumi stack outputs: keys whose value is undefined are left out (no "undefined value" warning). */
export function stackOutputs(outputs: ProgramOutputs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

function validated(raw: Readonly<Record<string, unknown>>, stack: string, now: (() => number) | undefined): StackConfig {
  try {
    // A warning (a `replayFrom` gone stale) never stops the plan; Pulumi shows it with the run's diagnostics.
    // The provider's Region (`aws:region`, else AWS_REGION): the partition and a fan-out target's Region are checked against it.
    const region = aws.config.region;
    return validateStackConfig(raw, `stack ${stack}`, { stack, now, region, warn: (message) => pulumi.log.warn(message) });
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
