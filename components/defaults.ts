/** Defaults of the components' optional arguments, as data in one place (merged with `??`). */
export const FUNCTION_DEFAULTS = {
  memoryMb: 256,
  timeoutSeconds: 30,
  logRetentionDays: 14,
  runtime: "nodejs22.x",
  architecture: "arm64",
  applicationLogLevel: "INFO",
  systemLogLevel: "WARN",
} as const;

export const ALARM_DEFAULTS = {
  /** Iterator age above which stream and consumer alarms fire (ms). */
  iteratorAgeMs: 60_000,
  /** Alarm evaluation period (s). */
  periodSeconds: 300,
} as const;

export const QUEUE_DEFAULTS = {
  /** On-failure records are kept as long as SQS allows (14 days): they are the only pointer to a lost batch. */
  messageRetentionSeconds: 1_209_600,
  /** The AWS-managed KMS key for SQS: no key policy to maintain. */
  kmsMasterKeyId: "alias/aws/sqs",
  kmsDataKeyReusePeriodSeconds: 300,
} as const;

export const STREAM_KMS_KEY = "alias/aws/kinesis";

export const API_DEFAULTS = {
  rateLimit: 1000,
  burstLimit: 2000,
  dailyQuota: 0,
  authorizerCacheSeconds: 300,
  logRetentionDays: 14,
} as const;
