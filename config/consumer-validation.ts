/**
 * Validation of `kinesis-ingest:consumers`: each consumer's keys, checked against Lambda's event source
 * mapping ranges and the handler kind that reads them (kind-specific keys live in `*-settings.ts`).
 */
import { readArchive } from "./archive-settings";
import { readEnvironment, readHandler, readPermissions, readTables } from "./consumer-code";
import { CONSUMER_DEFAULTS } from "./defaults";
import { consumerEnvironmentBytes } from "../handlers/lib/environment/budget";
import { deliveryTimeMarginMs } from "../handlers/lib/consumer/delivery";
import { compileFilterCriteria } from "../semantics/event-filter";
import { withCanaryExclusion } from "./canary-settings";
import { readFanoutSettings } from "./fanout-settings";
import { readStepFunctionsSettings } from "./step-functions-settings";
import { DELIVERY_KEYS, readDelivery } from "./forwarder-settings";
import { readFunctionSettings } from "./function-settings";
import { longestParameterNames, readParameters } from "./parameter-settings";
import { readPoisonSettings } from "./poison-settings";
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
import { CONSUMER, CONSUMER_NAME } from "./schema/consumers";
import { bounds, keysOf } from "./schema/kit";
import type { ConsumerConfig } from "./types";

/** The declarations every reader below checks against: types, ranges and allowed values. */
const S = CONSUMER.properties;

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
  rejectUnknownKeys(p, path, c, keysOf(CONSUMER));
  const at = (key: string) => `${path}.${key}`;
  const handler = readHandler(p, at("handler"), c.handler);
  for (const key of FORWARDER_KEYS) {
    if (handler !== undefined && handler !== "forwarder" && c[key] !== undefined)
      p.say(`\`${at(key)}\` applies only to handler forwarder; ${JSON.stringify(handler)} does not read it`);
  }
  const tables = readTables(p, at("tables"), c.tables);
  const idempotency = oneOf(p, at("idempotency"), c.idempotency ?? d.idempotency, S.idempotency.enum);
  const startingPosition = oneOf(p, at("startingPosition"), c.startingPosition ?? d.startingPosition, S.startingPosition.enum);
  if (startingPosition === "AT_TIMESTAMP" && c.startingPositionTimestamp === undefined) {
    p.say(`\`${at("startingPositionTimestamp")}\` is required when \`${at("startingPosition")}\` is AT_TIMESTAMP`);
  }
  if (startingPosition !== undefined && startingPosition !== "AT_TIMESTAMP" && c.startingPositionTimestamp !== undefined) {
    p.say(
      `\`${at("startingPositionTimestamp")}\` is only allowed when \`${at("startingPosition")}\` is AT_TIMESTAMP, got ${startingPosition}`,
    );
  }
  const timeoutSeconds = integer(p, at("timeoutSeconds"), c.timeoutSeconds ?? d.timeoutSeconds, ...bounds(S.timeoutSeconds));
  const requestTimeoutMs = integer(p, at("requestTimeoutMs"), c.requestTimeoutMs ?? d.requestTimeoutMs, ...bounds(S.requestTimeoutMs));
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
  const tumblingWindowSeconds = integer(
    p,
    at("tumblingWindowSeconds"),
    c.tumblingWindowSeconds ?? d.tumblingWindowSeconds,
    ...bounds(S.tumblingWindowSeconds),
  );
  // With a tumbling window Lambda fails every response without `state` (docs/aws-semantics.md#tumbling-windows):
  // the forwarder returns only batchItemFailures, so each of its batches would end in the on-failure queue.
  if (handler === "forwarder" && tumblingWindowSeconds !== undefined && tumblingWindowSeconds > 0) {
    p.say(
      `\`${at("tumblingWindowSeconds")}\` must be 0 for handler forwarder (with a tumbling window Lambda requires every response to carry \`state\`, which the forwarder does not return; build the consumer on createWindowedConsumer), got ${tumblingWindowSeconds}`,
    );
  }
  const maxRetryAttempts = integer(p, at("maxRetryAttempts"), c.maxRetryAttempts ?? d.maxRetryAttempts, ...bounds(S.maxRetryAttempts));
  const poison = readPoisonSettings(p, path, c, { idempotency, maxRetryAttempts, tumblingWindowSeconds });
  const parameters = readParameters(p, at("parameters"), name, c.parameters);
  // `{}` when unset: what the program sets (parameters' names above all) must fit Lambda's 4 KB on its own too.
  const environment = readEnvironment(
    p,
    at("environment"),
    c.environment ?? {},
    consumerEnvironmentBytes({
      ...poison,
      handler,
      idempotency,
      tables,
      parameterNames: longestParameterNames(parameters),
      requestTimeoutMs,
      targetUrl: c.targetUrl,
    }),
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
    batchSize: integer(p, at("batchSize"), c.batchSize ?? d.batchSize, ...bounds(S.batchSize)),
    batchWindowSeconds: integer(p, at("batchWindowSeconds"), c.batchWindowSeconds ?? d.batchWindowSeconds, ...bounds(S.batchWindowSeconds)),
    startingPositionTimestamp:
      c.startingPositionTimestamp === undefined ? undefined : timestamp(p, at("startingPositionTimestamp"), c.startingPositionTimestamp),
    parallelizationFactor: integer(
      p,
      at("parallelizationFactor"),
      c.parallelizationFactor ?? d.parallelizationFactor,
      ...bounds(S.parallelizationFactor),
    ),
    bisectOnError: boolean(p, at("bisectOnError"), c.bisectOnError ?? d.bisectOnError),
    maxRecordAgeSeconds: integer(
      p,
      at("maxRecordAgeSeconds"),
      c.maxRecordAgeSeconds ?? d.maxRecordAgeSeconds,
      ...bounds(S.maxRecordAgeSeconds),
    ),
    maxRetryAttempts,
    reservedConcurrency:
      c.reservedConcurrency === undefined
        ? undefined
        : integer(p, at("reservedConcurrency"), c.reservedConcurrency, ...bounds(S.reservedConcurrency)),
    enabled: boolean(p, at("enabled"), c.enabled ?? d.enabled),
    tumblingWindowSeconds,
    // `dropCanaryRecords` is folded into the patterns: the deployed mapping and the local engine apply the same ones.
    filterPatterns: withCanaryExclusion(
      p,
      path,
      c.dropCanaryRecords,
      stringList(p, at("filterPatterns"), c.filterPatterns ?? d.filterPatterns, S.filterPatterns.maxItems, (fp, v) =>
        filterPattern(p, fp, v),
      ),
    ),
    memoryMb: integer(p, at("memoryMb"), c.memoryMb ?? d.memoryMb, ...bounds(S.memoryMb)),
    replayFrom: c.replayFrom === undefined ? undefined : timestamp(p, at("replayFrom"), c.replayFrom),
  };
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
