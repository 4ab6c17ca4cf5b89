/**
 * The idempotency store a consumer function gets from the variables the program sets on it:
 * `IDEMPOTENCY` (`memory` when unset, `dynamodb` or `none`), `IDEMPOTENCY_TABLE` (the table, for `dynamodb`)
 * and `IDEMPOTENCY_TTL_SECONDS` (how long completions are kept; the stream's retention plus 1 h).
 */
import type { DynamoDbIdempotencyStore } from "./dynamodb-store";
import { MemoryIdempotencyStore } from "./memory-store";
import type { IdempotencyMode, IdempotencyStore } from "./store";

const MODES: readonly IdempotencyMode[] = ["memory", "dynamodb", "none"];

/**
 * The store `env` asks for, or undefined for `none`. Throws, naming the variable, on a value it cannot use:
 * a function misconfigured this way must not silently lose its duplicate protection.
 */
export function idempotencyStoreFromEnv(env: NodeJS.ProcessEnv): IdempotencyStore | undefined {
  const mode = env.IDEMPOTENCY || "memory";
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`IDEMPOTENCY must be one of ${MODES.join(", ")}, got "${mode}".`);
  const rawTtl = env.IDEMPOTENCY_TTL_SECONDS;
  const ttlSeconds = rawTtl === undefined || rawTtl === "" ? undefined : Number(rawTtl);
  if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && ttlSeconds >= 1)) {
    throw new Error(`IDEMPOTENCY_TTL_SECONDS must be a positive integer of seconds, got "${rawTtl}".`);
  }
  if (mode === "none") return undefined;
  if (mode === "memory") return new MemoryIdempotencyStore({ ttlSeconds });
  const tableName = env.IDEMPOTENCY_TABLE;
  if (!tableName)
    throw new Error("IDEMPOTENCY is dynamodb but IDEMPOTENCY_TABLE is not set; it must name the consumer's idempotency table.");
  // Loaded only for this mode, so a memory-mode function never pays for the DynamoDB client at cold start.

  const { DynamoDbIdempotencyStore: Store } = require("./dynamodb-store") as { DynamoDbIdempotencyStore: typeof DynamoDbIdempotencyStore };
  return new Store({ tableName, ttlSeconds });
}
