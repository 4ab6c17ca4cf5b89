/**
 * The idempotency store a consumer function gets from the variables the program sets on it
 * (lib/environment/idempotency.ts).
 */
import { idempotencyFromEnv } from "../environment/idempotency";
import type { EnvironmentSource } from "../environment/variables";
import type { DynamoDbIdempotencyStore } from "./dynamodb-store";
import { MemoryIdempotencyStore } from "./memory-store";
import type { IdempotencyStore } from "./store";

/**
 * The store `env` asks for, or undefined for `none`. Throws, naming the variable, on a value it cannot use:
 * a function misconfigured this way must not silently lose its duplicate protection.
 */
export function idempotencyStoreFromEnv(env: EnvironmentSource): IdempotencyStore | undefined {
  const settings = idempotencyFromEnv(env);
  if (settings.mode === "none") return undefined;
  if (settings.mode === "memory") return new MemoryIdempotencyStore({ ttlSeconds: settings.ttlSeconds });
  // Loaded only for this mode, so a memory-mode function never pays for the DynamoDB client at cold start.

  const { DynamoDbIdempotencyStore: Store } = require("./dynamodb-store") as { DynamoDbIdempotencyStore: typeof DynamoDbIdempotencyStore };
  return new Store({ tableName: settings.tableName, ttlSeconds: settings.ttlSeconds });
}
