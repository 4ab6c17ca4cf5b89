/**
 * The stack's functions, built from the same handler factories the deployed bundles use: `ingest`, the
 * token `authorizer` (when `api.auth` is `token` on an API Gateway front) and one function per consumer, each with its configured
 * timeout, memory and reserved concurrency. A built-in kind runs in-process; a user's module runs in its own
 * execution environment ({@link WorkerFunction}) with the environment the program would give it.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { AUTHORIZER_FUNCTION, INGEST_FUNCTION } from "../config/defaults";
import { ingestBudget } from "../config/ingest-budget";
import type { StackNames } from "../config/names";
import type { ConsumerConfig, StackConfig } from "../config/types";
import { createArchiverHandler } from "../handlers/archiver";
import { createAuthorizerHandler, type AuthorizerHandlerOptions } from "../handlers/authorizer";
import { createEventBridgeHandler } from "../handlers/eventbridge";
import { createForwarderHandler } from "../handlers/forwarder";
import { createIngestHandler } from "../handlers/ingest";
import { createSnsHandler } from "../handlers/sns";
import { createSqsHandler } from "../handlers/sqs";
import { createStepFunctionsConsumer } from "../handlers/lib/stepfunctions/start";
import { handlerEntryFile, isBuiltInHandler } from "../config/consumer-code";
import { consumerTableName, idempotencyTableName } from "../config/names";
import { parameterNames } from "../config/parameter-settings";
import { archiverEnvironment, archiverOptionsFromEnv } from "../handlers/lib/environment/archiver";
import { CONFIG_SECRET_VARIABLE, consumerEnvironment } from "../handlers/lib/environment/consumer";
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
import { createTokenVerifier } from "../handlers/lib/bearer-token";
import type { LocalFanoutTarget } from "./fanout-targets";
import { FunctionRegistry, LocalFunction, type LambdaHandler } from "./functions";
import { localPoolIdentity } from "./fronts/cognito-pool";
import { WorkerFunction } from "./worker-function";

/** Consumer handler entries the local stack can run, by the `handler` key of a consumer. */
const CONSUMER_HANDLERS: Record<string, (c: ConsumerConfig, deps: LocalFunctionDeps) => LambdaHandler> = {
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

/** What the functions are wired to. */
export interface LocalFunctionDeps {
  readonly stack: string;
  /** The stack's physical names: functions, stream and secret ids. */
  readonly names: StackNames;
  readonly kinesis: KinesisClient;
  readonly secrets: SecretsManagerClient;
  /** fauxqs (SQS and SNS) and the PutEvents stand-in, and the fan-out consumers' targets there, by consumer. */
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
  readonly fanoutTargets: ReadonlyMap<string, LocalFanoutTarget>;
  /** The Step Functions stand-in's client and each `stepfunctions` consumer's state machine ARN there. */
  readonly sfn?: SFNClient;
  readonly stateMachines?: ReadonlyMap<string, string>;
  /** The URL of consumer `consumer`'s on-failure queue on fauxqs, where its isolated records go. */
  readonly dlqUrlOf: (consumer: string) => string;
  /** The local issuer's key set (`<server>/_local/jwks.json`): what the websocket front's JWT authorizer reads. */
  readonly jwksUrl: string;
  /** The DynamoDB emulator, holding the `dynamodb` idempotency tables. */
  readonly dynamodb: DynamoDBClient;
  /** The S3 emulator, holding the archivers' buckets. */
  readonly s3: S3Client;
  /** The bucket an archiver writes to: its `bucketName`, or the stack's archive bucket. */
  readonly archiveBucketOf: (consumer: ConsumerConfig) => string;
  /** How long idempotency items live: the stream's retention plus 1 h, as deployed. */
  readonly idempotencyTtlSeconds: number;
  /** Where a consumer delivers: `FORWARD_URL`, its `targetUrl`, or the built-in sink. */
  readonly targetUrlOf: (consumer: ConsumerConfig) => string;
  readonly log: (line: string) => void;
  /** Told each log line a consumer's function writes (in-process, or a user's module's stdout). */
  readonly onConsumerLine?: (consumer: string, line: string) => void;
  /**
   * What a user's module sees besides its own `environment`: region, dummy credentials and the emulators'
   * `AWS_ENDPOINT_URL_<SERVICE>`, so its SDK clients reach them with no code change.
   */
  readonly awsEnvironment: Readonly<Record<string, string>>;
}

/** The running functions (`ingest` and the token `authorizer` for the front) and the environments of users' modules. */
export interface LocalFunctions {
  readonly registry: FunctionRegistry;
  readonly ingest: LocalFunction;
  readonly authorizer?: LocalFunction;
  /** Loads every user module; rejects naming the consumer when one throws at import. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The registry of every function, as the program deploys them for the stack's front and auth. */
export function createLocalFunctions(config: StackConfig, deps: LocalFunctionDeps): LocalFunctions {
  const workers: WorkerFunction[] = [];
  // As deployed: the ingest function's timeout and write deadline leave its front time to answer.
  const budget = ingestBudget(config.api.front);
  const { auth, front } = config.api;
  // As deployed: an ALB has no authorizer, so with token auth the ingest function checks the token itself.
  const verify =
    front === "alb" && auth === "token"
      ? createTokenVerifier({ secretId: deps.names.localApiTokensSecret, secrets: deps.secrets })
      : undefined;
  const registry = new FunctionRegistry(`${deps.names.prefix}-`);
  const ingest = registry.add(
    new LocalFunction({
      name: "ingest",
      handler: createIngestHandler({
        streamName: deps.names.stream,
        kinesis: deps.kinesis,
        deadlineMs: budget.deadlineMs,
        // As deployed: the stream's record limit, from the validated stack file.
        maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
        // The websocket front's answers reach the local `@connections` endpoint through the standard variable.
        connectionsEndpoint: deps.awsEnvironment.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI,
        ...(verify ? { authorize: (headers: Readonly<Record<string, string>>) => verify(headers.authorization) } : {}),
      }),
      timeoutSeconds: budget.timeoutSeconds,
      memoryMb: INGEST_FUNCTION.memoryMb,
    }),
  );
  const authorizerOptions = localAuthorizerOptions(config.api, deps);
  const authorizer =
    authorizerOptions &&
    registry.add(
      new LocalFunction({
        name: "authorizer",
        handler: createAuthorizerHandler(authorizerOptions),
        timeoutSeconds: AUTHORIZER_FUNCTION.timeoutSeconds,
        memoryMb: AUTHORIZER_FUNCTION.memoryMb,
      }),
    );
  for (const consumer of Object.values(config.consumers)) {
    const builtIn = CONSUMER_HANDLERS[consumer.handler];
    let handler: LambdaHandler;
    if (builtIn) {
      handler = builtIn(consumer, deps);
    } else if (isBuiltInHandler(consumer.handler)) {
      throw new Error(`consumers.${consumer.name}.handler is "${consumer.handler}", which has no local implementation yet.`);
    } else {
      const worker = new WorkerFunction(
        deps.names.consumers[consumer.name]!.function,
        handlerEntryFile(consumer.handler),
        consumer,
        customEnvironment(consumer, deps),
        deps.onConsumerLine && ((line: string) => deps.onConsumerLine!(consumer.name, line)),
      );
      workers.push(worker);
      handler = worker.handler;
    }
    registry.add(
      new LocalFunction({
        name: consumer.name,
        physicalName: deps.names.consumers[consumer.name]!.function,
        handler,
        timeoutSeconds: consumer.timeoutSeconds,
        memoryMb: consumer.memoryMb,
        reservedConcurrency: consumer.reservedConcurrency,
      }),
    );
  }
  return {
    registry,
    ingest,
    ...(authorizer ? { authorizer } : {}),
    start: async () => void (await Promise.all(workers.map((w) => w.start()))),
    stop: async () => void (await Promise.all(workers.map((w) => w.stop()))),
  };
}

/**
 * The variables a user's module gets: its own, its tables', its secret's id, its idempotency store's, its
 * on-failure queue's and poison settings', and the local AWS endpoints.
 */
function customEnvironment(consumer: ConsumerConfig, deps: LocalFunctionDeps): Record<string, string> {
  const names = deps.names.consumers[consumer.name]!;
  const { stack } = deps;
  return {
    ...deps.awsEnvironment,
    AWS_LAMBDA_FUNCTION_NAME: names.function,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(consumer.memoryMb),
    ...consumerEnvironment({
      own: consumer.environment,
      secretId: names.localConfigSecret,
      idempotency:
        consumer.idempotency === "dynamodb"
          ? { mode: "dynamodb", tableName: idempotencyTableName(stack, consumer.name), ttlSeconds: deps.idempotencyTtlSeconds }
          : { mode: consumer.idempotency },
      poison: { ...consumer, queueUrl: deps.dlqUrlOf(consumer.name) },
      tables: Object.fromEntries(Object.keys(consumer.tables).map((table) => [table, consumerTableName(stack, consumer.name, table)])),
      parameterNames: parameterNames(stack, consumer.name, consumer.parameters),
    }),
  };
}

/**
 * The authorizer function as the program deploys it (components/ingest-api.ts): the token secret for `token`
 * on an API Gateway front; on websocket, for `jwt` and `cognito`, the issuer whose keys the local issuer serves.
 */
function localAuthorizerOptions(api: StackConfig["api"], deps: LocalFunctionDeps): AuthorizerHandlerOptions | undefined {
  if (api.auth === "token") return api.front === "alb" ? undefined : { secretId: deps.names.localApiTokensSecret, secrets: deps.secrets };
  if (api.front !== "websocket" || (api.auth !== "jwt" && api.auth !== "cognito")) return undefined;
  const identity = api.auth === "jwt" ? { issuer: api.jwtIssuer!, audiences: api.jwtAudience } : localPoolIdentity(api);
  return { jwt: { ...identity, jwksUrl: deps.jwksUrl } };
}
