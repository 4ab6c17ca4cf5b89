/**
 * Defaults for every optional setting, as data in one place: the validator merges them with `??` (so an
 * explicit 0 or false in a stack file is kept) and everything downstream receives complete values. Mapping
 * settings follow Lambda's defaults except bisect, record age and retries, which default to bounded values
 * (AWS's own default of -1 lets one bad record block its shard until it expires, up to a year).
 */
import { ESM_RANGES, LAMBDA_ESM_DEFAULTS } from "../semantics/event-source-mapping";
import { DEFAULT_MAX_RECORD_ATTEMPTS, DEFAULT_POISON_RECORD_MODE, POISON_ENVIRONMENT } from "../semantics/poison-records";

/** The stack whose rules are stricter: no plaintext ALB, point-in-time recovery, protected data by default. */
export const PRODUCTION_STACK = "prod";

export const STREAM_DEFAULTS = { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers: [] } as const;

export const API_DEFAULTS = {
  front: "http-api",
  auth: "token",
  rateLimit: 1000,
  burstLimit: 2000,
  dailyQuota: 0,
  jwtAudience: [],
  userPoolClientIds: [],
  authorizerCacheSeconds: 300,
  accessLogs: true,
  createApiGatewayAccountRole: false,
  allowPlaintext: false,
} as const;

export const CONSUMER_DEFAULTS = {
  batchSize: LAMBDA_ESM_DEFAULTS.batchSize,
  batchWindowSeconds: LAMBDA_ESM_DEFAULTS.batchWindowSeconds,
  startingPosition: "LATEST",
  parallelizationFactor: LAMBDA_ESM_DEFAULTS.parallelizationFactor,
  bisectOnError: true,
  maxRecordAgeSeconds: 3600,
  maxRetryAttempts: 3,
  enabled: true,
  tumblingWindowSeconds: LAMBDA_ESM_DEFAULTS.tumblingWindowSeconds,
  filterPatterns: [],
  memoryMb: 256,
  timeoutSeconds: 30,
  requestTimeoutMs: 5000,
  idempotency: "memory",
  // The runtime's own defaults: the program sets no variable for them (config/poison-settings.ts).
  poisonRecords: DEFAULT_POISON_RECORD_MODE,
  maxRecordAttempts: DEFAULT_MAX_RECORD_ATTEMPTS,
  layers: [],
  parameters: {},
} as const;

/**
 * The replay mapping reads a window that may be far older than the consumer's `maxRecordAgeSeconds`: it gets
 * the longest record age Lambda allows while still bounded, so a record it cannot process goes to the
 * on-failure queue instead of holding its shard until it expires.
 */
export const REPLAY_MAPPING = { maxRecordAgeSeconds: ESM_RANGES.maxRecordAgeSeconds.max } as const;

/** The values of a forwarder's `delivery`: one POST per record, or one per request of records. */
export const DELIVERY_MODES = ["record", "batch"] as const;

/**
 * The forwarder's delivery defaults: one POST per record; in batch mode requests of up to 500 records and
 * 2 MiB. 2 MiB holds the largest record a stream stores by default (1 MiB of data, base64 in its entry when it
 * is not JSON: about 1.34 MiB with its fields), so by default no record fails as oversize.
 */
export const FORWARDER_BATCH_DEFAULTS = { delivery: "record", maxBatchRecords: 500, maxBatchBytes: 2 * 1024 * 1024 } as const;

/** The values of a consumer's `idempotency`. */
export const IDEMPOTENCY_MODES = ["memory", "dynamodb", "none"] as const;

/**
 * How long a `dynamodb` idempotency item lives after its record completed: the stream's retention plus an
 * hour. A record can be read (by a retry, `replayFrom`, `replay` or `redrive`) only while the stream retains
 * it, at most the retention after its arrival, and it completed after it arrived: so every redelivery finds
 * its item, and DynamoDB's TTL deletion (days later at most) is what bounds storage.
 */
export function idempotencyTtlSeconds(retentionHours: number): number {
  return retentionHours * 3600 + 3600;
}

export const OBSERVABILITY_DEFAULTS = {
  logRetentionDays: 14,
  iteratorAgeAlarmMs: 60_000,
  dashboard: true,
  contributorInsights: false,
} as const;

/** `observability.canary`'s settings when the section is present (config/canary-settings.ts). */
export const CANARY_DEFAULTS = { scheduleMinutes: 5, successPercentAlarm: 90 } as const;

/**
 * The front's functions are not configurable, but the deployed stack and the local stack run them alike.
 * The ingest function's timeout and write deadline depend on the front: `ingestBudget` (config/ingest-budget.ts).
 */
export const INGEST_FUNCTION = { memoryMb: 256 } as const;
export const AUTHORIZER_FUNCTION = { memoryMb: 128, timeoutSeconds: 10 } as const;

/** The built-in consumer kinds, each a handler entry in `handlers/`; any other `handler` is a path to the user's module. */
export const CONSUMER_HANDLERS = ["forwarder", "archiver", "sqs", "sns", "eventbridge", "stepfunctions"] as const;

/**
 * Defaults of an `archiver` consumer's keys: gzip objects, kept a year in the stack's bucket. The prefix
 * defaults to `<consumer>/` (`archive-settings.ts`).
 */
export const ARCHIVE_DEFAULTS = { compression: "gzip", archiveRetentionDays: 365 } as const;

/** The built-in kinds that publish each record to a queue, a topic or an event bus. */
export const FANOUT_HANDLERS = ["sqs", "sns", "eventbridge"] as const;

export type FanoutHandler = (typeof FANOUT_HANDLERS)[number];

/** Defaults of the fan-out keys: a standard queue or topic, a custom event bus the program creates. */
export const FANOUT_DEFAULTS = { fifo: false, eventBus: "custom" } as const;

/** Default of a `stepfunctions` consumer's `workflowType`: one execution per record, named for idempotency. */
export const STEP_FUNCTIONS_DEFAULTS = { workflowType: "STANDARD" } as const;

/** Environment variables the program sets on consumer functions (besides `TABLE_<NAME>` and `PARAM_<NAME>`): users may not set them. */
export const PROGRAM_ENVIRONMENT = [
  "CONFIG_SECRET_ID",
  "REQUEST_TIMEOUT_MS",
  "TARGET_URL",
  "IDEMPOTENCY",
  "IDEMPOTENCY_TABLE",
  "IDEMPOTENCY_TTL_SECONDS",
  "ARCHIVE_BUCKET",
  "ARCHIVE_PREFIX",
  "ARCHIVE_COMPRESSION",
  "DELIVERY",
  "MAX_BATCH_RECORDS",
  "MAX_BATCH_BYTES",
  "TARGET_QUEUE_URL",
  "TARGET_TOPIC_ARN",
  "FIFO",
  "EVENT_BUS_NAME",
  "EVENT_SOURCE",
  "EVENT_DETAIL_TYPE",
  "STATE_MACHINE_ARN",
  "WORKFLOW_TYPE",
  ...Object.values(POISON_ENVIRONMENT),
];

/**
 * Bytes of the environment kept for what the program sets on a consumer function: the secret ARN (at most
 * about 150 characters with its name), the request timeout and the batch delivery variables (58 bytes at
 * most: `DELIVERY=batch`, `MAX_BATCH_RECORDS=500`, `MAX_BATCH_BYTES=6291456`), or an archiver's bucket (63),
 * prefix (at most 128) and compression, 245 bytes with their names (an archiver has no secret); table,
 * idempotency and poison-record variables (the on-failure queue's URL, on every consumer) are counted apart:
 * {@link idempotencyEnvironmentBytes}, `poisonEnvironmentBytes` (config/poison-settings.ts).
 */
export const PROGRAM_ENVIRONMENT_BYTES = 256;

/** Bytes of the idempotency variables the program sets for `mode` (none for the default, memory). */
export function idempotencyEnvironmentBytes(mode: (typeof IDEMPOTENCY_MODES)[number] | undefined): number {
  if (mode === "dynamodb")
    return "IDEMPOTENCY=dynamodb".length + "IDEMPOTENCY_TABLE=".length + 255 + "IDEMPOTENCY_TTL_SECONDS=31626000".length;
  return mode === "none" ? "IDEMPOTENCY=none".length : 0;
}

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
