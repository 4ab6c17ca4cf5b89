/**
 * The `api` keys that mean nothing to `api.front` appsync, refused when set rather than silently ignored. An
 * AppSync API has no stage and no per-API throttling: its request rate is the account's request-token quota
 * per Region ("AWS AppSync endpoints and quotas"), and its request logs are AppSync's own (`logConfig`, which
 * this stack does not set), not API Gateway access logs. `api.dailyQuota`, `api.createApiGatewayAccountRole`
 * and the ALB keys are refused by their own checks (validate.ts, front-settings.ts), naming the fronts they need.
 */
import type { Problems, RawObject } from "./rules";

/** Each key, what it applies to and why AppSync has no such setting. */
const NOT_ON_APPSYNC: Readonly<Record<string, string>> = {
  rateLimit:
    "the API Gateway fronts (http-api, rest-api, websocket): AppSync has no per-API throttling, only the account's request-token rate",
  burstLimit:
    "the API Gateway fronts (http-api, rest-api, websocket): AppSync has no per-API throttling, only the account's request-token rate",
  accessLogs: "the API Gateway fronts (http-api, rest-api, websocket): AppSync has no stage access logs",
};

/** Records a problem for each key of `a` that `api.front` appsync cannot honour. Pure. */
export function checkAppSyncKeys(p: Problems, a: RawObject): void {
  for (const [key, appliesTo] of Object.entries(NOT_ON_APPSYNC)) {
    if (a[key] !== undefined) p.say(`\`api.${key}\` does not apply to \`api.front\` appsync; it applies to ${appliesTo}. Remove it`);
  }
}
