/**
 * The one validator of a stack's configuration, shared by the Pulumi program, the local stack, the offline
 * plan and the CLI. Pure: raw values in, a complete `StackConfig` (defaults filled in) out, or a
 * `ConfigValidationError` listing every problem at once. Limits are AWS's documented ones
 * (Lambda developer guide, "Kinesis event source mapping parameters"; Kinesis "Quotas and limits").
 */
import { autoscalingKey, checkScalerName, readAutoscaling } from "./autoscaling-settings";
import { checkCanaryFront, readCanary } from "./canary-settings";
import { readCognito } from "./cognito-settings";
import { CONSUMER_NAME, readConsumers } from "./consumer-validation";
import { checkArchivePrefixes } from "./archive-settings";
import { API_DEFAULTS, LOG_RETENTION_DAYS, OBSERVABILITY_DEFAULTS, STREAM_DEFAULTS } from "./defaults";
import { ACCOUNT_THROTTLE, AUTHORIZER_CACHE_SECONDS } from "../semantics/api-gateway-quotas";
import { RETENTION_HOURS } from "../semantics/limits";
import { ConfigValidationError } from "./errors";
import { checkAppSyncKeys } from "./appsync-settings";
import { readAccessLogs, readLoadBalancer } from "./front-settings";
import { readLifecycle } from "./lifecycle-settings";
import { nameProblems } from "./name-checks";
import { readKmsKeyArn } from "./function-settings";
import { checkParameterSecrets } from "./parameter-settings";
import { checkFunctionArnRegions, checkStackRegion } from "./region-rules";
import { checkRecordCarriers, readRecordSettings } from "./record-size-settings";
import { checkFanOutSharing, checkReplays } from "./replay-rules";
import { MAX_SHARDS_PER_STREAM } from "../semantics/shard-scaling";
import { MAX_REGISTERED_CONSUMERS } from "../semantics/fan-out";
import {
  boolean,
  integer,
  isObject,
  matching,
  oneOf,
  Problems,
  rejectUnknownKeys,
  section,
  stringList,
  url,
  type RawObject,
} from "./rules";
import {
  SECRET_KEYS,
  type ApiAuth,
  type ApiConfig,
  type ApiFront,
  type ObservabilityConfig,
  type StackConfig,
  type StreamConfig,
} from "./types";

const MAX = Number.MAX_SAFE_INTEGER;
const FAN_OUT_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

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
  rejectUnknownKeys(p, "", raw, ["stream", "api", "consumers", "observability", "lifecycle", ...Object.values(SECRET_KEYS)]);
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
  rejectUnknownKeys(p, "stream", s, [
    "mode",
    "shards",
    "retentionHours",
    "fanOutConsumers",
    "autoscaling",
    "maxRecordSizeKiB",
    "warmThroughputMiBps",
  ]);
  const mode = oneOf(p, "stream.mode", s.mode ?? STREAM_DEFAULTS.mode, ["provisioned", "on-demand"] as const);
  if (mode === "on-demand" && s.shards !== undefined) {
    p.say("`stream.shards` applies only to provisioned streams; remove it or set `stream.mode` to provisioned");
  }
  const shards = integer(p, "stream.shards", s.shards ?? STREAM_DEFAULTS.shards, 1, MAX_SHARDS_PER_STREAM);
  return {
    mode,
    shards,
    ...autoscalingKey(readAutoscaling(p, s.autoscaling, { mode, shards, region })),
    ...readRecordSettings(p, s, mode, region),
    retentionHours: integer(
      p,
      "stream.retentionHours",
      s.retentionHours ?? STREAM_DEFAULTS.retentionHours,
      RETENTION_HOURS.min,
      RETENTION_HOURS.max,
    ),
    fanOutConsumers: stringList(
      p,
      "stream.fanOutConsumers",
      s.fanOutConsumers ?? STREAM_DEFAULTS.fanOutConsumers,
      MAX_REGISTERED_CONSUMERS,
      (path, v) => matching(p, path, v, FAN_OUT_NAME, "1 to 128 letters, digits, `_`, `.` or `-`"),
    ),
  };
}

function readApi(p: Problems, a: RawObject, stack: string | undefined): Partial<ApiConfig> {
  rejectUnknownKeys(p, "api", a, [
    "front",
    "auth",
    "rateLimit",
    "burstLimit",
    "dailyQuota",
    "jwtIssuer",
    "jwtAudience",
    "authorizerCacheSeconds",
    "accessLogs",
    "createApiGatewayAccountRole",
    "certificateArn",
    "allowPlaintext",
    "subnetIds",
    "vpcId",
    "kmsKeyArn",
    "userPoolArn",
    "userPoolClientIds",
  ]);
  const front = oneOf(p, "api.front", a.front ?? API_DEFAULTS.front, ["http-api", "rest-api", "alb", "websocket", "appsync"] as const);
  const auth = oneOf(p, "api.auth", a.auth ?? API_DEFAULTS.auth, ["none", "token", "iam", "jwt", "cognito"] as const);
  const unsupported = front === undefined || auth === undefined ? undefined : unsupportedAuth(front, auth);
  if (unsupported) p.say(unsupported);
  if (front === "appsync") checkAppSyncKeys(p, a);
  const dailyQuota = integer(p, "api.dailyQuota", a.dailyQuota ?? API_DEFAULTS.dailyQuota, 0, MAX);
  if (dailyQuota !== undefined && dailyQuota > 0 && front !== undefined && front !== "rest-api") {
    p.say(`\`api.dailyQuota\` needs \`api.front\` rest-api (usage plans exist only there), got ${front}`);
  }
  const jwtIssuer = a.jwtIssuer === undefined ? undefined : url(p, "api.jwtIssuer", a.jwtIssuer, ["https"]);
  const jwtAudience = stringList(p, "api.jwtAudience", a.jwtAudience ?? API_DEFAULTS.jwtAudience, 10, (path, v) =>
    matching(p, path, v, /^.{1,256}$/, "a non-empty string"),
  );
  if (auth === "jwt" && (a.jwtIssuer === undefined || jwtAudience?.length === 0)) {
    p.say("`api.auth` jwt needs `api.jwtIssuer` (an https URL) and a non-empty `api.jwtAudience` list");
  }
  return {
    front,
    auth,
    dailyQuota,
    jwtIssuer,
    jwtAudience,
    ...readAccessLogs(p, a, front),
    ...readCognito(p, a, front, auth),
    ...readLoadBalancer(p, a, front, auth, stack),
    // One key for both front functions: neither has settings of its own (config/defaults.ts INGEST_FUNCTION).
    kmsKeyArn: readKmsKeyArn(p, "api.kmsKeyArn", a.kmsKeyArn),
    rateLimit: integer(p, "api.rateLimit", a.rateLimit ?? API_DEFAULTS.rateLimit, 1, ACCOUNT_THROTTLE.rateLimit),
    burstLimit: integer(p, "api.burstLimit", a.burstLimit ?? API_DEFAULTS.burstLimit, 1, ACCOUNT_THROTTLE.burstLimit),
    authorizerCacheSeconds: integer(
      p,
      "api.authorizerCacheSeconds",
      a.authorizerCacheSeconds ?? API_DEFAULTS.authorizerCacheSeconds,
      AUTHORIZER_CACHE_SECONDS.min,
      AUTHORIZER_CACHE_SECONDS.max,
    ),
  };
}

/**
 * Why a front cannot serve an auth mode, or undefined when it can. Pure. Only HTTP APIs have a native JWT
 * authorizer; a WebSocket API checks JWTs with the authorizer function on `$connect`; an ALB cannot check
 * SigV4 signatures (docs/aws-semantics.md#api-fronts).
 */
export function unsupportedAuth(front: ApiFront, auth: ApiAuth): string | undefined {
  if (auth === "jwt" && front !== "http-api" && front !== "websocket" && front !== "appsync")
    return `\`api.auth\` jwt needs \`api.front\` http-api, websocket or appsync (only HTTP APIs have a native JWT authorizer; a WebSocket API checks JWTs in its $connect authorizer; AppSync has OPENID_CONNECT), got ${front}`;
  if (auth === "iam" && front === "alb")
    return "`api.auth` iam needs `api.front` http-api or rest-api (an ALB cannot check SigV4 signatures), got alb";
  // An ALB's authenticate-cognito action signs browsers in (redirects, session cookies, HTTPS only): producers
  // sending bearer tokens would be redirected, not checked.
  if (auth === "cognito" && front === "alb")
    return "`api.auth` cognito needs `api.front` http-api, rest-api, websocket or appsync (an ALB's authenticate-cognito action signs browsers in with redirects and cookies; it does not check bearer tokens), got alb";
  return undefined;
}

function readObservability(p: Problems, o: RawObject): Partial<ObservabilityConfig> {
  rejectUnknownKeys(p, "observability", o, [
    "logRetentionDays",
    "alarmEmail",
    "iteratorAgeAlarmMs",
    "dashboard",
    "contributorInsights",
    "canary",
  ]);
  const days = o.logRetentionDays ?? OBSERVABILITY_DEFAULTS.logRetentionDays;
  return {
    logRetentionDays: LOG_RETENTION_DAYS.includes(days as 1)
      ? (days as number)
      : p.add("observability.logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`, days),
    alarmEmail:
      o.alarmEmail === undefined
        ? undefined
        : matching(p, "observability.alarmEmail", o.alarmEmail, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address"),
    iteratorAgeAlarmMs: integer(
      p,
      "observability.iteratorAgeAlarmMs",
      o.iteratorAgeAlarmMs ?? OBSERVABILITY_DEFAULTS.iteratorAgeAlarmMs,
      1000,
      604_800_000,
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
