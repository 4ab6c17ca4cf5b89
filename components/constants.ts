/**
 * Settings the components fix for every stack: not configuration (stack settings and their defaults live in
 * `config/defaults.ts`), but the choices this program makes for each resource of a kind.
 */

/** How every function runs. */
export const FUNCTION_RUNTIME = {
  runtime: "nodejs22.x",
  architecture: "arm64",
  applicationLogLevel: "INFO",
  systemLogLevel: "WARN",
} as const;

/** Alarm evaluation period (s). */
export const ALARM_PERIOD_SECONDS = 300;

export const ON_FAILURE_QUEUE = {
  /** On-failure records are kept as long as SQS allows (14 days): they are the only pointer to a lost batch. */
  messageRetentionSeconds: 1_209_600,
  /** The AWS-managed KMS key for SQS: no key policy to maintain. */
  kmsMasterKeyId: "alias/aws/sqs",
  kmsDataKeyReusePeriodSeconds: 300,
} as const;

/** The AWS-managed KMS key for Kinesis: no key policy to maintain. */
export const STREAM_KMS_KEY = "alias/aws/kinesis";
