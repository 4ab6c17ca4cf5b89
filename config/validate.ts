/**
 * The one validator of a stack's configuration, shared by the Pulumi program, the local stack, the offline
 * plan and the CLI. Pure: raw values in, a complete `StackConfig` (defaults filled in) out, or a
 * `ConfigValidationError` listing every problem at once. Limits are AWS's documented ones
 * (Lambda developer guide, "Kinesis event source mapping parameters"; Kinesis "Quotas and limits").
 */
import { readApi } from "./api-settings";
import { autoscalingKey, checkScalerName, readAutoscaling } from "./autoscaling-settings";
import { checkCanaryFront, readCanary } from "./canary-settings";
import { readConsumers } from "./consumer-validation";
import { checkArchivePrefixes } from "./archive-settings";
import { OBSERVABILITY_DEFAULTS, STREAM_DEFAULTS } from "./defaults";
import { ConfigValidationError } from "./errors";
import { readLifecycle } from "./lifecycle-settings";
import { nameProblems } from "./name-checks";
import { checkParameterSecrets } from "./parameter-settings";
import { checkFunctionArnRegions, checkStackRegion } from "./region-rules";
import { checkRecordCarriers, readRecordSettings } from "./record-size-settings";
import { checkFanOutSharing, checkReplays } from "./replay-rules";
import { boolean, integer, isObject, matching, oneOf, Problems, rejectUnknownKeys, section, stringList, type RawObject } from "./rules";
import { CONSUMER_NAME } from "./schema/consumers";
import { bounds, keysOf } from "./schema/kit";
import { OBSERVABILITY } from "./schema/observability";
import { STACK } from "./schema/stack";
import { STREAM } from "./schema/stream";
import { SECRET_KEYS, type ObservabilityConfig, type StackConfig, type StreamConfig } from "./types";

/** What the validator needs besides the values. */
export interface ValidateOptions {
  /**
   * The stack's name: checks every physical name it makes against its service's limit, and the rules that
   * depend on the stack (`api.allowPlaintext` is refused for `prod`). @default unchecked
   */
  readonly stack?: string;
  /** The clock `replayFrom` is compared with (epoch ms). @default Date.now */
  readonly now?: () => number;
  /** Receives each warning of a valid configuration (the program logs them with `pulumi.log.warn`). @default ignored */
  readonly warn?: (message: string) => void;
  /**
   * The Region the stack deploys to: checks that it is in the `aws` partition and that every fan-out `targetArn`
   * is in it (config/region-rules.ts). The local stack has none. @default unchecked
   */
  readonly region?: string;
}

/**
 * Validates the raw `kinesis-ingest:*` values (keys without the project prefix).
 * @example validateStackConfig({ stream: { shards: 2 }, consumers: { forwarder: { handler: "forwarder" } } }, "Pulumi.dev.yaml", { stack: "dev" })
 */
export function validateStackConfig(raw: RawObject, source?: string, options: ValidateOptions = {}): StackConfig {
  const p = new Problems();
  rejectUnknownKeys(p, "", raw, keysOf(STACK));
  const stream = readStream(p, section(p, "stream", raw.stream), options.region);
  const api = readApi(p, section(p, "api", raw.api), options.stack);
  const consumers = readConsumers(p, section(p, "consumers", raw.consumers), stream.fanOutConsumers ?? []);
  const observability = readObservability(p, section(p, "observability", raw.observability));
  const lifecycle = readLifecycle(p, section(p, "lifecycle", raw.lifecycle), options.stack);
  checkSecrets(p, raw, Object.keys(consumers));
  checkParameterSecrets(p, raw[SECRET_KEYS.parameterSecrets], Object.values(consumers), isEncrypted);
  checkReplays(p, Object.values(consumers), stream.retentionHours, (options.now ?? Date.now)());
  checkFanOutSharing(p, Object.values(consumers), stream.fanOutConsumers ?? []);
  checkArchivePrefixes(p, Object.values(consumers));
  checkRecordCarriers(p, stream.maxRecordSizeKiB, api.front);
  checkScalerName(p, stream.autoscaling, Object.keys(consumers));
  checkCanaryFront(p, observability.canary, api.front, api.auth);
  if (options.region !== undefined) checkStackRegion(p, options.region, Object.values(consumers));
  if (options.region !== undefined) checkFunctionArnRegions(p, options.region, api, Object.values(consumers));
  if (options.stack !== undefined && api.front !== undefined && api.auth !== undefined) {
    p.list.push(
      ...nameProblems({
        stack: options.stack,
        front: api.front,
        auth: api.auth,
        createApiGatewayAccountRole: api.createApiGatewayAccountRole === true,
        autoscaling: stream.autoscaling !== undefined,
        canary: observability.canary !== undefined,
        fanOutConsumers: stream.fanOutConsumers ?? [],
        consumers: Object.values(consumers).filter((c) => CONSUMER_NAME.test(c.name)),
      }),
    );
  }
  if (p.list.length > 0) throw new ConfigValidationError(p.list, source);
  for (const warning of p.warnings) options.warn?.(warning);
  // Every field was checked above; with no problems recorded none is undefined.
  return { stream, api, consumers, observability, lifecycle } as StackConfig;
}

type Partial<T> = { -readonly [K in keyof T]?: T[K] };

function readStream(p: Problems, s: RawObject, region: string | undefined): Partial<StreamConfig> {
  const S = STREAM.properties;
  rejectUnknownKeys(p, "stream", s, keysOf(STREAM));
  const mode = oneOf(p, "stream.mode", s.mode ?? STREAM_DEFAULTS.mode, S.mode.enum);
  if (mode === "on-demand" && s.shards !== undefined) {
    p.say("`stream.shards` applies only to provisioned streams; remove it or set `stream.mode` to provisioned");
  }
  const shards = integer(p, "stream.shards", s.shards ?? STREAM_DEFAULTS.shards, ...bounds(S.shards));
  return {
    mode,
    shards,
    ...autoscalingKey(readAutoscaling(p, s.autoscaling, { mode, shards, region })),
    ...readRecordSettings(p, s, mode, region),
    retentionHours: integer(p, "stream.retentionHours", s.retentionHours ?? STREAM_DEFAULTS.retentionHours, ...bounds(S.retentionHours)),
    fanOutConsumers: stringList(
      p,
      "stream.fanOutConsumers",
      s.fanOutConsumers ?? STREAM_DEFAULTS.fanOutConsumers,
      S.fanOutConsumers.maxItems,
      (path, v) => matching(p, path, v, new RegExp(S.fanOutConsumers.items.pattern), "1 to 128 letters, digits, `_`, `.` or `-`"),
    ),
  };
}

function readObservability(p: Problems, o: RawObject): Partial<ObservabilityConfig> {
  const S = OBSERVABILITY.properties;
  rejectUnknownKeys(p, "observability", o, keysOf(OBSERVABILITY));
  return {
    logRetentionDays: oneOf(
      p,
      "observability.logRetentionDays",
      o.logRetentionDays ?? OBSERVABILITY_DEFAULTS.logRetentionDays,
      S.logRetentionDays.enum,
    ),
    alarmEmail:
      o.alarmEmail === undefined
        ? undefined
        : matching(p, "observability.alarmEmail", o.alarmEmail, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address"),
    iteratorAgeAlarmMs: integer(
      p,
      "observability.iteratorAgeAlarmMs",
      o.iteratorAgeAlarmMs ?? OBSERVABILITY_DEFAULTS.iteratorAgeAlarmMs,
      ...bounds(S.iteratorAgeAlarmMs),
    ),
    dashboard: boolean(p, "observability.dashboard", o.dashboard ?? OBSERVABILITY_DEFAULTS.dashboard),
    contributorInsights: boolean(
      p,
      "observability.contributorInsights",
      o.contributorInsights ?? OBSERVABILITY_DEFAULTS.contributorInsights,
    ),
    canary: readCanary(p, o.canary),
  };
}

/**
 * Secret values are checked for shape only, and never echoed. An encrypted value read straight from a
 * stack file (`{secure: ...}`) cannot be decrypted offline and is accepted as it is.
 */
function checkSecrets(p: Problems, raw: RawObject, consumerNames: readonly string[]): void {
  const tokens = raw[SECRET_KEYS.apiTokens];
  if (tokens !== undefined && !isEncrypted(tokens)) {
    // RFC 6750 b64token characters: the only ones a bearer token (and so the authorizer) accepts.
    const ok =
      Array.isArray(tokens) && tokens.length > 0 && tokens.every((t) => typeof t === "string" && /^[A-Za-z0-9\-._~+/]{16,512}=*$/.test(t));
    if (!ok)
      p.say("`apiTokens` must be a non-empty JSON list of tokens of 16 to 512 letters, digits or `-._~+/` (value not shown: it is secret)");
  }
  const secrets = raw[SECRET_KEYS.consumerSecrets];
  if (secrets !== undefined && !isEncrypted(secrets)) {
    if (!isObject(secrets)) {
      p.say("`consumerSecrets` must be an object keyed by consumer name (value not shown: it is secret)");
      return;
    }
    for (const [name, value] of Object.entries(secrets)) {
      if (!consumerNames.includes(name))
        p.say(`\`consumerSecrets.${name}\` names no consumer; consumers: ${consumerNames.join(", ") || "(none)"}`);
      else if (!isObject(value)) p.say(`\`consumerSecrets.${name}\` must be an object (value not shown: it is secret)`);
    }
  }
}

export function isEncrypted(value: unknown): boolean {
  return isObject(value) && typeof value.secure === "string";
}
