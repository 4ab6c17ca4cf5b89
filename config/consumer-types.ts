/**
 * The validated shape of one entry of `kinesis-ingest:consumers` and of what it holds (config/types.ts
 * re-exports them): what `validateStackConfig` returns, defaults filled in and kind-specific keys gathered.
 * Ranges, allowed values and defaults are declared once, in config/schema/consumers.ts.
 */
import type { WorkflowType } from "../semantics/step-functions";
import type { ARCHIVE_SETTINGS, FANOUT_SETTINGS, STEP_FUNCTIONS_SETTINGS } from "./schema/consumer-kinds";
import type { CONSUMER } from "./schema/consumers";
import type { Validated } from "./schema/kit";

export type StartingPosition = ConsumerConfig["startingPosition"];

/** `consumers.<name>.idempotency`; the values the consumer runtime reads from `IDEMPOTENCY`. */
export type IdempotencyMode = ConsumerConfig["idempotency"];

/** A consumer's settings as the schema declares them, defaults filled in. */
type Settings = Validated<typeof CONSUMER.properties>;

/**
 * Settings the validator reads into another shape: a kind's keys gathered into `archive`, `fanout` and
 * `stepFunctions`, `parameters` told apart by kind, `dropCanaryRecords` folded into `filterPatterns`.
 */
type Reshaped =
  keyof typeof ARCHIVE_SETTINGS | keyof typeof FANOUT_SETTINGS | keyof typeof STEP_FUNCTIONS_SETTINGS | "parameters" | "dropCanaryRecords";

/**
 * Settings with a default that some consumers still lack: the poison-record pair for a windowed consumer
 * (`tumblingWindowSeconds` > 0, whose runtime cannot pass a record by; `maxRecordAttempts` also with
 * `idempotency: none`, as no store counts failures), the batch bounds unless the forwarder's `delivery` is batch.
 */
type SometimesUnset = "poisonRecords" | "maxRecordAttempts" | "maxBatchRecords" | "maxBatchBytes";

/** One entry of `kinesis-ingest:consumers`, keyed by the consumer's name. */
export interface ConsumerConfig extends Omit<Settings, Reshaped | SometimesUnset>, Partial<Pick<Settings, SometimesUnset>> {
  /** The consumer's name (its key in `consumers`). */
  readonly name: string;
  readonly parameters: Readonly<Record<string, ConsumerParameter>>;
  /** The target of a fan-out kind (`sqs`, `sns`, `eventbridge`); absent for every other kind. */
  readonly fanout?: FanoutConfig;
  /** The state machine of a `stepfunctions` consumer; absent for every other kind. */
  readonly stepFunctions?: StepFunctionsConfig;
  /** Where and how an `archiver` consumer writes its objects; set exactly when `handler` is `archiver`. */
  readonly archive?: ArchiveSettings;
}

/** How an object of the archive is encoded: `consumers.<name>.compression`. */
export type ArchiveCompression = (typeof ARCHIVE_SETTINGS.compression.enum)[number];

/** The validated `compression`, `bucketName`, `archivePrefix` and `archiveRetentionDays` of an archiver. */
export interface ArchiveSettings {
  /** gzip (`.ndjson.gz`, ContentEncoding gzip) or none (`.ndjson`). */
  readonly compression: ArchiveCompression;
  /** An existing bucket to write to; unset, the archive goes to the stack's own bucket. */
  readonly bucketName?: string;
  /** What every object key starts with; ends with `/`. */
  readonly prefix: string;
  /** Days after which the stack's bucket expires an object of this prefix; unset with `bucketName`. */
  readonly retentionDays?: number;
}

/** The keys of a `stepfunctions` consumer: exactly one of `definition` and `targetArn`. */
export type StepFunctionsConfig =
  | {
      /** `./path.asl.json` inside the project: the program creates the state machine from it. */
      readonly definition: string;
      /** The file's text as validated (what the state machine is created with). */
      readonly definitionJson: string;
      readonly targetArn?: undefined;
      readonly workflowType: WorkflowType;
    }
  | {
      readonly targetArn: string;
      readonly definition?: undefined;
      readonly definitionJson?: undefined;
      readonly workflowType: WorkflowType;
    };

/** The fan-out keys of a `sqs`, `sns` or `eventbridge` consumer (`targetArn` unset: the program creates the target). */
export type FanoutConfig = Validated<typeof FANOUT_SETTINGS>;

/** The settings of a consumer's event source mapping that Lambda and the local engine both take. */
export type MappingConfig = Pick<
  ConsumerConfig,
  | "batchSize"
  | "batchWindowSeconds"
  | "startingPosition"
  | "startingPositionTimestamp"
  | "parallelizationFactor"
  | "bisectOnError"
  | "maxRecordAgeSeconds"
  | "maxRetryAttempts"
  | "enabled"
>;

/** One entry of a consumer's `permissions`: an Allow statement. */
export interface ConsumerPermission {
  /** IAM actions, `service:Action`, no wildcard. */
  readonly actions: readonly string[];
  /** Resource ARNs (never `*`). */
  readonly resources: readonly string[];
}

/**
 * One entry of a consumer's `parameters`: a parameter the stack creates (`type`, and `value` unless it is a
 * SecureString, whose value comes from the secret `parameterSecrets`), or an existing one by `name`.
 */
export type ConsumerParameter =
  { readonly type: "String" | "StringList"; readonly value: string } | { readonly type: "SecureString" } | { readonly name: string };

/** One entry of a consumer's `tables`: an on-demand, encrypted DynamoDB table with string keys. */
export interface ConsumerTable {
  /** Name of the partition key attribute (type S). */
  readonly partitionKey: string;
  /** Name of the sort key attribute (type S). */
  readonly sortKey?: string;
  /** Attribute holding each item's expiry (epoch seconds) for DynamoDB TTL. */
  readonly ttlAttribute?: string;
}
