/**
 * The stack's functions, built from the same handler factories the deployed bundles use: `ingest`, the
 * `authorizer` (tokens on an API Gateway front; JWTs on websocket) and one function per consumer, each with its
 * configured timeout, memory and reserved concurrency. A built-in kind runs in-process (consumer-handlers.ts); a
 * user's module runs in its own execution environment ({@link WorkerFunction}) with the environment the program
 * would give it.
 */
import { AUTHORIZER_FUNCTION, INGEST_FUNCTION } from "../config/defaults";
import { ingestChecksTokens } from "../config/api-settings";
import { ingestBudget } from "../config/ingest-budget";
import type { ConsumerConfig, StackConfig } from "../config/types";
import { authorizerOptions, createAuthorizerHandler, type AuthorizerHandlerOptions } from "../handlers/authorizer";
import { audiencesValue, authorizerEnvironment, authorizerFromEnv } from "../handlers/lib/environment/authorizer";
import { ingestEnvironment, ingestFromEnv } from "../handlers/lib/environment/ingest";
import { createIngestHandler } from "../handlers/ingest";
import { handlerEntryFile } from "../config/consumer-code";
import { isBuiltInKind } from "../handlers/lib/built-in-kinds";
import { consumerTableName, idempotencyTableName } from "../config/names";
import { parameterNames } from "../config/parameter-settings";
import { consumerEnvironment } from "../handlers/lib/environment/consumer";
import { createTokenVerifier } from "../handlers/lib/bearer-token";
import { FunctionRegistry, LocalFunction, type LambdaHandler } from "./functions";
import { localPoolIdentity } from "./fronts/cognito-pool";
import { WorkerFunction } from "./worker-function";
import { LOCAL_KINDS } from "./consumer-handlers";
import type { LocalFunctionDeps } from "./function-deps";

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
  // As deployed: the ingest function's settings through its environment contract, written then read; on an
  // ALB, which has no authorizer, the function checks tokens itself.
  const { tokenSecretId, ...ingestSettings } = ingestFromEnv(
    ingestEnvironment({
      streamName: deps.names.stream,
      deadlineMs: budget.deadlineMs,
      maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
      logPartitionKeys: config.observability.contributorInsights,
      ...(ingestChecksTokens(config.api) ? { tokenSecretId: deps.names.localApiTokensSecret } : {}),
      // The websocket front's answers reach the local `@connections` endpoint through the standard variable.
      connectionsEndpoint: deps.awsEnvironment.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI,
    }),
  );
  const verify = tokenSecretId === undefined ? undefined : createTokenVerifier({ secretId: tokenSecretId, secrets: deps.secrets });
  const registry = new FunctionRegistry(`${deps.names.prefix}-`);
  const ingest = registry.add(
    new LocalFunction({
      name: "ingest",
      handler: createIngestHandler({
        ...ingestSettings,
        kinesis: deps.kinesis,
        ...(verify ? { authorize: (headers: Readonly<Record<string, string>>) => verify(headers.authorization) } : {}),
      }),
      timeoutSeconds: budget.timeoutSeconds,
      memoryMb: INGEST_FUNCTION.memoryMb,
    }),
  );
  const authorizing = localAuthorizerOptions(config.api, deps);
  const authorizer =
    authorizing &&
    registry.add(
      new LocalFunction({
        name: "authorizer",
        handler: createAuthorizerHandler(authorizing),
        timeoutSeconds: AUTHORIZER_FUNCTION.timeoutSeconds,
        memoryMb: AUTHORIZER_FUNCTION.memoryMb,
      }),
    );
  for (const consumer of Object.values(config.consumers)) {
    let handler: LambdaHandler;
    if (isBuiltInKind(consumer.handler)) {
      handler = LOCAL_KINDS[consumer.handler](consumer, deps);
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
  const written = localAuthorizerSettings(api, deps);
  if (written === undefined) return undefined;
  // As deployed: the settings through the authorizer's environment contract, written then read.
  const options = authorizerOptions(authorizerFromEnv(authorizerEnvironment(written)));
  return { ...options, secrets: deps.secrets };
}

/** What the program would write for the authorizer, with the local issuer's key set for JWTs. */
function localAuthorizerSettings(api: StackConfig["api"], deps: LocalFunctionDeps) {
  if (api.auth === "token") return ingestChecksTokens(api) ? undefined : { tokenSecretId: deps.names.localApiTokensSecret };
  if (api.front !== "websocket" || (api.auth !== "jwt" && api.auth !== "cognito")) return undefined;
  const { issuer, audiences } = api.auth === "jwt" ? { issuer: api.jwtIssuer!, audiences: api.jwtAudience } : localPoolIdentity(api);
  return { jwt: { issuer, audiences: audiencesValue(audiences), jwksUrl: deps.jwksUrl } };
}
