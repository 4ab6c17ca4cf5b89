/**
 * Settings the components fix for every stack: not configuration (stack settings and their defaults live in
 * `config/defaults.ts`), but the choices this program makes for each resource of a kind.
 */

/**
 * The Node.js release every function runs on: Lambda's `nodejs24.x` (`nodejs22.x` leaves standard support on
 * 30 April 2027), and the syntax esbuild may emit for it. Node 24's runtime takes no callback-style handler:
 * every handler here is async.
 */
const NODE_MAJOR = 24;

/** The esbuild target of every bundle: the functions' own Node.js release. */
export const LAMBDA_NODE_TARGET = `node${NODE_MAJOR}`;

/** How every function runs. */
export const FUNCTION_RUNTIME = {
  runtime: `nodejs${NODE_MAJOR}.x`,
  architecture: "arm64",
  applicationLogLevel: "INFO",
  systemLogLevel: "WARN",
} as const;

/** Alarm evaluation period (s). */
export const ALARM_PERIOD_SECONDS = 300;

export const ON_FAILURE_QUEUE = {
  /** On-failure records are kept as long as SQS allows (14 days): they are the only pointer to a lost batch. */
  messageRetentionSeconds: 1_209_600,
  /**
   * The AWS-managed KMS key for SQS: no key policy to maintain, and that policy lets every principal of the
   * account allowed to use SQS encrypt through it, so the senders (the mapping's on-failure records and the
   * runtime's isolated records, both as the function's role) need `sqs:SendMessage` and no KMS grant
   * (docs/aws-semantics.md#on-failure-destinations).
   */
  kmsMasterKeyId: "alias/aws/sqs",
  kmsDataKeyReusePeriodSeconds: 300,
} as const;

/** The AWS-managed KMS key for Kinesis: no key policy to maintain. */
export const STREAM_KMS_KEY = "alias/aws/kinesis";

/** What the program fixes for the queues and topics it creates as fan-out targets. */
export const FANOUT_TARGET = {
  /** Messages nobody read stay as long as SQS allows (14 days). */
  queueRetentionSeconds: 1_209_600,
  /** A message older than an hour in the target queue means its readers are behind. */
  oldestMessageAgeAlarmSeconds: 3_600,
  /** The AWS-managed KMS key for SNS: no key policy to maintain. */
  topicKmsKey: "alias/aws/sns",
} as const;

/**
 * Stream read actions Lambda's poller performs with the function's role (Lambda guide, "Execution role
 * permissions"). `kinesis:ListStreams`, which the AWSLambdaKinesisExecutionRole managed policy also grants, is
 * left out: a mapping names its stream's ARN, and ListStreams has no resource type, so it would need
 * `Resource: "*"` (docs/aws-semantics.md#lambda-execution-role-for-kinesis).
 */
export const STREAM_READ_ACTIONS = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
];

/** The metric groups every mapping emits (Lambda guide, "Event source mapping metrics"). */
export const MAPPING_METRICS = ["EventCount"] as const;
