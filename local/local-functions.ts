/**
 * The stack's functions, built from the same handler factories the deployed bundles use: `ingest`, the
 * token `authorizer` (when `api.auth` is `token`) and one function per consumer (its `handler` names the
 * entry file, e.g. `forwarder`), each with its configured timeout, memory and reserved concurrency.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AUTHORIZER_FUNCTION, INGEST_FUNCTION } from "../config/defaults";
import type { StackNames } from "../config/names";
import type { ConsumerConfig, StackConfig } from "../config/types";
import { createAuthorizerHandler } from "../handlers/authorizer";
import { createForwarderHandler } from "../handlers/forwarder";
import { createIngestHandler } from "../handlers/ingest";
import { FunctionRegistry, LocalFunction, type LambdaHandler } from "./functions";
import { HttpApiFront } from "./http-api-front";

/** Consumer handler entries the local stack can run, by the `handler` key of a consumer. */
const CONSUMER_HANDLERS: Record<string, (c: ConsumerConfig, deps: LocalFunctionDeps) => LambdaHandler> = {
  forwarder: (c, deps) =>
    createForwarderHandler({
      secretId: deps.names.consumers[c.name]!.localConfigSecret,
      targetUrl: deps.targetUrlOf(c),
      requestTimeoutMs: c.requestTimeoutMs,
      secrets: deps.secrets,
    }),
};

/** What the functions are wired to. */
export interface LocalFunctionDeps {
  /** The stack's physical names: functions, stream and secret ids. */
  readonly names: StackNames;
  readonly kinesis: KinesisClient;
  readonly secrets: SecretsManagerClient;
  /** Where a consumer delivers: `FORWARD_URL`, its `targetUrl`, or the built-in sink. */
  readonly targetUrlOf: (consumer: ConsumerConfig) => string;
  readonly log: (line: string) => void;
}

/** The registry of every function and the API front invoking `ingest` (behind `authorizer` if any). */
export function createLocalFunctions(config: StackConfig, deps: LocalFunctionDeps): { registry: FunctionRegistry; front: HttpApiFront } {
  const registry = new FunctionRegistry(`${deps.names.prefix}-`);
  const ingest = registry.add(
    new LocalFunction({
      name: "ingest",
      handler: createIngestHandler({ streamName: deps.names.stream, kinesis: deps.kinesis }) as LambdaHandler,
      timeoutSeconds: INGEST_FUNCTION.timeoutSeconds,
      memoryMb: INGEST_FUNCTION.memoryMb,
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
            handler: createAuthorizerHandler({ secretId: deps.names.localApiTokensSecret, secrets: deps.secrets }) as LambdaHandler,
            timeoutSeconds: AUTHORIZER_FUNCTION.timeoutSeconds,
            memoryMb: AUTHORIZER_FUNCTION.memoryMb,
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
