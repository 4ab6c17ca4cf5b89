/**
 * The idempotency store's variables, read by the consumer runtime (handlers/lib/idempotency/from-env.ts):
 * `IDEMPOTENCY` (`memory` when unset, `dynamodb` or `none`), `IDEMPOTENCY_TABLE` (the table, for `dynamodb`)
 * and `IDEMPOTENCY_TTL_SECONDS` (how long completions are kept; the program sets the stream's retention plus 1 h).
 */
import type { IdempotencyMode } from "../idempotency/store";
import { type EnvironmentSource, type Variables } from "./variables";

export const IDEMPOTENCY_VARIABLES = { mode: "IDEMPOTENCY", table: "IDEMPOTENCY_TABLE", ttlSeconds: "IDEMPOTENCY_TTL_SECONDS" } as const;

const MODES: readonly IdempotencyMode[] = ["memory", "dynamodb", "none"];

/** The store a consumer function runs with; `V` is the table name's type (a Pulumi Input in the program). */
export type IdempotencySettings<V = string> =
  | { readonly mode: "none" }
  | { readonly mode: "memory"; readonly ttlSeconds?: number }
  | { readonly mode: "dynamodb"; readonly tableName: V; readonly ttlSeconds?: number };

/** The variables of `settings`; `memory` is the runtime's default, so it needs no `IDEMPOTENCY`. */
export function idempotencyEnvironment<V>(settings: IdempotencySettings<V>): Variables<V> {
  const v = IDEMPOTENCY_VARIABLES;
  if (settings.mode === "none") return { [v.mode]: "none" };
  const ttl: Record<string, string> = settings.ttlSeconds === undefined ? {} : { [v.ttlSeconds]: String(settings.ttlSeconds) };
  if (settings.mode === "memory") return ttl;
  return { [v.mode]: "dynamodb", [v.table]: settings.tableName, ...ttl };
}

/**
 * The settings `env` asks for. Throws, naming the variable, on a value it cannot use: a function misconfigured
 * this way must not silently lose its duplicate protection.
 */
export function idempotencyFromEnv(env: EnvironmentSource): IdempotencySettings {
  const v = IDEMPOTENCY_VARIABLES;
  const mode = env[v.mode] || "memory";
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`${v.mode} must be one of ${MODES.join(", ")}, got "${mode}".`);
  const rawTtl = env[v.ttlSeconds];
  const ttlSeconds = rawTtl === undefined || rawTtl === "" ? undefined : Number(rawTtl);
  if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && ttlSeconds >= 1)) {
    throw new Error(`${v.ttlSeconds} must be a positive integer of seconds, got "${rawTtl}".`);
  }
  if (mode === "none") return { mode };
  if (mode === "memory") return { mode, ttlSeconds };
  const tableName = env[v.table];
  if (!tableName) throw new Error(`${v.mode} is dynamodb but ${v.table} is not set; it must name the consumer's idempotency table.`);
  return { mode: "dynamodb", tableName, ttlSeconds };
}
