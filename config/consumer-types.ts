/**
 * The validated shape of one entry of `kinesis-ingest:consumers` and of what it holds (config/types.ts
 * re-exports them): what `validateStackConfig` returns, defaults filled in and kind-specific keys gathered.
 * Ranges, allowed values and defaults are declared once, in config/schema/consumers.ts.
 */
import type { PoisonRecordMode } from "../semantics/poison-records";
import type { WorkflowType } from "../semantics/step-functions";
import type { ARCHIVE_SETTINGS, DELIVERY_SETTINGS, FANOUT_SETTINGS } from "./schema/consumer-kinds";
import type { CONSUMER } from "./schema/consumers";

// The values are declared once, in the schema (config/schema/consumers.ts).
export type StartingPosition = (typeof CONSUMER.properties.startingPosition.enum)[number];

/** `consumers.<name>.idempotency`; the values the consumer runtime reads from `IDEMPOTENCY`. */
export type IdempotencyMode = (typeof CONSUMER.properties.idempotency.enum)[number];

/** The forwarder's `delivery` modes. */
export type ForwarderDelivery = (typeof DELIVERY_SETTINGS.delivery.enum)[number];

/** One entry of `kinesis-ingest:consumers`, keyed by the consumer's name. */
export interface ConsumerConfig {
  /** The consumer's name (its key in `consumers`): lowercase letters, digits and dashes. */
  readonly name: string;
  /**
   * A built-in kind (`forwarder`, `archiver`) or the path of the user's module exporting `handler`, relative to the
   * project root and starting with `./` (`.ts`, `.mts`, `.js`, `.mjs`).
   */
  readonly handler: string;
  /** Environment variables passed to the function (none reserved by Lambda or set by kinesis-ingest). */
  readonly environment: Readonly<Record<string, string>>;
  /** Extra statements on the function's role: named actions on resources named by ARN. */
  readonly permissions: readonly ConsumerPermission[];
  /** DynamoDB tables the consumer owns, by name; each reaches the function as `TABLE_<NAME>`. */
  readonly tables: Readonly<Record<string, ConsumerTable>>;
  /**
   * Where the consumer runtime remembers completed records, to acknowledge them unprocessed when they are
   * delivered again: in the container's memory, in a DynamoDB table the program creates, or nowhere.
   */
  readonly idempotency: IdempotencyMode;
  /**
   * What the runtime does with a record that fails for good: sends it alone to the consumer's on-failure queue
   * and goes on (`isolate`), or fails it as any other record, holding back its key (`block`). Unset for a
   * windowed consumer (`tumblingWindowSeconds` > 0), whose runtime cannot pass a record by.
   */
  readonly poisonRecords?: PoisonRecordMode;
  /**
   * Failures across invocations that make a record poison, at most `maxRetryAttempts` + 1. Unset with
   * `idempotency: none` (the store counts them) and for a windowed consumer.
   */
  readonly maxRecordAttempts?: number;
  /** The target of a fan-out kind (`sqs`, `sns`, `eventbridge`); absent for every other kind. */
  readonly fanout?: FanoutConfig;
  /** The state machine of a `stepfunctions` consumer; absent for every other kind. */
  readonly stepFunctions?: StepFunctionsConfig;
  /** Downstream URL the forwarder delivers to. */
  readonly targetUrl?: string;
  /** Where and how an `archiver` consumer writes its objects; set exactly when `handler` is `archiver`. */
  readonly archive?: ArchiveSettings;
  /** How the forwarder POSTs: one request per record, or `{"records":[...]}` per request of records. */
  readonly delivery: ForwarderDelivery;
  /** Most records in one batch request; set exactly when `delivery` is batch. */
  readonly maxBatchRecords?: number;
  /** Most bytes of one batch request's body; set exactly when `delivery` is batch. */
  readonly maxBatchBytes?: number;
  /** Records per batch. */
  readonly batchSize: number;
  /** Maximum batching window, in seconds. */
  readonly batchWindowSeconds: number;
  /** Where a new mapping starts reading. */
  readonly startingPosition: StartingPosition;
  /** UTC time in whole seconds, `YYYY-MM-DDTHH:MM:SSZ` (normalized); required exactly when `startingPosition` is `AT_TIMESTAMP`. */
  readonly startingPositionTimestamp?: string;
  /** Concurrent batches per shard. */
  readonly parallelizationFactor: number;
  /** Split a failing batch in two and retry each half. */
  readonly bisectOnError: boolean;
  /** Discard (to the on-failure destination) records older than this many seconds; -1: never. */
  readonly maxRecordAgeSeconds: number;
  /** Retries before a batch goes to the on-failure destination; -1: until the record expires. */
  readonly maxRetryAttempts: number;
  /** Reserved concurrency; 0 is the kill switch (no invocations). Unset = unreserved. */
  readonly reservedConcurrency?: number;
  /** `false` pauses the mapping, keeping its checkpoint. */
  readonly enabled: boolean;
  /** Tumbling window, in seconds (0 = none). */
  readonly tumblingWindowSeconds: number;
  /** Event filter patterns (JSON strings on the `data` key). */
  readonly filterPatterns: readonly string[];
  /** Function memory, in MB. */
  readonly memoryMb: number;
  /** Function timeout, in seconds. */
  readonly timeoutSeconds: number;
  /** Per-request timeout for downstream calls, in ms. */
  readonly requestTimeoutMs: number;
  /** Lambda layer version ARNs in the stack's Region (not run by the local stack). */
  readonly layers: readonly string[];
  /** The customer managed key encrypting the function's environment (its role may decrypt with it). */
  readonly kmsKeyArn?: string;
  /**
   * Parameter Store parameters the function reads, by name: each created as `/kinesis-ingest/<stack>/<consumer>/<NAME>`
   * or an existing one, readable by this function only and passed as `PARAM_<NAME>`.
   */
  readonly parameters: Readonly<Record<string, ConsumerParameter>>;
  /** Read through an enhanced fan-out consumer of this name (must be in `stream.fanOutConsumers`). */
  readonly fanOutConsumer?: string;
  /**
   * Adds a temporary second mapping starting AT_TIMESTAMP at this time (UTC, whole seconds,
   * `YYYY-MM-DDTHH:MM:SSZ`, normalized): the no-tool way to reprocess a window. Remove the key to delete the
   * replay mapping.
   */
  readonly replayFrom?: string;
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

/** The fan-out keys of a `sqs`, `sns` or `eventbridge` consumer. */
export interface FanoutConfig {
  /** An existing queue, topic or event bus (ARN) to publish to; unset: the program creates one. */
  readonly targetArn?: string;
  /** A FIFO queue or topic (`sqs`, `sns`): per-key order, deduplication by idempotency key. */
  readonly fifo: boolean;
  /** `eventbridge` without `targetArn`: a `custom` bus the program creates, or the account's `default` bus. */
  readonly eventBus: (typeof FANOUT_SETTINGS.eventBus.enum)[number];
  /** `eventbridge`: the events' Source. */
  readonly source?: string;
  /** `eventbridge`: the events' DetailType. */
  readonly detailType?: string;
}

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
