/**
 * The program body: validated stack config in, components composed, stack outputs out. `index.ts` calls it
 * with the config Pulumi hands the program; tests and the offline plan call it under mocks, once per stack,
 * in one process.
 */
import path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError, validateStackConfig, type StackConfig } from "../config";
import { stackNames, streamScalerFunctionName } from "../config/names";
import { isCanaryAuthMode } from "../handlers/lib/environment/canary";
import { AlarmTopic } from "./alarm-topic";
import { PROJECT_ROOT } from "./bundle";
import { Canary } from "./canary";
import { createConsumers, type ConsumerOutputs } from "./consumers";
import { ContributorInsights } from "./contributor-insights";
import { PipelineDashboard } from "./dashboard";
import { EventStream } from "./event-stream";
import { checkHandlerModules } from "./handler-module";
import { IngestApi } from "./ingest-api";
import { apiTokenSecret } from "./stack-secrets";
import { StreamScaler } from "./stream-scaler";

/** Options that are not stack configuration. */
export interface ProgramOptions {
  /** The stack's name (`pulumi.getStack()`); names physical resources `kinesis-ingest-<stack>-...`. */
  readonly stack: string;
  /** The clock `replayFrom` is checked against (epoch ms). @default Date.now */
  readonly now?: () => number;
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

  const consumers = createConsumers({ stack: options.stack, config, raw, names, stream, alarmActions });
  const secretArns = { ...(tokenSecret ? { apiTokens: tokenSecret.arn } : {}), ...consumers.secretArns };

  const insights = obs.contributorInsights
    ? new ContributorInsights("contributor-insights", {
        stack: options.stack,
        ingestLogGroup: api.ingest.logGroup.name,
        consumerLogGroups: consumers.resources.map(({ resource }) => resource.fn.logGroup.name),
      })
    : undefined;

  if (obs.canary !== undefined) {
    const { front, auth } = config.api;
    // Unreachable past the validator, which refuses a canary with any other mode (config/canary-settings.ts).
    if (!isCanaryAuthMode(auth)) throw new Error(`observability.canary cannot authenticate with api.auth ${auth}`);
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
      consumers: consumers.resources.map(({ name, resource: c }) => ({
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
    consumers: consumers.outputs,
    secretArns,
    alarmTopicArn: alarmTopic?.arn,
    archiveBucket: consumers.archiveBucket?.name,
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
