/**
 * The built-in consumer kinds as local functions: each kind's handler factory, configured as its deployed
 * function is — its settings through its environment contract's writer and reader (handlers/lib/environment/),
 * its runtime options as the program sets them, its target on the emulators.
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { idempotencyTableName } from "../config/names";
import type { ConsumerConfig } from "../config/types";
import { createArchiverHandler } from "../handlers/archiver";
import { createEventBridgeHandler } from "../handlers/eventbridge";
import { createForwarderHandler } from "../handlers/forwarder";
import { createSnsHandler } from "../handlers/sns";
import { createSqsHandler } from "../handlers/sqs";
import type { BuiltInKind } from "../handlers/lib/built-in-kinds";
import { createStepFunctionsConsumer } from "../handlers/lib/stepfunctions/start";
import { archiverEnvironment, archiverOptionsFromEnv } from "../handlers/lib/environment/archiver";
import { CONFIG_SECRET_VARIABLE } from "../handlers/lib/environment/consumer";
import { eventBridgeEnvironment, eventBridgeFromEnv } from "../handlers/lib/environment/eventbridge";
import { forwarderEnvironment, forwarderOptionsFromEnv } from "../handlers/lib/environment/forwarder";
import { snsEnvironment, snsFromEnv } from "../handlers/lib/environment/sns";
import { sqsEnvironment, sqsFromEnv } from "../handlers/lib/environment/sqs";
import { stepFunctionsEnvironment, stepFunctionsFromEnv } from "../handlers/lib/environment/stepfunctions";
import type { EnvironmentSource, Variables } from "../handlers/lib/environment/variables";
import type { ConsumerOptions } from "../handlers/lib/consumer";
import { DEFAULT_MAX_RECORD_ATTEMPTS, DEFAULT_POISON_RECORD_MODE } from "../semantics/poison-records";
import { DynamoDbIdempotencyStore } from "../handlers/lib/idempotency/dynamodb-store";
import { MemoryIdempotencyStore } from "../handlers/lib/idempotency/memory-store";
import type { IdempotencyStore } from "../handlers/lib/idempotency/store";
import type { LocalFanoutTarget } from "./fanout-targets";
import type { LocalFunctionDeps } from "./function-deps";
import type { LambdaHandler } from "./functions";

/** Each built-in kind's local function, by the `handler` key of a consumer. */
export const LOCAL_KINDS: Readonly<Record<BuiltInKind, (c: ConsumerConfig, deps: LocalFunctionDeps) => LambdaHandler>> = {
  forwarder: (c, deps) =>
    createForwarderHandler({
      ...forwarderOptionsFromEnv({
        [CONFIG_SECRET_VARIABLE]: deps.names.consumers[c.name]!.localConfigSecret,
        ...forwarderEnvironment({ ...c, targetUrl: deps.targetUrlOf(c) }),
      }),
      secrets: deps.secrets,
      consumer: runtimeOptions(c, deps),
    }),
  archiver: (c, deps) =>
    createArchiverHandler({
      ...asDeployed(archiverEnvironment, archiverOptionsFromEnv, { ...c.archive!, bucket: deps.archiveBucketOf(c) }),
      s3: deps.s3,
      kinesis: deps.kinesis,
      consumer: runtimeOptions(c, deps),
    }),
  sqs: (c, deps) =>
    createSqsHandler(
      { client: deps.sqs, ...asDeployed(sqsEnvironment, sqsFromEnv, fanoutTarget(c, deps, "sqs")) },
      { consumer: runtimeOptions(c, deps) },
    ),
  sns: (c, deps) =>
    createSnsHandler(
      { client: deps.sns, ...asDeployed(snsEnvironment, snsFromEnv, fanoutTarget(c, deps, "sns")) },
      { consumer: runtimeOptions(c, deps) },
    ),
  eventbridge: (c, deps) =>
    createEventBridgeHandler(
      { client: deps.eventBridge, ...asDeployed(eventBridgeEnvironment, eventBridgeFromEnv, fanoutTarget(c, deps, "eventbridge")) },
      { consumer: runtimeOptions(c, deps) },
    ),
  stepfunctions: (c, deps) => {
    const stateMachineArn = deps.stateMachines?.get(c.name);
    if (stateMachineArn === undefined || c.stepFunctions === undefined)
      throw new Error(`consumers.${c.name}: no local state machine was created.`);
    const { workflowType } = c.stepFunctions;
    return createStepFunctionsConsumer({
      client: deps.sfn!,
      ...asDeployed(stepFunctionsEnvironment, stepFunctionsFromEnv, { stateMachineArn, workflowType }),
      consumer: runtimeOptions(c, deps),
    });
  },
};

/**
 * A built-in kind's settings as its deployed function reads them: its contract's writer (what the program
 * sets), then its reader (what the handler reads), so the local function and the deployed one cannot differ.
 */
function asDeployed<S, T>(write: (settings: S) => Variables, read: (env: EnvironmentSource) => T, settings: S): T {
  return read(write(settings));
}

/** The local target of a fan-out consumer of `kind` (created by the stack before the functions). */
function fanoutTarget<K extends LocalFanoutTarget["kind"]>(
  c: ConsumerConfig,
  deps: LocalFunctionDeps,
  kind: K,
): Extract<LocalFanoutTarget, { kind: K }> {
  const target = deps.fanoutTargets.get(c.name);
  if (target?.kind !== kind) throw new Error(`consumers.${c.name}: no local ${kind} target was created.`);
  return target as Extract<LocalFanoutTarget, { kind: K }>;
}

/**
 * The runtime options of a built-in consumer: what its deployed function reads from `IDEMPOTENCY*`,
 * `POISON_RECORDS`, `MAX_RECORD_ATTEMPTS` (the runtime's defaults when the program sets none) and
 * `ON_FAILURE_QUEUE_URL`, here its queue on fauxqs; never this process's own environment.
 */
function runtimeOptions(c: ConsumerConfig, deps: LocalFunctionDeps): ConsumerOptions {
  const queueUrl = deps.dlqUrlOf(c.name);
  const onLine = deps.onConsumerLine;
  return {
    // As deployed, the lines go to stdout (Lambda's log); the console also reads them.
    ...(onLine ? { writeLine: (line: string) => (process.stdout.write(line + "\n"), onLine(c.name, line)) } : {}),
    idempotency: idempotencyStore(c, deps),
    poisonRecords: c.poisonRecords ?? DEFAULT_POISON_RECORD_MODE,
    maxRecordAttempts: c.maxRecordAttempts ?? DEFAULT_MAX_RECORD_ATTEMPTS,
    onFailureDestination: async (body) =>
      (await deps.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))).MessageId ?? "",
  };
}

/** The store a built-in consumer runs with, as the program configures it. */
function idempotencyStore(c: ConsumerConfig, deps: LocalFunctionDeps): IdempotencyStore | "none" {
  if (c.idempotency === "none") return "none";
  if (c.idempotency === "memory") return new MemoryIdempotencyStore({ ttlSeconds: deps.idempotencyTtlSeconds });
  return new DynamoDbIdempotencyStore({
    tableName: idempotencyTableName(deps.stack, c.name),
    client: deps.dynamodb,
    ttlSeconds: deps.idempotencyTtlSeconds,
  });
}
