/**
 * The canary's variables (handlers/canary.ts, run by CloudWatch Synthetics): the front's base URL (`API_URL`),
 * the stack (`STACK`), how it authenticates (`CANARY_AUTH`: an `api.auth` mode) and, when it needs a token or
 * the REST API's key, the secret holding them (`CANARY_SECRET_ID`).
 */
import { requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const CANARY_VARIABLES = { apiUrl: "API_URL", stack: "STACK", auth: "CANARY_AUTH", secretId: "CANARY_SECRET_ID" } as const;

/** What the canary calls and with what; `V` is a Pulumi Input in the program. */
export interface CanarySettings<V = string> {
  readonly apiUrl: V;
  readonly stack: string;
  /** `none`, `token` or `iam`. */
  readonly auth: string;
  readonly secretId?: V;
}

export function canaryEnvironment<V>(s: CanarySettings<V>): Variables<V> {
  const v = CANARY_VARIABLES;
  return {
    [v.apiUrl]: s.apiUrl,
    [v.stack]: s.stack,
    [v.auth]: s.auth,
    ...(s.secretId === undefined ? {} : { [v.secretId]: s.secretId }),
  };
}

/** The settings from the canary's environment, with errors naming the variable. */
export function canaryFromEnv(env: EnvironmentSource): CanarySettings {
  const v = CANARY_VARIABLES;
  const secretId = env[v.secretId];
  return {
    apiUrl: requiredVariable(env, v.apiUrl, "the front's base URL"),
    stack: requiredVariable(env, v.stack, "the stack's name"),
    auth: env[v.auth] ?? "none",
    ...(secretId ? { secretId } : {}),
  };
}
