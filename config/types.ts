/**
 * The validated shape of a stack's configuration: what `Pulumi.<stack>.yaml` holds under the
 * `kinesis-ingest:*` keys, after `validateStackConfig` has checked it and filled in the defaults.
 * The program, the local stack and the CLI all consume this one type.
 */
import type { PoisonRecordMode } from "../semantics/poison-records";
import type { WorkflowType } from "../semantics/step-functions";
import type { AutoscalingConfig } from "./autoscaling-settings";

/** `kinesis-ingest:stream` */
export interface StreamConfig {
  /** Capacity mode. @default "provisioned" */
  readonly mode: "provisioned" | "on-demand";
  /** Provisioned shard count (ignored when on-demand), ≥ 1. @default 1 */
  readonly shards: number;
  /** Retention, 24–8760 hours. @default 24 */
  readonly retentionHours: number;
  /** Enhanced fan-out consumer names registered on the stream. @default [] */
  readonly fanOutConsumers: readonly string[];
  /** The stream scaler's bounds and pace (provisioned only; `shards` is then the initial count). @default off */
  readonly autoscaling?: AutoscalingConfig;
  /** On-demand Advantage's warm throughput, MiB/s (on-demand only). @default none */
  readonly warmThroughputMiBps?: number;
  /** The stream's largest record (data plus partition key), 1024–10240 KiB. @default 1024 */
  readonly maxRecordSizeKiB: number;
}

export type ApiFront = "http-api" | "rest-api" | "alb" | "websocket" | "appsync";
export type ApiAuth = "none" | "token" | "iam" | "jwt" | "cognito";

/** `kinesis-ingest:api` */
export interface ApiConfig {
  /** Which front receives `POST /records`. @default "http-api" */
  readonly front: ApiFront;
  /** How callers authenticate. @default "token" */
  readonly auth: ApiAuth;
  /** Steady-state requests per second allowed by the gateway, ≥ 1. @default 1000 */
  readonly rateLimit: number;
  /** Burst of requests allowed above the rate, ≥ 1. @default 2000 */
  readonly burstLimit: number;
  /** REST API usage plan quota per day (0 = no quota). @default 0 */
  readonly dailyQuota: number;
  /** JWT issuer URL; required when `auth` is `jwt`. */
  readonly jwtIssuer?: string;
  /** JWT audiences; required (non-empty) when `auth` is `jwt`. */
  readonly jwtAudience: readonly string[];
  /** An existing Cognito user pool (`auth` cognito); the stack creates its own pool and app client when unset. */
  readonly userPoolArn?: string;
  /** The existing pool's app clients whose tokens the `http-api` accepts (`auth` cognito with `userPoolArn`). @default [] */
  readonly userPoolClientIds: readonly string[];
  /** How long the token authorizer's answers are cached, 0–3600 s. @default 300 */
  readonly authorizerCacheSeconds: number;
  /** API Gateway stage access logs (and their log group); `false` runs without them. @default true */
  readonly accessLogs: boolean;
  /**
   * Create the region's API Gateway CloudWatch role and set it on the account (`aws.apigateway.Account`), which
   * REST stage access logs need; only with `front` rest-api and `accessLogs`. @default false
   */
  readonly createApiGatewayAccountRole: boolean;
  /** ACM certificate ARN of the ALB's HTTPS listener (port 80 then redirects to HTTPS); `alb` only. */
  readonly certificateArn?: string;
  /** Allow token auth over plain HTTP on an ALB without a certificate (never for stack `prod`). @default false */
  readonly allowPlaintext: boolean;
  /** Subnets (≥ 2, in different AZs) of the ALB; with `vpcId`, or neither for the default VPC. */
  readonly subnetIds?: readonly string[];
  /** VPC of `subnetIds`. */
  readonly vpcId?: string;
  /** The customer managed key encrypting the ingest and authorizer functions' environments. @default Lambda's own key */
  readonly kmsKeyArn?: string;
}

export type StartingPosition = "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";

/** `consumers.<name>.idempotency`; the values the consumer runtime reads from `IDEMPOTENCY`. */
export type IdempotencyMode = "memory" | "dynamodb" | "none";

/** The forwarder's `delivery` modes. */
export type ForwarderDelivery = "record" | "batch";

/** One entry of `kinesis-ingest:consumers`, keyed by the consumer's name. */
export interface ConsumerConfig {
  /** The consumer's name (its key in `consumers`): lowercase letters, digits and dashes. */
  readonly name: string;
  /**
   * A built-in kind (`forwarder`, `archiver`) or the path of the user's module exporting `handler`, relative to the
   * project root and starting with `./` (`.ts`, `.mts`, `.js`, `.mjs`).
   */
  readonly handler: string;
  /** Environment variables passed to the function (none reserved by Lambda or set by kinesis-ingest). @default {} */
  readonly environment: Readonly<Record<string, string>>;
  /** Extra statements on the function's role: named actions on resources named by ARN. @default [] */
  readonly permissions: readonly ConsumerPermission[];
  /** DynamoDB tables the consumer owns, by name; each reaches the function as `TABLE_<NAME>`. @default {} */
  readonly tables: Readonly<Record<string, ConsumerTable>>;
  /**
   * Where the consumer runtime remembers completed records, to acknowledge them unprocessed when they are
   * delivered again: in the container's memory, in a DynamoDB table the program creates, or nowhere.
   * @default "memory"
   */
  readonly idempotency: IdempotencyMode;
  /**
   * What the runtime does with a record that fails for good: sends it alone to the consumer's on-failure queue
   * and goes on (`isolate`), or fails it as any other record, holding back its key (`block`). Unset for a
   * windowed consumer (`tumblingWindowSeconds` > 0), whose runtime cannot pass a record by. @default "isolate"
   */
  readonly poisonRecords?: PoisonRecordMode;
  /**
   * Failures across invocations that make a record poison, 1–10000, at most `maxRetryAttempts` + 1. Unset with
   * `idempotency: none` (the store counts them) and for a windowed consumer. @default 3, or maxRetryAttempts + 1 when lower
   */
  readonly maxRecordAttempts?: number;
  /** The target of a fan-out kind (`sqs`, `sns`, `eventbridge`); absent for every other kind. */
  readonly fanout?: FanoutConfig;
  /** The state machine of a `stepfunctions` consumer; absent for every other kind. */
  readonly stepFunctions?: StepFunctionsConfig;
  /** Downstream URL the forwarder delivers to. */
  readonly targetUrl?: string;
  /** Where and how an `archiver` consumer writes its objects; set exactly when `handler` is `archiver`. */
  readonly archive?: ArchiveSettings;
  /** How the forwarder POSTs: one request per record, or `{"records":[...]}` per request of records. @default "record" */
  readonly delivery: ForwarderDelivery;
  /** Most records in one batch request, 1–500; set exactly when `delivery` is batch. @default 500 */
  readonly maxBatchRecords?: number;
  /** Most bytes of one batch request's body, 1024–6291456; set exactly when `delivery` is batch. @default 2097152 */
  readonly maxBatchBytes?: number;
  /** Records per batch, 1–10000. @default 100 */
  readonly batchSize: number;
  /** Maximum batching window, 0–300 s. @default 0 */
  readonly batchWindowSeconds: number;
  /** Where a new mapping starts reading. @default "LATEST" */
  readonly startingPosition: StartingPosition;
  /** UTC time in whole seconds, `YYYY-MM-DDTHH:MM:SSZ` (normalized); required exactly when `startingPosition` is `AT_TIMESTAMP`. */
  readonly startingPositionTimestamp?: string;
  /** Concurrent batches per shard, 1–10. @default 1 */
  readonly parallelizationFactor: number;
  /** Split a failing batch in two and retry each half. @default true */
  readonly bisectOnError: boolean;
  /** Discard (to the on-failure destination) records older than this: -1 or 60–604800 s. @default 3600 */
  readonly maxRecordAgeSeconds: number;
  /** Retries before a batch goes to the on-failure destination: -1 or 0–10000. @default 3 */
  readonly maxRetryAttempts: number;
  /** Reserved concurrency; 0 is the kill switch (no invocations). Unset = unreserved. */
  readonly reservedConcurrency?: number;
  /** `false` pauses the mapping, keeping its checkpoint. @default true */
  readonly enabled: boolean;
  /** Tumbling window, 0–900 s (0 = none). @default 0 */
  readonly tumblingWindowSeconds: number;
  /** Event filter patterns (JSON strings on the `data` key), at most 5. @default [] */
  readonly filterPatterns: readonly string[];
  /** Function memory, 128–10240 MB. @default 256 */
  readonly memoryMb: number;
  /** Function timeout, 1–900 s. @default 30 */
  readonly timeoutSeconds: number;
  /** Per-request timeout for downstream calls, 100–60000 ms. @default 5000 */
  readonly requestTimeoutMs: number;
  /** Lambda layer version ARNs in the stack's Region, at most 5 (not run by the local stack). @default [] */
  readonly layers: readonly string[];
  /** The customer managed key encrypting the function's environment (its role may decrypt with it). @default Lambda's own key */
  readonly kmsKeyArn?: string;
  /**
   * Parameter Store parameters the function reads, by name: each created as `/kinesis-ingest/<stack>/<consumer>/<NAME>`
   * or an existing one, readable by this function only and passed as `PARAM_<NAME>`. @default {}
   */
  readonly parameters: Readonly<Record<string, ConsumerParameter>>;
  /** Read through an enhanced fan-out consumer of this name (must be in `stream.fanOutConsumers`). */
  readonly fanOutConsumer?: string;
  /**
   * Adds a temporary second mapping starting AT_TIMESTAMP at this time (UTC, whole seconds,
   * `YYYY-MM-DDTHH:MM:SSZ`, normalized): the no-tool way to reprocess a window. Remove the key to delete the
   * replay mapping.
   */
  readonly replayFrom?: string;
}

/** How an object of the archive is encoded: `consumers.<name>.compression`. */
export type ArchiveCompression = "gzip" | "none";

/** The validated `compression`, `bucketName`, `archivePrefix` and `archiveRetentionDays` of an archiver. */
export interface ArchiveSettings {
  /** gzip (`.ndjson.gz`, ContentEncoding gzip) or none (`.ndjson`). @default "gzip" */
  readonly compression: ArchiveCompression;
  /** An existing bucket to write to; unset, the archive goes to the stack's own bucket. */
  readonly bucketName?: string;
  /** What every object key starts with; ends with `/`. @default "<consumer>/" */
  readonly prefix: string;
  /** Days after which the stack's bucket expires an object of this prefix; unset with `bucketName`. @default 365 */
  readonly retentionDays?: number;
}

/** The keys of a `stepfunctions` consumer: exactly one of `definition` and `targetArn`. */
export type StepFunctionsConfig =
  | {
      /** `./path.asl.json` inside the project: the program creates the state machine from it. */
      readonly definition: string;
      /** The file's text as validated (what the state machine is created with). */
      readonly definitionJson: string;
      readonly targetArn?: undefined;
      /** @default "STANDARD" */
      readonly workflowType: WorkflowType;
    }
  | {
      readonly targetArn: string;
      readonly definition?: undefined;
      readonly definitionJson?: undefined;
      readonly workflowType: WorkflowType;
    };

/** The fan-out keys of a `sqs`, `sns` or `eventbridge` consumer. */
export interface FanoutConfig {
  /** An existing queue, topic or event bus (ARN) to publish to; unset: the program creates one. */
  readonly targetArn?: string;
  /** A FIFO queue or topic (`sqs`, `sns`): per-key order, deduplication by idempotency key. @default false */
  readonly fifo: boolean;
  /** `eventbridge` without `targetArn`: a `custom` bus the program creates, or the account's `default` bus. @default "custom" */
  readonly eventBus: "custom" | "default";
  /** `eventbridge`: the events' Source. @default `kinesis-ingest.<stack>` */
  readonly source?: string;
  /** `eventbridge`: the events' DetailType. @default `<consumer> record` */
  readonly detailType?: string;
}

/** The settings of a consumer's event source mapping that Lambda and the local engine both take. */
export type MappingConfig = Pick<
  ConsumerConfig,
  | "batchSize"
  | "batchWindowSeconds"
  | "startingPosition"
  | "startingPositionTimestamp"
  | "parallelizationFactor"
  | "bisectOnError"
  | "maxRecordAgeSeconds"
  | "maxRetryAttempts"
  | "enabled"
>;

/** One entry of a consumer's `permissions`: an Allow statement. */
export interface ConsumerPermission {
  /** IAM actions, `service:Action`, no wildcard. */
  readonly actions: readonly string[];
  /** Resource ARNs (never `*`). */
  readonly resources: readonly string[];
}

/**
 * One entry of a consumer's `parameters`: a parameter the stack creates (`type`, and `value` unless it is a
 * SecureString, whose value comes from the secret `parameterSecrets`), or an existing one by `name`.
 */
export type ConsumerParameter =
  { readonly type: "String" | "StringList"; readonly value: string } | { readonly type: "SecureString" } | { readonly name: string };

/** One entry of a consumer's `tables`: an on-demand, encrypted DynamoDB table with string keys. */
export interface ConsumerTable {
  /** Name of the partition key attribute (type S). */
  readonly partitionKey: string;
  /** Name of the sort key attribute (type S). @default none */
  readonly sortKey?: string;
  /** Attribute holding each item's expiry (epoch seconds) for DynamoDB TTL. @default no TTL */
  readonly ttlAttribute?: string;
}

/** `kinesis-ingest:observability` */
export interface ObservabilityConfig {
  /** CloudWatch Logs retention for every function and access log, one of AWS's allowed values. @default 14 */
  readonly logRetentionDays: number;
  /** E-mail address subscribed to the alarm topic; no topic when unset. */
  readonly alarmEmail?: string;
  /** Iterator age (ms) above which a consumer's alarm fires. @default 60000 */
  readonly iteratorAgeAlarmMs: number;
  /** Create the CloudWatch dashboard. @default true */
  readonly dashboard: boolean;
  /**
   * Contributor Insights rules (top partition keys by records and bytes, top callers, busiest shards, failing
   * keys) and the ingest function's per-key log lines they read (components/contributor-insights.ts). @default false
   */
  readonly contributorInsights: boolean;
  /** A CloudWatch Synthetics canary calling the front, and its alarm (components/canary.ts). @default none */
  readonly canary?: CanaryConfig;
}

/** `observability.canary` */
export interface CanaryConfig {
  /** Minutes between runs, 1–60. @default 5 */
  readonly scheduleMinutes: number;
  /** The alarm fires when the runs of a period pass less often than this, in percent, 1–100. @default 90 */
  readonly successPercentAlarm: number;
}

/** `kinesis-ingest:lifecycle` */
export interface LifecycleConfig {
  /**
   * Pulumi's `protect` on every data-bearing resource: deleting or replacing one fails until this is turned off
   * (they are retained on delete either way). @default true for the stack named `prod`, false otherwise
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
