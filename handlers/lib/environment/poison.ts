/**
 * The poison-record variables (names: `POISON_ENVIRONMENT`, semantics/poison-records.ts), read by the consumer
 * runtime (handlers/lib/consumer/poison.ts): the consumer's own on-failure queue always; the mode and the
 * attempts only when they differ from the runtime's defaults (unset, it assumes them).
 */
import {
  DEFAULT_MAX_RECORD_ATTEMPTS,
  DEFAULT_POISON_RECORD_MODE,
  maxRecordAttempts,
  POISON_ENVIRONMENT,
  poisonRecordMode,
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
 * The variables as set, each undefined when unset or empty (the runtime then takes its options, which come
 * first, or the defaults: `poisonPolicyOf`); a value out of range is an error naming its variable.
 */
export function poisonFromEnv(env: EnvironmentSource): {
  readonly mode?: PoisonRecordMode;
  readonly maxRecordAttempts?: number;
  readonly queueUrl?: string;
} {
  const set = (name: string) => env[name] || undefined;
  const mode = set(POISON_ENVIRONMENT.mode);
  const attempts = set(POISON_ENVIRONMENT.maxAttempts);
  return {
    mode: mode === undefined ? undefined : poisonRecordMode(mode, POISON_ENVIRONMENT.mode),
    maxRecordAttempts: attempts === undefined ? undefined : maxRecordAttempts(attempts, POISON_ENVIRONMENT.maxAttempts),
    queueUrl: set(POISON_ENVIRONMENT.queueUrl),
  };
}
