/**
 * The authorizer function's variables (handlers/authorizer.ts): `TOKEN_SECRET_ID` (the token hashes' secret),
 * or `JWT_ISSUER`, `JWT_AUDIENCE` (comma-separated) and optionally `JWKS_URL` (the websocket front's JWT check).
 */
import type { EnvironmentSource, Variables } from "./variables";

export const AUTHORIZER_VARIABLES = {
  tokenSecretId: "TOKEN_SECRET_ID",
  issuer: "JWT_ISSUER",
  audiences: "JWT_AUDIENCE",
  jwksUrl: "JWKS_URL",
} as const;

/** What the authorizer checks: tokens against a secret, or JWTs of an issuer. `V` is a Pulumi Input in the program. */
export type AuthorizerSettings<V = string> =
  | { readonly tokenSecretId: V }
  | { readonly jwt: { readonly issuer: V; readonly audiences: readonly string[]; readonly jwksUrl?: string } };

/** The settings as the program writes them: the audiences ({@link audiencesValue}) may be known only at deploy (a Cognito pool's clients). */
type AuthorizerWritten<V> =
  { readonly tokenSecretId: V } | { readonly jwt: { readonly issuer: V; readonly audiences: V | string; readonly jwksUrl?: string } };

/** `JWT_AUDIENCE`'s value: the accepted audiences, comma-separated. */
export function audiencesValue(audiences: readonly string[]): string {
  return audiences.join(",");
}

export function authorizerEnvironment<V>(settings: AuthorizerWritten<V>): Variables<V> {
  const v = AUTHORIZER_VARIABLES;
  if ("tokenSecretId" in settings) return { [v.tokenSecretId]: settings.tokenSecretId };
  const { issuer, audiences, jwksUrl } = settings.jwt;
  // The deployed function finds the key set through the issuer's discovery document; the local stack names it.
  return { [v.issuer]: issuer, [v.audiences]: audiences, ...(jwksUrl === undefined ? {} : { [v.jwksUrl]: jwksUrl }) };
}

/** The JWT issuer when `JWT_ISSUER` is set, else the token secret `TOKEN_SECRET_ID`. */
export function authorizerFromEnv(env: EnvironmentSource): AuthorizerSettings {
  const v = AUTHORIZER_VARIABLES;
  const issuer = env[v.issuer];
  if (issuer) {
    const audiences = (env[v.audiences] ?? "").split(",").filter((a) => a !== "");
    const jwksUrl = env[v.jwksUrl];
    return { jwt: { issuer, audiences, ...(jwksUrl ? { jwksUrl } : {}) } };
  }
  const tokenSecretId = env[v.tokenSecretId];
  if (!tokenSecretId)
    throw new Error(`Neither ${v.tokenSecretId} nor ${v.issuer} is set: the authorizer needs the token hashes' secret or the JWT issuer.`);
  return { tokenSecretId };
}
