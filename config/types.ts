/**
 * The validated shape of a stack's configuration: what `Pulumi.<stack>.yaml` holds under the
 * `kinesis-ingest:*` keys, after `validateStackConfig` has checked it and filled in the defaults.
 * The program, the local stack and the CLI all consume this one type. Each setting's type, range, allowed
 * values, default and description are declared once, in config/schema/ (and so in the stack file's JSON
 * Schema): the types here are derived from it by `Validated`, which makes a setting with a default required.
 */
import type { ConsumerConfig } from "./consumer-types";
import type { API } from "./schema/api";
import type { Validated } from "./schema/kit";
import type { LIFECYCLE } from "./schema/lifecycle";
import type { CANARY, OBSERVABILITY } from "./schema/observability";
import type { AUTOSCALING, STREAM } from "./schema/stream";

/** `kinesis-ingest:stream` */
export type StreamConfig = Validated<typeof STREAM.properties>;

/** `stream.autoscaling`: the stream scaler's bounds and pace (provisioned only; `shards` is then the initial count). */
export type AutoscalingConfig = Validated<typeof AUTOSCALING.properties>;

/** `kinesis-ingest:api` */
export type ApiConfig = Validated<typeof API.properties>;

export type ApiFront = ApiConfig["front"];
export type ApiAuth = ApiConfig["auth"];

export type {
  ArchiveCompression,
  ArchiveSettings,
  ConsumerConfig,
  ConsumerParameter,
  ConsumerPermission,
  ConsumerTable,
  FanoutConfig,
  IdempotencyMode,
  MappingConfig,
  StartingPosition,
  StepFunctionsConfig,
} from "./consumer-types";

/** `kinesis-ingest:observability` */
export type ObservabilityConfig = Validated<typeof OBSERVABILITY.properties>;

/** `observability.canary` (components/canary.ts) */
export type CanaryConfig = Validated<typeof CANARY.properties>;

/**
 * `kinesis-ingest:lifecycle`. `protect` is always set once validated: on for the stack named `prod` unless set,
 * off for others (the one default the schema cannot state: it depends on the stack's name).
 */
export type LifecycleConfig = Required<Validated<typeof LIFECYCLE.properties>>;

/** The whole validated stack configuration. */
export interface StackConfig {
  readonly stream: StreamConfig;
  readonly api: ApiConfig;
  readonly consumers: Readonly<Record<string, ConsumerConfig>>;
  readonly observability: ObservabilityConfig;
  readonly lifecycle: LifecycleConfig;
}

/** Config keys in the `kinesis-ingest` namespace that hold secrets (set with `pulumi config set --secret`). */
export const SECRET_KEYS = {
  /** JSON list of bearer tokens the token authorizer accepts; stored as SHA-256 hashes. */
  apiTokens: "apiTokens",
  /** JSON object `{CONSUMER: {...runtime config...}}`, e.g. the forwarder's downstream credential. */
  consumerSecrets: "consumerSecrets",
  /** JSON object `{CONSUMER: {NAME: value}}`: the values of a consumer's SecureString `parameters`. */
  parameterSecrets: "parameterSecrets",
} as const;
