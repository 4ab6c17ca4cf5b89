/**
 * The `api` section: the front, how callers authenticate, throttling, the usage plan quota and JWT settings,
 * read against their declarations (config/schema/api.ts); which front can serve which auth mode is a rule
 * across keys, written here by hand. The access log, load balancer and Cognito keys are read in their own files.
 */
import { checkAppSyncKeys } from "./appsync-settings";
import { readCognito } from "./cognito-settings";
import { API_DEFAULTS } from "./defaults";
import { readAccessLogs, readLoadBalancer } from "./front-settings";
import { readKmsKeyArn } from "./function-settings";
import { integer, matching, oneOf, type Problems, rejectUnknownKeys, stringList, url, type RawObject } from "./rules";
import { API } from "./schema/api";
import { bounds, keysOf } from "./schema/kit";
import type { ApiAuth, ApiConfig, ApiFront } from "./types";

const S = API.properties;

/** The `api` section: its own keys here, the front's and Cognito's in their files. */
export function readApi(p: Problems, a: RawObject, stack: string | undefined): Partial<ApiConfig> {
  rejectUnknownKeys(p, "api", a, keysOf(API));
  const front = oneOf(p, "api.front", a.front ?? API_DEFAULTS.front, S.front.enum);
  const auth = oneOf(p, "api.auth", a.auth ?? API_DEFAULTS.auth, S.auth.enum);
  const unsupported = front === undefined || auth === undefined ? undefined : unsupportedAuth(front, auth);
  if (unsupported) p.say(unsupported);
  if (front === "appsync") checkAppSyncKeys(p, a);
  const dailyQuota = integer(p, "api.dailyQuota", a.dailyQuota ?? API_DEFAULTS.dailyQuota, ...bounds(S.dailyQuota));
  if (dailyQuota !== undefined && dailyQuota > 0 && front !== undefined && front !== "rest-api") {
    p.say(`\`api.dailyQuota\` needs \`api.front\` rest-api (usage plans exist only there), got ${front}`);
  }
  const jwtIssuer = a.jwtIssuer === undefined ? undefined : url(p, "api.jwtIssuer", a.jwtIssuer, ["https"]);
  const jwtAudience = stringList(p, "api.jwtAudience", a.jwtAudience ?? API_DEFAULTS.jwtAudience, S.jwtAudience.maxItems, (path, v) =>
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
    rateLimit: integer(p, "api.rateLimit", a.rateLimit ?? API_DEFAULTS.rateLimit, ...bounds(S.rateLimit)),
    burstLimit: integer(p, "api.burstLimit", a.burstLimit ?? API_DEFAULTS.burstLimit, ...bounds(S.burstLimit)),
    authorizerCacheSeconds: integer(
      p,
      "api.authorizerCacheSeconds",
      a.authorizerCacheSeconds ?? API_DEFAULTS.authorizerCacheSeconds,
      ...bounds(S.authorizerCacheSeconds),
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

/**
 * Whether the ingest function checks bearer tokens itself: with `token` auth on an ALB, where no authorizer sits
 * in front of it; every other front with `token` has the authorizer function. The program and the local stack
 * both wire the function and the authorizer by it.
 */
export function ingestChecksTokens(api: { readonly front: ApiFront; readonly auth: ApiAuth }): boolean {
  return api.auth === "token" && api.front === "alb";
}
