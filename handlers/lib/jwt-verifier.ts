/**
 * JWTs checked as API Gateway's JWT authorizer checks them, for the fronts that have no such authorizer
 * type: a WebSocket API authorizes `$connect` only with IAM or a Lambda REQUEST authorizer, so `api.auth`
 * jwt and cognito there run the authorizer function with this verifier ("Control and manage access to
 * WebSocket APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html).
 *
 * The key set comes from the issuer's OpenID discovery document (`<issuer>/.well-known/openid-configuration`,
 * which Cognito user pools publish too), or from `JWKS_URL` when set (the local stack points it at its issuer).
 * Keys are cached by jose for the life of the container and refetched when a token names an unknown `kid`.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { TokenCheck } from "./bearer-token";
import { jwtClaimProblem, tokenOf } from "./jwt-claims";

/** API Gateway's JWT authorizers accept RSA signatures only. */
const ALGORITHMS = ["RS256", "RS384", "RS512"];

export interface JwtVerifierOptions {
  /** The tokens' `iss`. */
  readonly issuer: string;
  /** Accepted `aud` (or `client_id`) values. */
  readonly audiences: readonly string[];
  /** Where the key set is. @default the `jwks_uri` of the issuer's discovery document */
  readonly jwksUrl?: string;
}

/** A verifier of `Authorization` values (`Bearer <jwt>` or the bare token): missing → 401, anything invalid → Deny. */
export function createJwtVerifier(options: JwtVerifierOptions): (header: string | undefined) => Promise<TokenCheck> {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = () => {
    if (keys === undefined) {
      keys = jwksUrl(options).then((url) => createRemoteJWKSet(new URL(url)));
      // A failed discovery is retried on the next call instead of failing every later one.
      keys.catch(() => (keys = undefined));
    }
    return keys;
  };
  return async (header) => {
    if (header === undefined || header.trim() === "") return { ok: false, reason: "missing" };
    const getKey = await keySet();
    try {
      const { payload } = await jwtVerify(tokenOf(header.trim()), getKey, { algorithms: ALGORITHMS, issuer: options.issuer });
      if (jwtClaimProblem(payload, options.audiences, Math.floor(Date.now() / 1000)) !== undefined) return { ok: false, reason: "forged" };
      return { ok: true, principalId: typeof payload.sub === "string" ? payload.sub : "jwt" };
    } catch {
      return { ok: false, reason: "forged" };
    }
  };
}

/** The key set's URL: `options.jwksUrl`, or the discovery document's `jwks_uri`. */
async function jwksUrl(options: JwtVerifierOptions): Promise<string> {
  if (options.jwksUrl !== undefined) return options.jwksUrl;
  const discovery = `${options.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const response = await fetch(discovery);
  if (!response.ok) throw new Error(`GET ${discovery} answered ${response.status}: the issuer's key set cannot be found`);
  const uri = ((await response.json()) as { jwks_uri?: unknown }).jwks_uri;
  if (typeof uri !== "string") throw new Error(`${discovery} has no jwks_uri: the issuer's key set cannot be found`);
  return uri;
}
