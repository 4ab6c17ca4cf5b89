/**
 * The poison-record variables (names: `POISON_ENVIRONMENT`, semantics/poison-records.ts), read by the consumer
 * runtime (handlers/lib/consumer/poison.ts): the consumer's own on-failure queue always; the mode and the
 * attempts only when they differ from the runtime's defaults (unset, it assumes them).
 */
import {
  DEFAULT_MAX_RECORD_ATTEMPTS,
  DEFAULT_POISON_RECORD_MODE,
  POISON_ENVIRONMENT,
  type PoisonRecordMode,
} from "../../../semantics/poison-records";
import type { EnvironmentSource, Variables } from "./variables";

/** A consumer's poison settings as validated (both unset on a windowed consumer). */
export interface PoisonSettings {
  readonly poisonRecords?: PoisonRecordMode;
  readonly maxRecordAttempts?: number;
}

/** The variables of `settings`, with `queueUrl` the consumer's on-failure queue (a Pulumi Input in the program). */
export function poisonEnvironment<V>(settings: PoisonSettings, queueUrl: V): Variables<V> {
  const { poisonRecords, maxRecordAttempts } = settings;
  return {
    [POISON_ENVIRONMENT.queueUrl]: queueUrl,
    ...(poisonRecords !== undefined && poisonRecords !== DEFAULT_POISON_RECORD_MODE ? { [POISON_ENVIRONMENT.mode]: poisonRecords } : {}),
    ...(maxRecordAttempts !== undefined && maxRecordAttempts !== DEFAULT_MAX_RECORD_ATTEMPTS
      ? { [POISON_ENVIRONMENT.maxAttempts]: String(maxRecordAttempts) }
      : {}),
  };
}

/**
 * The variables as set, each undefined when unset or empty: the runtime checks them together with its options,
 * which take precedence (`poisonPolicyOf`).
 */
export function poisonFromEnv(env: EnvironmentSource): {
  readonly mode?: string;
  readonly maxRecordAttempts?: string;
  readonly queueUrl?: string;
} {
  const set = (name: string) => env[name] || undefined;
  return {
    mode: set(POISON_ENVIRONMENT.mode),
    maxRecordAttempts: set(POISON_ENVIRONMENT.maxAttempts),
    queueUrl: set(POISON_ENVIRONMENT.queueUrl),
  };
}
