/** What the local stack's functions are wired to: the emulators' clients, names and where things go. */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { StackNames } from "../config/names";
import type { ConsumerConfig } from "../config/types";
import type { LocalFanoutTarget } from "./fanout-targets";

export interface LocalFunctionDeps {
  readonly stack: string;
  /** The stack's physical names: functions, stream and secret ids. */
  readonly names: StackNames;
  readonly kinesis: KinesisClient;
  readonly secrets: SecretsManagerClient;
  /** fauxqs (SQS and SNS) and the PutEvents stand-in, and the fan-out target kinds' targets there, by consumer. */
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
  readonly fanoutTargets: ReadonlyMap<string, LocalFanoutTarget>;
  /** The Step Functions stand-in's client and each `stepfunctions` consumer's state machine ARN there. */
  readonly sfn?: SFNClient;
  readonly stateMachines?: ReadonlyMap<string, string>;
  /** The URL of consumer `consumer`'s on-failure queue on fauxqs, where its isolated records go. */
  readonly dlqUrlOf: (consumer: string) => string;
  /** The local issuer's key set (`<server>/_local/jwks.json`): what the websocket front's JWT authorizer reads. */
  readonly jwksUrl: string;
  /** The DynamoDB emulator, holding the `dynamodb` idempotency tables. */
  readonly dynamodb: DynamoDBClient;
  /** The S3 emulator, holding the archivers' buckets. */
  readonly s3: S3Client;
  /** The bucket an archiver writes to: its `bucketName`, or the stack's archive bucket. */
  readonly archiveBucketOf: (consumer: ConsumerConfig) => string;
  /** How long idempotency items live: the stream's retention plus 1 h, as deployed. */
  readonly idempotencyTtlSeconds: number;
  /** Where a consumer delivers: `FORWARD_URL`, its `targetUrl`, or the built-in sink. */
  readonly targetUrlOf: (consumer: ConsumerConfig) => string;
  readonly log: (line: string) => void;
  /** Told each log line a consumer's function writes (in-process, or a user's module's stdout). */
  readonly onConsumerLine?: (consumer: string, line: string) => void;
  /**
   * What a user's module sees besides its own `environment`: region, dummy credentials and the emulators'
   * `AWS_ENDPOINT_URL_<SERVICE>`, so its SDK clients reach them with no code change.
   */
  readonly awsEnvironment: Readonly<Record<string, string>>;
}
