/**
 * The stack's consumers: for each, its config secret, its parameters, what its kind adds (components/consumer-kinds.ts)
 * and the StreamConsumer running its function.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { handlerEntryFile } from "../config/consumer-code";
import { idempotencyTtlSeconds, PRODUCTION_STACK } from "../config/defaults";
import {
  consumerTableName,
  idempotencyTableName,
  replayFanOutConsumerName,
  usesStackArchiveBucket,
  type StackNames,
} from "../config/names";
import { isBuiltInKind } from "../handlers/lib/built-in-kinds";
import { ArchiveBucket } from "./archive-bucket";
import { PROGRAM_KINDS } from "./consumer-kinds";
import { ConsumerParameters } from "./consumer-parameters";
import type { EventStream } from "./event-stream";
import { allow } from "./iam";
import { consumerSecret, consumerSecretEntry } from "./stack-secrets";
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
    const kind = isBuiltInKind(consumer.handler)
      ? PROGRAM_KINDS[consumer.handler]({ stack, consumer, config, archiveBucket, alarmActions })
      : undefined;
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
        kind: kind?.environment ?? {},
        parameterNames: parameters?.names ?? {},
      },
      idempotencyTable:
        consumer.idempotency === "dynamodb"
          ? { tableName: idempotencyTableName(stack, consumer.name), ttlSeconds: idempotencyTtlSeconds(config.stream.retentionHours) }
          : undefined,
      statements: [
        ...(secret ? [secret.readStatement("Config")] : []),
        ...(kind?.statements ?? []),
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
