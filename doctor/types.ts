/**
 * What every preflight check shares: its result, the AWS clients it may call (read-only), and the plan of
 * the stack it checks (what `pulumi up` would ask the account for).
 */
import type { ACMClient } from "@aws-sdk/client-acm";
import type { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { StackConfig } from "../config";
import type { StackNames } from "../config/names";

/**
 * - `pass`: the account has what the stack needs.
 * - `fail`: `pulumi up` would fail (or take over something): `fix` says what to change.
 * - `skipped`: the check does not apply to this stack's settings.
 * - `error`: the check could not run (access denied, no credentials, network): `fix` names the permission.
 */
export type CheckStatus = "pass" | "fail" | "skipped" | "error";

/** One row of the report; `--json` prints an array of exactly these. */
export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** A command to run or a config key to change; empty when there is nothing to do. */
  readonly fix: string;
}

/** The SDK clients the checks call, all in the stack's region. Tests pass aws-sdk-client-mock'ed ones. */
export interface DoctorClients {
  readonly lambda: LambdaClient;
  readonly apiGateway: APIGatewayClient;
  readonly ec2: EC2Client;
  readonly acm: ACMClient;
  readonly kinesis: KinesisClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudwatch: CloudWatchClient;
  /** IAM is global; the client is made like the others. */
  readonly iam: IAMClient;
}

/** A fan-out target the stack creates under a fixed name (consumers without `targetArn`). */
export interface FanoutTargetName {
  readonly kind: "queue" | "topic" | "bus";
  readonly name: string;
}

/** The stack as the checks see it. */
export interface DoctorPlan {
  readonly stack: string;
  readonly region: string;
  /** The stack is already deployed (`--deployed`): its names existing is expected. */
  readonly deployed: boolean;
  readonly config: StackConfig;
  readonly names: StackNames;
  /** Every function the stack creates, by physical name. */
  readonly functionNames: readonly string[];
  /** Every DynamoDB table: the consumers' `tables` and their idempotency tables. */
  readonly tableNames: readonly string[];
  /** The queues, topics and buses the fan-out consumers without `targetArn` get. */
  readonly fanoutTargets: readonly FanoutTargetName[];
  /** The alarm topic, with `observability.alarmEmail`. */
  readonly alarmTopic?: string;
  /** The dashboard, with `observability.dashboard`. */
  readonly dashboard?: string;
  /** Every log group: each function's, and the API Gateway stage's access log group. */
  readonly logGroupNames: readonly string[];
  /** Every enhanced fan-out consumer registered on the stream: `stream.fanOutConsumers` and the replays' own. */
  readonly fanOutConsumerNames: readonly string[];
}

/** One preflight check: read-only calls, never a throw (an AWS error becomes an `error` row). */
export type Check = (plan: DoctorPlan, clients: DoctorClients) => Promise<CheckResult[]>;
