/**
 * A consumer function's whole environment, of every kind, a user's module included: the user's own
 * `environment`, its ConfigSecret's id, its kind's variables (the kind's module: forwarder.ts, archiver.ts,
 * sqs.ts, ...; none for a user's module) and the consumer runtime's (idempotency, poison records, tables and
 * parameters). The program (components/stream-consumer.ts) and the local stack (a user's module) write it here.
 */
import { idempotencyEnvironment, type IdempotencySettings } from "./idempotency";
import { parametersEnvironment } from "./parameters";
import { poisonEnvironment, type PoisonSettings } from "./poison";
import { tablesEnvironment } from "./tables";
import type { Variables } from "./variables";

/** The consumer's ConfigSecret's id (`consumerSecrets`): the forwarder's reader requires it, a user's module may read it. */
export const CONFIG_SECRET_VARIABLE = "CONFIG_SECRET_ID";

/** A consumer name's most characters: it is part of every physical name of the consumer (config/schema/consumers.ts). */
export const CONSUMER_NAME_MAX_LENGTH = 40;

/** Everything a consumer function's environment is written from; `V` is a Pulumi Input in the program. */
export interface ConsumerEnvironment<V = string> {
  /** The user's own `environment` (validated: none of the names below). @default {} */
  readonly own?: Readonly<Record<string, string>>;
  /** The ConfigSecret's id or ARN, when the consumer has one. */
  readonly secretId?: V;
  /** The variables of the consumer's kind, from its module's writer; none for a user's module. @default {} */
  readonly kind?: Variables<V>;
  readonly idempotency: IdempotencySettings<V>;
  /** The poison settings and the consumer's on-failure queue's URL. */
  readonly poison: PoisonSettings & { readonly queueUrl: V };
  /** The consumer's tables' physical names, by config name. */
  readonly tables: Readonly<Record<string, V>>;
  /** The consumer's parameters' Parameter Store names, by key. */
  readonly parameterNames: Readonly<Record<string, string>>;
}

/** The function's variables. */
export function consumerEnvironment<V>(e: ConsumerEnvironment<V>): Variables<V> {
  return {
    ...e.own,
    ...(e.secretId === undefined ? {} : { [CONFIG_SECRET_VARIABLE]: e.secretId }),
    ...e.kind,
    ...idempotencyEnvironment(e.idempotency),
    ...parametersEnvironment(e.parameterNames),
    ...tablesEnvironment(e.tables),
    ...poisonEnvironment(e.poison, e.poison.queueUrl),
  };
}

/**
 * What the 4 KB budget knows of a consumer when its stack file is validated, before any resource exists:
 * its settings so far; every value known only at deploy (an ARN, a URL, a physical name) counts at its longest.
 */
export interface ConsumerShape {
  readonly handler?: string;
  readonly idempotency?: IdempotencySettings["mode"];
  readonly poisonRecords?: PoisonSettings["poisonRecords"];
  readonly maxRecordAttempts?: number;
  readonly tables?: Readonly<Record<string, unknown>>;
  /** Each parameter's Parameter Store name at its longest, by key. */
  readonly parameterNames?: Readonly<Record<string, string>>;
  readonly requestTimeoutMs?: number;
  /** The stack file's `targetUrl`, as given. */
  readonly targetUrl?: unknown;
}

/** What a built-in kind's module gives the budget and the reserved names (budget.ts). */
export interface ConsumerKind {
  /** Every variable the kind's writer can set: a user's `environment` may not. */
  readonly variables: readonly string[];
  /** The kind's variables at their longest for `consumer`. */
  longest(consumer: ConsumerShape): Variables;
}
