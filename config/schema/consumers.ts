/**
 * `kinesis-ingest:consumers`: an object keyed by consumer name, each value one consumer's keys, in groups: what
 * every consumer reads (its mapping, function and code), then each group only some kinds read (the group's
 * `*-settings.ts` file refuses it on the others and names the kinds).
 */
import { Type } from "@sinclair/typebox";
import { BUILT_IN_KINDS } from "../../handlers/lib/built-in-kinds";
import { REQUEST_TIMEOUT_MS } from "../../handlers/lib/consumer/delivery";
import { CONSUMER_NAME_MAX_LENGTH } from "../../handlers/lib/environment/consumer";
import { ESM_RANGES, LAMBDA_ESM_DEFAULTS, MAX_FILTER_PATTERNS, STARTING_POSITIONS } from "../../semantics/event-source-mapping";
import {
  FUNCTION_MEMORY_MB,
  FUNCTION_TIMEOUT_SECONDS,
  KMS_KEY_ARN,
  LAYER_VERSION_ARN,
  LAYER_VERSION_ARN_MAX_LENGTH,
  MAX_FUNCTION_LAYERS,
} from "../../semantics/lambda-function";
import { PARAMETER_TYPES, STANDARD_PARAMETER_VALUE_MAX } from "../../semantics/parameter-store";
import {
  DEFAULT_MAX_RECORD_ATTEMPTS,
  DEFAULT_POISON_RECORD_MODE,
  MAX_RECORD_ATTEMPTS_RANGE,
  POISON_RECORD_MODES,
} from "../../semantics/poison-records";
import { ARCHIVE_SETTINGS, DELIVERY_SETTINGS, FANOUT_SETTINGS, STEP_FUNCTIONS_SETTINGS } from "./consumer-kinds";
import { choice, flag, int, intOrUnlimited, list, map, range, section, text } from "./kit";

/** A consumer name: its key in `consumers`, part of every physical name of the consumer. */
export const CONSUMER_NAME = new RegExp(`^[a-z][a-z0-9-]{0,${CONSUMER_NAME_MAX_LENGTH - 1}}$`);

/** File types a custom handler may have: what esbuild bundles and the local stack loads. */
export const HANDLER_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;

const string = (description: string) => Type.String({ description });

/** One entry of `permissions`: an Allow statement. */
export const PERMISSION = section(
  {
    actions: Type.Array(string("An IAM action, service:Action, no wildcard."), { minItems: 1 }),
    resources: Type.Array(string("A resource ARN of the aws partition, never *."), { minItems: 1 }),
  },
  { description: "Named actions on resources named by ARN." },
);

/** One entry of `tables`: an on-demand, encrypted DynamoDB table with string keys. */
export const TABLE = section(
  {
    partitionKey: string("The partition key attribute (type S)."),
    sortKey: Type.Optional(string("The sort key attribute (type S).")),
    ttlAttribute: Type.Optional(string("The attribute holding each item's expiry (epoch seconds) for DynamoDB TTL.")),
  },
  { description: "A DynamoDB table the consumer owns, passed as TABLE_<NAME>." },
);

/** One entry of `parameters` the stack creates: `{type, value}`, a SecureString's value kept in `parameterSecrets`. */
export const CREATED_PARAMETER = section(
  {
    type: Type.Optional(
      choice(PARAMETER_TYPES, { description: "The parameter's type; a SecureString's value goes in the secret `parameterSecrets`." }),
      false,
    ),
    value: text({
      minLength: 1,
      maxLength: STANDARD_PARAMETER_VALUE_MAX,
      description: "The value of a String or StringList parameter (a standard parameter's limit).",
    }),
  },
  { description: "A parameter the stack creates as /kinesis-ingest/<stack>/<consumer>/<NAME>." },
);

/** One entry of `parameters` that exists already: `{name}`. */
export const EXISTING_PARAMETER = section(
  { name: string("An existing parameter's name.") },
  { description: "An existing parameter, read by name." },
);

/** The keys every consumer reads, in the order the "known settings" list shows them. */
const COMMON = {
  handler: Type.Union(
    [
      Type.Unsafe<string>({ type: "string", enum: BUILT_IN_KINDS }),
      Type.String({ pattern: `^\\./.+(${HANDLER_EXTENSIONS.map((e) => `\\${e}`).join("|")})$` }),
    ],
    { description: "A built-in kind, or the path of your module from the project root, starting ./ and exporting `handler`." },
  ),
  targetUrl: text({ description: "forwarder only: the http(s) URL records are POSTed to; unset, read from the consumer's secret." }),
  batchSize: int({ ...range(ESM_RANGES.batchSize), default: LAMBDA_ESM_DEFAULTS.batchSize, description: "Records per batch." }),
  batchWindowSeconds: int({
    ...range(ESM_RANGES.batchWindowSeconds),
    default: LAMBDA_ESM_DEFAULTS.batchWindowSeconds,
    description: "The longest a batch is gathered, in seconds.",
  }),
  startingPosition: choice(STARTING_POSITIONS, { default: "LATEST", description: "Where a new mapping starts reading." }),
  startingPositionTimestamp: text({
    description: "RFC 3339 with seconds and zone, such as 2026-11-01T00:00:00Z; required exactly with AT_TIMESTAMP.",
  }),
  parallelizationFactor: int({
    ...range(ESM_RANGES.parallelizationFactor),
    default: LAMBDA_ESM_DEFAULTS.parallelizationFactor,
    description: "Concurrent batches per shard.",
  }),
  bisectOnError: flag({ default: true, description: "Split a failing batch in two and retry each half." }),
  // Record age and retries default to bounded values: Lambda's own -1 lets one bad record block its shard until it expires.
  maxRecordAgeSeconds: intOrUnlimited(ESM_RANGES.maxRecordAgeSeconds, {
    default: 3600,
    description: "Records older than this go to the on-failure queue; -1 keeps them until they expire.",
  }),
  maxRetryAttempts: intOrUnlimited(ESM_RANGES.maxRetryAttempts, {
    default: 3,
    description: "Retries before a batch goes to the on-failure queue; -1 retries until the records expire.",
  }),
  reservedConcurrency: int({ minimum: 0, maximum: 1000, description: "Reserved concurrency; 0 is the kill switch. Unset: unreserved." }),
  enabled: flag({ default: true, description: "false pauses the mapping, keeping its checkpoint." }),
  tumblingWindowSeconds: int({
    ...range(ESM_RANGES.tumblingWindowSeconds),
    default: LAMBDA_ESM_DEFAULTS.tumblingWindowSeconds,
    description: "Tumbling window in seconds; 0 is none.",
  }),
  filterPatterns: list(string('A JSON object filtering on `data` only, such as {"data":{"type":["order"]}}.'), {
    maxItems: MAX_FILTER_PATTERNS,
    default: [],
    description: "Lambda event filter patterns.",
  }),
  dropCanaryRecords: flag({ default: false, description: "Keep the canary's records from this consumer (adds a clause to each filter)." }),
  memoryMb: int({ ...range(FUNCTION_MEMORY_MB), default: 256, description: "The function's memory, in MB." }),
  timeoutSeconds: int({ ...range(FUNCTION_TIMEOUT_SECONDS), default: 30, description: "The function's timeout, in seconds." }),
  requestTimeoutMs: int({
    ...range(REQUEST_TIMEOUT_MS),
    default: REQUEST_TIMEOUT_MS.default,
    description: "forwarder only: each request's timeout, in ms; 2 × it + 500 ms must stay below the function timeout.",
  }),
  fanOutConsumer: text({ description: "Read through this enhanced fan-out consumer (one of `stream.fanOutConsumers`)." }),
  replayFrom: text({ description: "RFC 3339 with seconds and zone: adds a temporary replay mapping starting AT_TIMESTAMP there." }),
  environment: map(string("A variable's value (quote numbers and booleans)."), {
    default: {},
    description: "Environment variables of the function (none Lambda or kinesis-ingest sets).",
  }),
  permissions: list(PERMISSION, { default: [], description: "Extra statements on the function's role." }),
  tables: map(TABLE, { default: {}, description: "DynamoDB tables the consumer owns, by name." }),
  idempotency: choice(["memory", "dynamodb", "none"], {
    default: "memory",
    description: "Where the consumer runtime remembers completed records.",
  }),
  parameters: map(Type.Union([CREATED_PARAMETER, EXISTING_PARAMETER]), {
    default: {},
    description: "Parameter Store parameters the function reads, by name, passed as PARAM_<NAME>.",
  }),
};

/** A function's own settings (config/function-settings.ts). */
export const FUNCTION_SETTINGS = {
  layers: list(
    Type.String({
      pattern: LAYER_VERSION_ARN.source,
      maxLength: LAYER_VERSION_ARN_MAX_LENGTH,
      description: "A layer version ARN in the stack's Region.",
    }),
    {
      maxItems: MAX_FUNCTION_LAYERS,
      default: [],
      description: "Lambda layer versions (not run by the local stack).",
    },
  ),
  kmsKeyArn: text({ pattern: KMS_KEY_ARN.source, description: "The customer managed KMS key encrypting the function's environment." }),
};

/** What the runtime does with a record that fails for good (config/poison-settings.ts). */
export const POISON_SETTINGS = {
  poisonRecords: choice(POISON_RECORD_MODES, {
    default: DEFAULT_POISON_RECORD_MODE,
    description: "isolate: a record that fails for good goes alone to the on-failure queue; block: it holds back its key.",
  }),
  maxRecordAttempts: int({
    ...range(MAX_RECORD_ATTEMPTS_RANGE),
    default: DEFAULT_MAX_RECORD_ATTEMPTS,
    description: "Failures across invocations that make a record poison; at most maxRetryAttempts + 1.",
  }),
};

export const CONSUMER = section(
  {
    ...COMMON,
    ...FUNCTION_SETTINGS,
    ...POISON_SETTINGS,
    ...ARCHIVE_SETTINGS,
    ...DELIVERY_SETTINGS,
    ...FANOUT_SETTINGS,
    ...STEP_FUNCTIONS_SETTINGS,
  },
  { description: "One consumer: an event source mapping and its Lambda function." },
);

export const CONSUMERS = Type.Record(Type.String({ pattern: CONSUMER_NAME.source }), CONSUMER, {
  additionalProperties: false,
  description: `Consumers by name (1 to ${CONSUMER_NAME_MAX_LENGTH} lowercase letters, digits or dashes, starting with a letter).`,
});
