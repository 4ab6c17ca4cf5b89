/**
 * The stack's consumers: for each, its config secret, its parameters, its fan-out target or state machine, and
 * the StreamConsumer whose function environment its kind's contract writes (handlers/lib/environment/).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ConsumerConfig, StackConfig } from "../config";
import { handlerEntryFile } from "../config/consumer-code";
import { idempotencyTtlSeconds, PRODUCTION_STACK } from "../config/defaults";
import { eventBridgeEvent, isFanoutHandler } from "../config/fanout-settings";
import {
  consumerTableName,
  fanoutTargetName,
  idempotencyTableName,
  replayFanOutConsumerName,
  stateMachineName,
  usesStackArchiveBucket,
  type StackNames,
} from "../config/names";
import { archiverEnvironment } from "../handlers/lib/environment/archiver";
import type { Variables } from "../handlers/lib/environment/variables";
import { forwarderEnvironment } from "../handlers/lib/environment/forwarder";
import { ArchiveBucket, archiveWriteStatement } from "./archive-bucket";
import { ConsumerParameters } from "./consumer-parameters";
import type { EventStream } from "./event-stream";
import { FanoutTarget } from "./fanout-target";
import { allow } from "./iam";
import { consumerSecret, consumerSecretEntry } from "./stack-secrets";
import { StateMachineTarget } from "./state-machine-target";
import { StreamConsumer } from "./stream-consumer";

/** What one consumer exposes to operators. */
export interface ConsumerOutputs {
  readonly functionName: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
}

/** What the consumers are wired to. */
export interface ConsumersArgs {
  readonly stack: string;
  readonly config: StackConfig;
  /** The `kinesis-ingest:*` values as given: the secret ones (`consumerSecrets`, `parameterSecrets`) are read here. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly names: StackNames;
  readonly stream: EventStream;
  readonly alarmActions: readonly pulumi.Input<string>[];
}

/** The consumers created, by name, with what the stack outputs of them. */
export interface StackConsumers {
  readonly resources: ReadonlyArray<{ readonly name: string; readonly resource: StreamConsumer }>;
  readonly outputs: Readonly<Record<string, ConsumerOutputs>>;
  /** Each consumer's config secret ARN, for those that have one. */
  readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** The stack's archive bucket, when an `archiver` consumer writes into it. */
  readonly archiveBucket?: ArchiveBucket;
}

export function createConsumers(args: ConsumersArgs): StackConsumers {
  const { stack, config, raw, names, stream, alarmActions } = args;
  const archiveBucket = stackArchiveBucket(config, names.archiveBucket);
  const secretArns: Record<string, pulumi.Output<string>> = {};
  const outputs: Record<string, ConsumerOutputs> = {};
  const resources: Array<{ name: string; resource: StreamConsumer }> = [];
  for (const consumer of Object.values(config.consumers)) {
    const secret = consumerSecret(consumer, consumerSecretEntry(raw.consumerSecrets, consumer.name), stack);
    // Only a consumer with parameters gets the component: every other stack's plan stays as it was.
    const parameters =
      Object.keys(consumer.parameters).length === 0
        ? undefined
        : new ConsumerParameters(`consumer-${consumer.name}-parameters`, {
            stack,
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
            targetName: fanoutTargetName(stack, consumer.name, fanout.fifo),
            event: handler === "eventbridge" ? eventBridgeEvent(stack, consumer.name, fanout) : undefined,
            alarmActions,
            lifecycle: config.lifecycle,
          })
        : undefined;
    const machine =
      consumer.stepFunctions === undefined
        ? undefined
        : new StateMachineTarget(`consumer-${consumer.name}-state-machine`, {
            stepFunctions: consumer.stepFunctions,
            stateMachineName: stateMachineName(stack, consumer.name),
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
        own: consumer.environment,
        secretId: secret?.arn,
        kind: { ...builtInEnvironment(consumer, archiveBucket), ...target?.environment, ...machine?.environment },
        parameterNames: parameters?.names ?? {},
      },
      idempotencyTable:
        consumer.idempotency === "dynamodb"
          ? { tableName: idempotencyTableName(stack, consumer.name), ttlSeconds: idempotencyTtlSeconds(config.stream.retentionHours) }
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
          { ...spec, tableName: consumerTableName(stack, consumer.name, table) },
        ]),
      ),
      pointInTimeRecovery: stack === PRODUCTION_STACK,
      logRetentionDays: config.observability.logRetentionDays,
      iteratorAgeAlarmMs: config.observability.iteratorAgeAlarmMs,
      alarmActions,
      lifecycle: config.lifecycle,
    });
    resources.push({ name: consumer.name, resource });
    outputs[consumer.name] = { functionName: resource.functionName, dlqUrl: resource.dlqUrl };
  }
  return { resources, outputs, secretArns, ...(archiveBucket ? { archiveBucket } : {}) };
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

/** The variables of a forwarder or an archiver (a fan-out target and a state machine write their own). */
function builtInEnvironment(consumer: ConsumerConfig, bucket: ArchiveBucket | undefined): Variables<pulumi.Input<string>> {
  if (consumer.archive !== undefined)
    return archiverEnvironment({ ...consumer.archive, bucket: consumer.archive.bucketName ?? bucket!.name });
  return consumer.handler === "forwarder" ? forwarderEnvironment(consumer) : {};
}
