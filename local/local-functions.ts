/**
 * The stack's functions, built from the same handler factories the deployed bundles use: `ingest`, the
 * token `authorizer` (when `api.auth` is `token`) and one function per consumer (its `handler` names the
 * entry file, e.g. `forwarder`), each with its configured timeout, memory and reserved concurrency.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { ConsumerConfig, StackConfig } from "../config/types";
import { createAuthorizerHandler } from "../handlers/authorizer";
import { createForwarderHandler } from "../handlers/forwarder";
import { createIngestHandler } from "../handlers/ingest";
import { FunctionRegistry, LocalFunction, type LambdaHandler } from "./functions";
import { HttpApiFront } from "./http-api-front";

/** Secret id of the API token hashes, as the stack names it. */
export const TOKEN_SECRET_ID = (stack: string): string => `kinesis-ingest-${stack}-api-tokens`;
/** Secret id of a consumer's runtime configuration. */
export const consumerSecretId = (stack: string, consumer: string): string => `kinesis-ingest-${stack}-${consumer}-config`;

/** HTTP API's integration timeout is 30 s: the ingest function must answer before it. */
const INGEST_TIMEOUT_SECONDS = 29;

/** Consumer handler entries the local stack can run, by the `handler` key of a consumer. */
const CONSUMER_HANDLERS: Record<string, (c: ConsumerConfig, deps: LocalFunctionDeps) => LambdaHandler> = {
  forwarder: (c, deps) =>
    createForwarderHandler({
      secretId: consumerSecretId(deps.stack, c.name),
      targetUrl: deps.targetUrlOf(c),
      requestTimeoutMs: c.requestTimeoutMs,
      secrets: deps.secrets,
    }),
};

/** What the functions are wired to. */
export interface LocalFunctionDeps {
  readonly stack: string;
  readonly streamName: string;
  readonly kinesis: KinesisClient;
  readonly secrets: SecretsManagerClient;
  /** Where a consumer delivers: `FORWARD_URL`, its `targetUrl`, or the built-in sink. */
  readonly targetUrlOf: (consumer: ConsumerConfig) => string;
  readonly log: (line: string) => void;
}

/** The registry of every function and the API front invoking `ingest` (behind `authorizer` if any). */
export function createLocalFunctions(config: StackConfig, deps: LocalFunctionDeps): { registry: FunctionRegistry; front: HttpApiFront } {
  const registry = new FunctionRegistry(`kinesis-ingest-${deps.stack}-`);
  const ingest = registry.add(
    new LocalFunction({
      name: "ingest",
      handler: createIngestHandler({ streamName: deps.streamName, kinesis: deps.kinesis }) as LambdaHandler,
      timeoutSeconds: INGEST_TIMEOUT_SECONDS,
    }),
  );
  const { auth, front, authorizerCacheSeconds } = config.api;
  if (front !== "http-api") deps.log(`note: api.front is ${front}; locally every front is served as an HTTP API (payload 2.0).`);
  if (auth === "iam" || auth === "jwt") deps.log(`note: api.auth ${auth} is not emulated locally; the local API checks bearer tokens instead.`);
  const authorizer =
    auth === "none"
      ? undefined
      : registry.add(
          new LocalFunction({
            name: "authorizer",
            handler: createAuthorizerHandler({ secretId: TOKEN_SECRET_ID(deps.stack), secrets: deps.secrets }) as LambdaHandler,
            timeoutSeconds: 10,
          }),
        );
  for (const consumer of Object.values(config.consumers)) {
    const build = CONSUMER_HANDLERS[consumer.handler];
    if (!build) {
      throw new Error(
        `consumers.${consumer.name}.handler is "${consumer.handler}", which has no local implementation; known: ${Object.keys(CONSUMER_HANDLERS).join(", ")}.`,
      );
    }
    registry.add(
      new LocalFunction({
        name: consumer.name,
        handler: build(consumer, deps),
        timeoutSeconds: consumer.timeoutSeconds,
        memoryMb: consumer.memoryMb,
        reservedConcurrency: consumer.reservedConcurrency,
      }),
    );
  }
  return { registry, front: new HttpApiFront({ ingest, authorizer, authorizerCacheSeconds }) };
}
