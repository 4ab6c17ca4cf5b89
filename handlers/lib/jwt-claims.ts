/**
 * The claim checks of API Gateway's JWT authorizer, past the signature, `iss`, `exp` and `nbf`: `aud` (or
 * `client_id` when the token has no `aud`, as Cognito's access tokens have none) must be one of the
 * configured audiences, and `iat` must not be in the future ("Control access to HTTP APIs with JWT
 * authorizers", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 * One home: the websocket front's JWT authorizer (jwt-verifier.ts) and the local HTTP API's checks share them.
 */

/** The registered claims these checks read. */
export interface AudienceClaims {
  readonly aud?: string | string[];
  readonly client_id?: unknown;
  readonly iat?: number;
}

/** Why the claims are refused (API Gateway's `error_description` wording), or undefined when they pass. */
export function jwtClaimProblem(claims: AudienceClaims, audiences: readonly string[], nowSeconds: number): string | undefined {
  const audience = claims.aud ?? claims.client_id;
  const offered: unknown[] = Array.isArray(audience) ? audience : [audience];
  if (!offered.some((a) => typeof a === "string" && audiences.includes(a))) return "the token does not have a valid audience";
  if (typeof claims.iat === "number" && claims.iat > nowSeconds) return "the token was issued in the future";
  return undefined;
}

/** The token of an identity source's value: the token itself, or `Bearer <token>`. */
export function tokenOf(identity: string): string {
  return identity.replace(/^Bearer +/i, "");
}
