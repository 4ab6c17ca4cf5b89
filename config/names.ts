/**
 * The physical names of a stack's resources, from the stack name and the consumer names: the one place the
 * program and the local stack take them from, so a deployed stack and its local twin name things alike.
 * Resources the program leaves to Pulumi's auto-naming (roles, secrets, alarms, buckets, the load balancer)
 * have no field here; `config/name-checks.ts` computes their names too, to check every name against its
 * service's limit before any resource is created.
 */
import { PROJECT } from "./project";

/** The names one consumer's resources get. */
export interface ConsumerNames {
  /** Its function, e.g. `kinesis-ingest-dev-forwarder`. */
  readonly function: string;
  /** Its on-failure queue, e.g. `kinesis-ingest-dev-forwarder-dlq`. */
  readonly queue: string;
  /** Id of its runtime configuration secret in the local stack (the deployed secret is auto-named). */
  readonly localConfigSecret: string;
}

/** The names the ingestion front's resources get. */
export interface ApiNames {
  /** The API (HTTP or REST), e.g. `kinesis-ingest-dev`. */
  readonly api: string;
  readonly ingestFunction: string;
  readonly authorizerFunction: string;
  /** The API Gateway stage's access log group. */
  readonly accessLogGroup: string;
  /** The HTTP API's JWT authorizer. */
  readonly jwtAuthorizer: string;
  /** The API Gateway token authorizer. */
  readonly tokenAuthorizer: string;
  /** The Cognito user pool the stack creates (`auth` cognito without `userPoolArn`), and its app client. */
  readonly userPool: string;
  readonly userPoolClient: string;
  /** The REST API's COGNITO_USER_POOLS authorizer. */
  readonly cognitoAuthorizer: string;
  /** The REST API's usage plan and its API key. */
  readonly producers: string;
}

/** Every name a stack gives explicitly. */
export interface StackNames {
  /** `kinesis-ingest-<stack>`: what every other name starts with. */
  readonly prefix: string;
  readonly stream: string;
  readonly api: ApiNames;
  readonly alarmTopic: string;
  readonly dashboard: string;
  /** Id of the API token hashes secret in the local stack (the deployed secret is auto-named). */
  readonly localApiTokensSecret: string;
  /**
   * The stack's archive (`handler: archiver` consumers without `bucketName`), e.g. `kinesis-ingest-dev-archive`:
   * the bucket's name in the local stack, and the name of its component; the deployed bucket is auto-named
   * from `<archiveBucket>-bucket` (bucket names are global: the random suffix keeps two accounts' stacks apart).
   */
  readonly archiveBucket: string;
  readonly consumers: Readonly<Record<string, ConsumerNames>>;
}

/**
 * The names of stack `stack` with consumers `consumerNames`.
 * @example stackNames("dev", ["forwarder"]).consumers.forwarder.queue // "kinesis-ingest-dev-forwarder-dlq"
 */
export function stackNames(stack: string, consumerNames: readonly string[]): StackNames {
  const prefix = `${PROJECT}-${stack}`;
  return {
    prefix,
    stream: prefix,
    api: {
      api: prefix,
      ingestFunction: `${prefix}-ingest`,
      authorizerFunction: `${prefix}-authorizer`,
      accessLogGroup: `/aws/apigateway/${prefix}/access`,
      jwtAuthorizer: `${prefix}-jwt`,
      tokenAuthorizer: `${prefix}-token`,
      userPool: prefix,
      userPoolClient: `${prefix}-producers`,
      cognitoAuthorizer: `${prefix}-cognito`,
      producers: `${prefix}-producers`,
    },
    alarmTopic: `${prefix}-alarms`,
    dashboard: prefix,
    localApiTokensSecret: `${prefix}-api-tokens`,
    archiveBucket: `${prefix}-archive`,
    consumers: Object.fromEntries(
      consumerNames.map((name) => [
        name,
        {
          function: `${prefix}-${name}`,
          queue: `${prefix}-${name}-dlq`,
          localConfigSecret: `${prefix}-${name}-config`,
        },
      ]),
    ),
  };
}

/** The log group a function writes to: Lambda's own default name, `/aws/lambda/<function>`. */
export function functionLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The physical name of a consumer's table, `kinesis-ingest-<stack>-<consumer>-<table>` (checked with the
 * other names by `nameProblems`, config/name-checks.ts).
 * @example consumerTableName("dev", "order-totals", "totals") // "kinesis-ingest-dev-order-totals-totals"
 */
export function consumerTableName(stack: string, consumer: string, table: string): string {
  return `${PROJECT}-${stack}-${consumer}-${table}`;
}

/**
 * The Parameter Store name of a parameter the stack creates for a consumer, `/kinesis-ingest/<stack>/<consumer>/<NAME>`:
 * one path per consumer, so GetParametersByPath on it lists that consumer's parameters and no other's.
 * @example stackParameterName("dev", "forwarder", "API_URL") // "/kinesis-ingest/dev/forwarder/API_URL"
 */
export function stackParameterName(stack: string, consumer: string, parameter: string): string {
  return `/${PROJECT}/${stack}/${consumer}/${parameter}`;
}

/** The enhanced fan-out consumer a replay mapping registers for itself (one subscription per consumer and shard). */
export function replayFanOutConsumerName(fanOutConsumer: string): string {
  return `${fanOutConsumer}-replay`;
}

/**
 * The queue, topic or event bus the program creates for a fan-out target kind without `targetArn`:
 * `kinesis-ingest-<stack>-<consumer>`, with `.fifo` for a FIFO queue or topic.
 * @example fanoutTargetName("dev", "orders", true) // "kinesis-ingest-dev-orders.fifo"
 */
export function fanoutTargetName(stack: string, consumer: string, fifo: boolean): string {
  return `${PROJECT}-${stack}-${consumer}${fifo ? ".fifo" : ""}`;
}

/**
 * The physical name of the state machine a `stepfunctions` consumer's `definition` creates,
 * `kinesis-ingest-<stack>-<consumer>` (at most 80 characters: config/name-checks.ts).
 * @example stateMachineName("dev", "orders") // "kinesis-ingest-dev-orders"
 */
export function stateMachineName(stack: string, consumer: string): string {
  return `${PROJECT}-${stack}-${consumer}`;
}

/**
 * The physical name of a consumer's idempotency table (`idempotency: dynamodb`),
 * `kinesis-ingest-<stack>-<consumer>.idempotency`: the `.` keeps it apart from every `tables` entry, whose
 * names are letters, digits and dashes.
 * @example idempotencyTableName("dev", "forwarder") // "kinesis-ingest-dev-forwarder.idempotency"
 */
export function idempotencyTableName(stack: string, consumer: string): string {
  return `${PROJECT}-${stack}-${consumer}.idempotency`;
}

/** Whether a consumer archives into the stack's own bucket (an archiver without `bucketName`), named `archiveBucket`. */
export function usesStackArchiveBucket(consumer: {
  readonly handler?: string;
  readonly archive?: { readonly bucketName?: string };
}): boolean {
  return consumer.handler === "archiver" && consumer.archive?.bucketName === undefined;
}

/** The consumer name whose function would take the stream scaler's name: refused while autoscaling is on. */
export const STREAM_SCALER = "stream-scaler";

/**
 * The stream scaler's function (`stream.autoscaling`), `kinesis-ingest-<stack>-stream-scaler`.
 * @example streamScalerFunctionName("dev") // "kinesis-ingest-dev-stream-scaler"
 */
export function streamScalerFunctionName(stack: string): string {
  return `${PROJECT}-${stack}-${STREAM_SCALER}`;
}

/** What each Contributor Insights rule of `observability.contributorInsights` ranks (components/contributor-insights.ts). */
export const CONTRIBUTOR_INSIGHT_RULES = [
  "partition-keys-by-records",
  "partition-keys-by-bytes",
  "callers-by-records",
  "consumer-shards-by-records",
  "consumer-failing-partition-keys",
] as const;

export type ContributorInsightRuleKind = (typeof CONTRIBUTOR_INSIGHT_RULES)[number];

/**
 * A Contributor Insights rule's name, `kinesis-ingest-<stack>-<rule>`. PutInsightRule allows 128 characters; the
 * stack name is already bounded by the ingest function's name (64, config/name-checks.ts), so these stay under 90
 * (test/config/contributor-insights.test.ts checks the longest stack name the validator accepts).
 * @example contributorInsightRuleName("dev", "callers-by-records") // "kinesis-ingest-dev-callers-by-records"
 */
export function contributorInsightRuleName(stack: string, rule: ContributorInsightRuleKind): string {
  return `${PROJECT}-${stack}-${rule}`;
}

/**
 * The `observability.canary` canary's name, `kinesis-ingest-<stack>-canary`: lowercase only, so a stack name with
 * capitals or `.` is refused for it (config/name-checks.ts).
 * @example canaryName("dev") // "kinesis-ingest-dev-canary"
 */
export function canaryName(stack: string): string {
  return `${PROJECT}-${stack}-canary`;
}
