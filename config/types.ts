/**
 * The validated shape of a stack's configuration: what `Pulumi.<stack>.yaml` holds under the
 * `kinesis-ingest:*` keys, after `validateStackConfig` has checked it and filled in the defaults.
 * The program, the local stack and the CLI all consume this one type. Each setting's range, allowed values
 * and default are declared once, in config/schema/ (and so in the stack file's JSON Schema): the comments here
 * say what a value means.
 */
import type { AutoscalingConfig } from "./autoscaling-settings";
import type { ConsumerConfig } from "./consumer-types";
import type { API } from "./schema/api";
import type { OBSERVABILITY } from "./schema/observability";
import type { STREAM } from "./schema/stream";

/** `kinesis-ingest:stream` */
export interface StreamConfig {
  /** Capacity mode. */
  readonly mode: (typeof STREAM.properties.mode.enum)[number];
  /** Provisioned shard count (ignored when on-demand). */
  readonly shards: number;
  /** Retention, in hours. */
  readonly retentionHours: number;
  /** Enhanced fan-out consumer names registered on the stream. */
  readonly fanOutConsumers: readonly string[];
  /** The stream scaler's bounds and pace (provisioned only; `shards` is then the initial count). */
  readonly autoscaling?: AutoscalingConfig;
  /** On-demand Advantage's warm throughput, MiB/s (on-demand only). */
  readonly warmThroughputMiBps?: number;
  /** The stream's largest record (data plus partition key), in KiB. */
  readonly maxRecordSizeKiB: number;
}

// The values are declared once, in the schema (config/schema/api.ts).
export type ApiFront = (typeof API.properties.front.enum)[number];
export type ApiAuth = (typeof API.properties.auth.enum)[number];

/** `kinesis-ingest:api` */
export interface ApiConfig {
  /** Which front receives `POST /records`. */
  readonly front: ApiFront;
  /** How callers authenticate. */
  readonly auth: ApiAuth;
  /** Steady-state requests per second allowed by the gateway. */
  readonly rateLimit: number;
  /** Burst of requests allowed above the rate. */
  readonly burstLimit: number;
  /** REST API usage plan quota per day (0 = no quota). */
  readonly dailyQuota: number;
  /** JWT issuer URL; required when `auth` is `jwt`. */
  readonly jwtIssuer?: string;
  /** JWT audiences; required (non-empty) when `auth` is `jwt`. */
  readonly jwtAudience: readonly string[];
  /** An existing Cognito user pool (`auth` cognito); the stack creates its own pool and app client when unset. */
  readonly userPoolArn?: string;
  /** The existing pool's app clients whose tokens the `http-api` accepts (`auth` cognito with `userPoolArn`). */
  readonly userPoolClientIds: readonly string[];
  /** How long the token authorizer's answers are cached, in seconds. */
  readonly authorizerCacheSeconds: number;
  /** API Gateway stage access logs (and their log group); `false` runs without them. */
  readonly accessLogs: boolean;
  /**
   * Create the region's API Gateway CloudWatch role and set it on the account (`aws.apigateway.Account`), which
   * REST stage access logs need; only with `front` rest-api and `accessLogs`.
   */
  readonly createApiGatewayAccountRole: boolean;
  /** ACM certificate ARN of the ALB's HTTPS listener (port 80 then redirects to HTTPS); `alb` only. */
  readonly certificateArn?: string;
  /** Allow token auth over plain HTTP on an ALB without a certificate (never for stack `prod`). */
  readonly allowPlaintext: boolean;
  /** Subnets (≥ 2, in different AZs) of the ALB; with `vpcId`, or neither for the default VPC. */
  readonly subnetIds?: readonly string[];
  /** VPC of `subnetIds`. */
  readonly vpcId?: string;
  /** The customer managed key encrypting the ingest and authorizer functions' environments. */
  readonly kmsKeyArn?: string;
}

export type {
  ArchiveCompression,
  ArchiveSettings,
  ConsumerConfig,
  ConsumerParameter,
  ConsumerPermission,
  ConsumerTable,
  FanoutConfig,
  ForwarderDelivery,
  IdempotencyMode,
  MappingConfig,
  StartingPosition,
  StepFunctionsConfig,
} from "./consumer-types";

/** `kinesis-ingest:observability` */
export interface ObservabilityConfig {
  /** CloudWatch Logs retention for every function and access log, one of AWS's allowed values. */
  readonly logRetentionDays: (typeof OBSERVABILITY.properties.logRetentionDays.enum)[number];
  /** E-mail address subscribed to the alarm topic; no topic when unset. */
  readonly alarmEmail?: string;
  /** Iterator age (ms) above which a consumer's alarm fires. */
  readonly iteratorAgeAlarmMs: number;
  /** Create the CloudWatch dashboard. */
  readonly dashboard: boolean;
  /**
   * Contributor Insights rules (top partition keys by records and bytes, top callers, busiest shards, failing
   * keys) and the ingest function's per-key log lines they read (components/contributor-insights.ts).
   */
  readonly contributorInsights: boolean;
  /** A CloudWatch Synthetics canary calling the front, and its alarm (components/canary.ts). */
  readonly canary?: CanaryConfig;
}

/** `observability.canary` */
export interface CanaryConfig {
  /** Minutes between runs. */
  readonly scheduleMinutes: number;
  /** The alarm fires when the runs of a period pass less often than this, in percent. */
  readonly successPercentAlarm: number;
}

/** `kinesis-ingest:lifecycle` */
export interface LifecycleConfig {
  /**
   * Pulumi's `protect` on every data-bearing resource: deleting or replacing one fails until this is turned off
   * (they are retained on delete either way). On for the stack named `prod` unless set, off for others (the
   * one default the schema cannot state: it depends on the stack's name).
   */
  readonly protect: boolean;
}

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
