/**
 * The canary's variables (handlers/canary.ts, run by CloudWatch Synthetics): the front's base URL (`API_URL`),
 * the stack (`STACK`), how it authenticates (`CANARY_AUTH`: an `api.auth` mode) and, when it needs a token or
 * the REST API's key, the secret holding them (`CANARY_SECRET_ID`).
 */
import { requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const CANARY_VARIABLES = { apiUrl: "API_URL", stack: "STACK", auth: "CANARY_AUTH", secretId: "CANARY_SECRET_ID" } as const;

/**
 * The `api.auth` modes a canary can call the front with: it holds a bearer token of its own (`token`) or signs
 * with its role (`iam`); it has no way to obtain a JWT.
 */
export const CANARY_AUTH_MODES = ["none", "token", "iam"] as const;
export type CanaryAuthMode = (typeof CANARY_AUTH_MODES)[number];

export function isCanaryAuthMode(auth: string): auth is CanaryAuthMode {
  return (CANARY_AUTH_MODES as readonly string[]).includes(auth);
}

/** What the canary calls and with what; `V` is a Pulumi Input in the program. */
export interface CanarySettings<V = string> {
  readonly apiUrl: V;
  readonly stack: string;
  readonly auth: CanaryAuthMode;
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
  const auth = env[v.auth] || "none";
  if (!isCanaryAuthMode(auth)) throw new Error(`${v.auth} must be one of ${CANARY_AUTH_MODES.join(", ")}, got "${auth}".`);
  return {
    apiUrl: requiredVariable(env, v.apiUrl, "the front's base URL"),
    stack: requiredVariable(env, v.stack, "the stack's name"),
    auth,
    ...(secretId ? { secretId } : {}),
  };
}
