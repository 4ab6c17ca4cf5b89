/**
 * Validation of `kinesis-ingest:consumers`: each consumer's keys, checked against Lambda's event source
 * mapping ranges and the handler kind that reads them (kind-specific keys live in `*-settings.ts`).
 */
import { ARCHIVE_KEYS, readArchive } from "./archive-settings";
import { readEnvironment, readHandler, readPermissions, readTables } from "./consumer-code";
import { CONSUMER_DEFAULTS, IDEMPOTENCY_MODES, idempotencyEnvironmentBytes, PROGRAM_ENVIRONMENT_BYTES } from "./defaults";
import { tableEnvironmentName } from "./names";
import { deliveryTimeMarginMs } from "../handlers/lib/consumer/delivery";
import { compileFilterCriteria } from "../semantics/event-filter";
import { FUNCTION_TIMEOUT_SECONDS } from "../semantics/lambda-function";
import { withCanaryExclusion } from "./canary-settings";
import { ESM_RANGES, MAX_FILTER_PATTERNS, STARTING_POSITIONS, type SettingRange } from "../semantics/event-source-mapping";
import { FANOUT_KEYS, readFanoutSettings } from "./fanout-settings";
import { readStepFunctionsSettings, STEP_FUNCTIONS_KEYS } from "./step-functions-settings";
import { DELIVERY_KEYS, readDelivery } from "./forwarder-settings";
import { FUNCTION_KEYS, readFunctionSettings } from "./function-settings";
import { parameterEnvironmentBytes, readParameters } from "./parameter-settings";
import { POISON_KEYS, poisonEnvironmentBytes, readPoisonSettings } from "./poison-settings";
import {
  boolean,
  integer,
  isObject,
  oneOf,
  Problems,
  rejectUnknownKeys,
  section,
  stringList,
  timestamp,
  url,
  type RawObject,
} from "./rules";
import type { ConsumerConfig } from "./types";

/** A consumer name: its key in `consumers`, part of every physical name of the consumer. */
export const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,39}$/;

const CONSUMER_KEYS = [
  "handler",
  "targetUrl",
  "batchSize",
  "batchWindowSeconds",
  "startingPosition",
  "startingPositionTimestamp",
  "parallelizationFactor",
  "bisectOnError",
  "maxRecordAgeSeconds",
  "maxRetryAttempts",
  "reservedConcurrency",
  "enabled",
  "tumblingWindowSeconds",
  "filterPatterns",
  "dropCanaryRecords",
  "memoryMb",
  "timeoutSeconds",
  "requestTimeoutMs",
  "fanOutConsumer",
  "replayFrom",
  "environment",
  "permissions",
  "tables",
  "idempotency",
  "parameters",
  ...FUNCTION_KEYS,
  ...POISON_KEYS,
  ...ARCHIVE_KEYS,
  ...DELIVERY_KEYS,
  ...FANOUT_KEYS,
  ...STEP_FUNCTIONS_KEYS,
];

/** Settings only the built-in forwarder reads. */
const FORWARDER_KEYS = ["targetUrl", "requestTimeoutMs", ...DELIVERY_KEYS] as const;

export function readConsumers(p: Problems, raw: RawObject, fanOut: readonly string[]): Record<string, ConsumerConfig> {
  const consumers: Record<string, ConsumerConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const path = `consumers.${name}`;
    if (!CONSUMER_NAME.test(name))
      p.say(`\`${path}\`: a consumer name must be 1 to 40 lowercase letters, digits or dashes, starting with a letter`);
    consumers[name] = readConsumer(p, path, name, section(p, path, value), fanOut) as ConsumerConfig;
  }
  return consumers;
}

function readConsumer(p: Problems, path: string, name: string, c: RawObject, fanOut: readonly string[]): Partial<ConsumerConfig> {
  const d = CONSUMER_DEFAULTS;
  rejectUnknownKeys(p, path, c, CONSUMER_KEYS);
  const at = (key: string) => `${path}.${key}`;
  const handler = readHandler(p, at("handler"), c.handler);
  for (const key of FORWARDER_KEYS) {
    if (handler !== undefined && handler !== "forwarder" && c[key] !== undefined)
      p.say(`\`${at(key)}\` applies only to handler forwarder; ${JSON.stringify(handler)} does not read it`);
  }
  const tables = readTables(p, at("tables"), c.tables);
  const tableBytes = Object.keys(tables ?? {}).reduce((sum, t) => sum + tableEnvironmentName(t).length + 128, 0);
  const idempotency = oneOf(p, at("idempotency"), c.idempotency ?? d.idempotency, IDEMPOTENCY_MODES);
  const startingPosition = oneOf(p, at("startingPosition"), c.startingPosition ?? d.startingPosition, STARTING_POSITIONS);
  if (startingPosition === "AT_TIMESTAMP" && c.startingPositionTimestamp === undefined) {
    p.say(`\`${at("startingPositionTimestamp")}\` is required when \`${at("startingPosition")}\` is AT_TIMESTAMP`);
  }
  if (startingPosition !== undefined && startingPosition !== "AT_TIMESTAMP" && c.startingPositionTimestamp !== undefined) {
    p.say(
      `\`${at("startingPositionTimestamp")}\` is only allowed when \`${at("startingPosition")}\` is AT_TIMESTAMP, got ${startingPosition}`,
    );
  }
  const timeoutSeconds = integer(
    p,
    at("timeoutSeconds"),
    c.timeoutSeconds ?? d.timeoutSeconds,
    FUNCTION_TIMEOUT_SECONDS.min,
    FUNCTION_TIMEOUT_SECONDS.max,
  );
  const requestTimeoutMs = integer(p, at("requestTimeoutMs"), c.requestTimeoutMs ?? d.requestTimeoutMs, 100, 60_000);
  // The forwarder stops starting records inside its delivery margin; a function timeout no longer than the
  // margin would let each invocation process one record.
  if (
    handler === "forwarder" &&
    timeoutSeconds !== undefined &&
    requestTimeoutMs !== undefined &&
    deliveryTimeMarginMs(requestTimeoutMs) >= timeoutSeconds * 1000
  ) {
    p.say(
      `\`${at("requestTimeoutMs")}\` must leave room for a retry within the function timeout (2 × requestTimeoutMs + 500 ms < ${timeoutSeconds * 1000} ms), got ${requestTimeoutMs}`,
    );
  }
  const tumblingWindowSeconds = setting(
    p,
    at("tumblingWindowSeconds"),
    c.tumblingWindowSeconds ?? d.tumblingWindowSeconds,
    ESM_RANGES.tumblingWindowSeconds,
  );
  // With a tumbling window Lambda fails every response without `state` (docs/aws-semantics.md#tumbling-windows):
  // the forwarder returns only batchItemFailures, so each of its batches would end in the on-failure queue.
  if (handler === "forwarder" && tumblingWindowSeconds !== undefined && tumblingWindowSeconds > 0) {
    p.say(
      `\`${at("tumblingWindowSeconds")}\` must be 0 for handler forwarder (with a tumbling window Lambda requires every response to carry \`state\`, which the forwarder does not return; build the consumer on createWindowedConsumer), got ${tumblingWindowSeconds}`,
    );
  }
  const maxRetryAttempts = setting(p, at("maxRetryAttempts"), c.maxRetryAttempts ?? d.maxRetryAttempts, ESM_RANGES.maxRetryAttempts);
  const poison = readPoisonSettings(p, path, c, { idempotency, maxRetryAttempts, tumblingWindowSeconds });
  const parameters = readParameters(p, at("parameters"), name, c.parameters);
  // `{}` when unset: what the program sets (parameters' names above all) must fit Lambda's 4 KB on its own too.
  const environment = readEnvironment(
    p,
    at("environment"),
    c.environment ?? {},
    PROGRAM_ENVIRONMENT_BYTES +
      tableBytes +
      idempotencyEnvironmentBytes(idempotency) +
      poisonEnvironmentBytes(poison) +
      parameterEnvironmentBytes(parameters),
  );
  const fanOutConsumer =
    c.fanOutConsumer === undefined
      ? undefined
      : oneOf(p, at("fanOutConsumer"), c.fanOutConsumer, fanOut.length > 0 ? fanOut : ["(none: `stream.fanOutConsumers` is empty)"]);
  return {
    name,
    handler,
    ...readFanoutSettings(p, path, handler, c),
    ...readStepFunctionsSettings(p, path, handler, c),
    environment,
    tables,
    parameters,
    ...readFunctionSettings(p, path, c),
    idempotency,
    ...poison,
    startingPosition,
    timeoutSeconds,
    requestTimeoutMs,
    fanOutConsumer,
    permissions: readPermissions(p, at("permissions"), c.permissions),
    ...readDelivery(p, path, handler, c),
    targetUrl: c.targetUrl === undefined ? undefined : url(p, at("targetUrl"), c.targetUrl, ["https", "http"]),
    archive: readArchive(p, path, name, handler, c),
    batchSize: setting(p, at("batchSize"), c.batchSize ?? d.batchSize, ESM_RANGES.batchSize),
    batchWindowSeconds: setting(p, at("batchWindowSeconds"), c.batchWindowSeconds ?? d.batchWindowSeconds, ESM_RANGES.batchWindowSeconds),
    startingPositionTimestamp:
      c.startingPositionTimestamp === undefined ? undefined : timestamp(p, at("startingPositionTimestamp"), c.startingPositionTimestamp),
    parallelizationFactor: setting(
      p,
      at("parallelizationFactor"),
      c.parallelizationFactor ?? d.parallelizationFactor,
      ESM_RANGES.parallelizationFactor,
    ),
    bisectOnError: boolean(p, at("bisectOnError"), c.bisectOnError ?? d.bisectOnError),
    maxRecordAgeSeconds: setting(
      p,
      at("maxRecordAgeSeconds"),
      c.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
      ESM_RANGES.maxRecordAgeSeconds,
    ),
    maxRetryAttempts,
    reservedConcurrency:
      c.reservedConcurrency === undefined ? undefined : integer(p, at("reservedConcurrency"), c.reservedConcurrency, 0, 1000),
    enabled: boolean(p, at("enabled"), c.enabled ?? d.enabled),
    tumblingWindowSeconds,
    // `dropCanaryRecords` is folded into the patterns: the deployed mapping and the local engine apply the same ones.
    filterPatterns: withCanaryExclusion(
      p,
      path,
      c.dropCanaryRecords,
      stringList(p, at("filterPatterns"), c.filterPatterns ?? d.filterPatterns, MAX_FILTER_PATTERNS, (fp, v) => filterPattern(p, fp, v)),
    ),
    memoryMb: integer(p, at("memoryMb"), c.memoryMb ?? d.memoryMb, 128, 10_240),
    replayFrom: c.replayFrom === undefined ? undefined : timestamp(p, at("replayFrom"), c.replayFrom),
  };
}

/** An event source mapping setting within Lambda's range (docs/aws-semantics.md#event-source-mapping-settings). */
function setting(p: Problems, path: string, value: unknown, range: SettingRange): number | undefined {
  return integer(p, path, value, range.min, range.max, range.unlimited === undefined ? [] : [range.unlimited]);
}

/**
 * A Lambda event filter pattern: a JSON object whose only key is `data` (Kinesis filters match data only),
 * whose rules the local mapping engine can compile: the stack refuses what the local stack would refuse.
 */
function filterPattern(p: Problems, path: string, value: unknown): string | undefined {
  if (typeof value === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      // falls through to the problem below
    }
    if (isObject(parsed) && Object.keys(parsed).length === 1 && isObject(parsed.data)) {
      const refusal = filterRuleProblem(value);
      return refusal === undefined ? value : p.say(refusal.replace(/^filterPatterns\[0\](\S*)/, (_, rest: string) => `\`${path}${rest}\``));
    }
  }
  return p.add(path, 'a JSON object string filtering on `data` only, such as {"data":{"type":["order"]}}', value);
}

/** Why the filter engine refuses a pattern's rules (message naming `filterPatterns[0]...`), or undefined. */
function filterRuleProblem(pattern: string): string | undefined {
  try {
    compileFilterCriteria([pattern]);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
