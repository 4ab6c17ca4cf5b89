/**
 * What AWS (and Pulumi) accept as a resource's name: one entry per kind of name, with its length limit, its
 * characters and the page that says so (docs/aws-semantics.md#resource-name-limits). `config/name-checks.ts`
 * checks every name a stack creates against these before any resource exists.
 */

/** The rule for one kind of name. */
export interface NameLimit {
  /** What is named, as a sentence fragment: "a Lambda function name". */
  readonly what: string;
  readonly maxLength: number;
  /** The characters (and shape) allowed. */
  readonly pattern: RegExp;
  /** `pattern` in words, for messages. */
  readonly allowed: string;
  /** The AWS (or Pulumi) page stating the rule. */
  readonly source: string;
}

/**
 * Pulumi auto-naming appends `-` and 7 random characters to a resource's logical name when the program
 * gives no physical name (Pulumi docs, "Resource names": logical name plus a random suffix).
 */
export const AUTO_NAME_SUFFIX_LENGTH = 8;

export const NAME_LIMITS = {
  pulumiStack: {
    what: "a Pulumi stack name",
    maxLength: 100,
    pattern: /^[A-Za-z0-9_.-]+$/,
    allowed: "letters, digits, `_`, `.` or `-`",
    source: "https://www.pulumi.com/docs/iac/concepts/stacks/",
  },
  lambdaFunction: {
    what: "a Lambda function name",
    maxLength: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `_` or `-`",
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
  },
  dynamodbTable: {
    what: "a DynamoDB table name",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_.-]+$/,
    allowed: "letters, digits, `_`, `.` or `-`",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html",
  },
  sqsQueue: {
    what: "an SQS queue name",
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `_` or `-`",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  },
  sqsFifoQueue: {
    what: "an SQS FIFO queue name",
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+\.fifo$/,
    allowed: "letters, digits, `_` or `-`, ending `.fifo`",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  },
  iamRole: {
    what: "an IAM role name",
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits or `_+=,.@-`",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  },
  logGroup: {
    what: "a CloudWatch Logs log group name",
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: "letters, digits or `._-/#`",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  alarm: {
    what: "a CloudWatch alarm name",
    maxLength: 255,
    pattern: /^[\x20-\x7e]+$/,
    allowed: "printable ASCII",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  },
  dashboard: {
    what: "a CloudWatch dashboard name",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `_` or `-`",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
  },
  kinesisStream: {
    what: "a Kinesis stream name",
    maxLength: 128,
    pattern: /^[A-Za-z0-9_.-]+$/,
    allowed: "letters, digits, `_`, `.` or `-`",
    source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html",
  },
  streamConsumer: {
    what: "a Kinesis stream consumer name",
    maxLength: 128,
    pattern: /^[A-Za-z0-9_.-]+$/,
    allowed: "letters, digits, `_`, `.` or `-`",
    source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html",
  },
  secret: {
    what: "a Secrets Manager secret name",
    maxLength: 512,
    pattern: /^[A-Za-z0-9/_+=.@-]+$/,
    allowed: "letters, digits or `/_+=.@-`",
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
  },
  snsTopic: {
    what: "an SNS topic name",
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `_` or `-`",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  snsFifoTopic: {
    what: "an SNS FIFO topic name",
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+\.fifo$/,
    allowed: "letters, digits, `_` or `-`, ending `.fifo`",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  eventBus: {
    what: "an EventBridge event bus name",
    maxLength: 256,
    pattern: /^(?!default$)[/.\-_A-Za-z0-9]+$/,
    allowed: "letters, digits, `/`, `.`, `-` or `_`, and not `default`",
    source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html",
  },
  stateMachine: {
    what: "a Step Functions state machine name",
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `-` or `_` (what keeps CloudWatch Logs working)",
    source: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html",
  },
  loadBalancer: {
    what: "a load balancer name",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits or `-`, not starting or ending with `-`",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  },
  targetGroup: {
    what: "a target group name",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits or `-`, not starting or ending with `-`",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
  },
  s3Bucket: {
    what: "an S3 bucket name",
    maxLength: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed: "lowercase letters, digits, `.` or `-`, starting and ending with a letter or digit",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  },
  syntheticsCanary: {
    what: "a CloudWatch Synthetics canary name",
    maxLength: 255,
    pattern: /^[0-9a-z_-]+$/,
    allowed: "lowercase letters, digits, `_` or `-`",
    source: "https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CreateCanary.html",
  },
} as const satisfies Record<string, NameLimit>;

export type NameKind = keyof typeof NAME_LIMITS;

/** Why `name` breaks `limit` (a sentence fragment), or undefined when it is a valid name. */
export function nameViolation(name: string, limit: NameLimit): string | undefined {
  if (name.length > limit.maxLength) return `is ${name.length} characters; ${limit.what} has at most ${limit.maxLength}`;
  if (!limit.pattern.test(name)) return `has characters ${limit.what} cannot have (allowed: ${limit.allowed})`;
  return undefined;
}
