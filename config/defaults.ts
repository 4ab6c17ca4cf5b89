/**
 * Defaults for every optional setting, as data in one place: the validator merges them with `??` (so an
 * explicit 0 or false in a stack file is kept) and everything downstream receives complete values. Mapping
 * settings follow Lambda's defaults except bisect, record age and retries, which default to bounded values
 * (AWS's own default of -1 lets one bad record block its shard until it expires, up to a year).
 */
import { ESM_RANGES, LAMBDA_ESM_DEFAULTS } from "../semantics/event-source-mapping";

export const STREAM_DEFAULTS = { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers: [] } as const;

export const API_DEFAULTS = {
  front: "http-api",
  auth: "token",
  rateLimit: 1000,
  burstLimit: 2000,
  dailyQuota: 0,
  jwtAudience: [],
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
} as const;

/**
 * The replay mapping reads a window that may be far older than the consumer's `maxRecordAgeSeconds`: it gets
 * the longest record age Lambda allows while still bounded (the policy pack refuses -1).
 */
export const REPLAY_MAPPING = { maxRecordAgeSeconds: ESM_RANGES.maxRecordAgeSeconds.max } as const;

export const OBSERVABILITY_DEFAULTS = { logRetentionDays: 14, iteratorAgeAlarmMs: 60_000, dashboard: true } as const;

/**
 * The front's functions are not configurable, but the deployed stack and the local stack run them alike.
 * The ingest function's timeout and write deadline depend on the front: `ingestBudget` (config/ingest-budget.ts).
 */
export const INGEST_FUNCTION = { memoryMb: 256 } as const;
export const AUTHORIZER_FUNCTION = { memoryMb: 128, timeoutSeconds: 10 } as const;

/** The built-in consumer kinds, each a handler entry in `handlers/`; any other `handler` is a path to the user's module. */
export const CONSUMER_HANDLERS = ["forwarder"] as const;

/** Environment variables the program sets on consumer functions (besides `TABLE_<NAME>`): users may not set them. */
export const PROGRAM_ENVIRONMENT = ["CONFIG_SECRET_ID", "REQUEST_TIMEOUT_MS", "TARGET_URL"];

/**
 * Bytes of the environment kept for what the program sets on a consumer function: the secret ARN (at most
 * about 150 characters with its name) and the request timeout; table variables are counted exactly.
 */
export const PROGRAM_ENVIRONMENT_BYTES = 256;

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
