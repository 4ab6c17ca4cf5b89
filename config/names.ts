/**
 * The physical names of a stack's resources, from the stack name and the consumer names: the one place the
 * program and the local stack take them from, so a deployed stack and its local twin name things alike.
 * Every name is a field of its own, so a check per name (such as its service's length limit) can be added here.
 * Resources the program leaves to Pulumi's auto-naming (roles, secrets, alarms, buckets) have no entry.
 */
import { PROJECT } from "./load";

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
      producers: `${prefix}-producers`,
    },
    alarmTopic: `${prefix}-alarms`,
    dashboard: prefix,
    localApiTokensSecret: `${prefix}-api-tokens`,
    consumers: Object.fromEntries(consumerNames.map((name) => [name, {
      function: `${prefix}-${name}`,
      queue: `${prefix}-${name}-dlq`,
      localConfigSecret: `${prefix}-${name}-config`,
    }])),
  };
}

/** The log group a function writes to: Lambda's own default name, `/aws/lambda/<function>`. */
export function functionLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The physical name of a consumer's table, `kinesis-ingest-<stack>-<consumer>-<table>` (the validator checks
 * it with {@link isValidTableName}).
 * @example consumerTableName("dev", "order-totals", "totals") // "kinesis-ingest-dev-order-totals-totals"
 */
export function consumerTableName(stack: string, consumer: string, table: string): string {
  return `${PROJECT}-${stack}-${consumer}-${table}`;
}

/** The variable a table's physical name reaches the function in: `TABLE_<NAME>`, upper case, dashes as underscores. */
export function tableEnvironmentName(table: string): string {
  return `TABLE_${table.toUpperCase().replace(/-/g, "_")}`;
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
