/**
 * `api.auth` jwt on the local stack: a local token issuer and the checks of API Gateway's JWT authorizer.
 * The issuer holds an RS256 key pair made at start-up, serves its public key as a JWKS (`GET
 * /_local/jwks.json`) and mints tokens (`POST /_local/tokens`, wrapped by `kinesis-ingest token`) whose `iss`
 * is the stack's `api.jwtIssuer`; the front checks them as the deployed authorizer does: the identity source
 * header (the token, or `Bearer <token>`), the `kid` in the key set, an RS256 signature, `iss` equal to the
 * issuer, `aud` (or `client_id` when there is no `aud`) one of `api.jwtAudience`, and `exp`, `nbf`, `iat`
 * (docs/aws-semantics.md#api-fronts-on-the-local-stack). Built on jose.
 */
import { randomUUID } from "node:crypto";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { jwtClaimProblem, tokenOf } from "../../handlers/lib/jwt-claims";

/** How long a minted token lasts unless asked otherwise: an hour, as Cognito's access and ID tokens by default. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** What a token is minted with. */
export interface MintOptions {
  /** @default the first of `api.jwtAudience` */
  readonly audience?: string;
  /** @default 3600 */
  readonly expiresInSeconds?: number;
  /** Space-separated scopes, as the `scope` claim. */
  readonly scope?: string;
  /** @default "local-user" */
  readonly subject?: string;
}

/** A check's outcome: the claims, or the `error_description` API Gateway puts in `www-authenticate`. */
export type JwtCheck = { readonly ok: true; readonly claims: JWTPayload } | { readonly ok: false; readonly description: string };

const ALGORITHM = "RS256";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export class LocalJwtIssuer {
  private constructor(
    readonly issuer: string,
    readonly audiences: readonly string[],
    private readonly privateKey: PrivateKey,
    private readonly kid: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  /** A new issuer with a fresh key pair. */
  static async create(issuer: string, audiences: readonly string[]): Promise<LocalJwtIssuer> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM);
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: "sig" };
    return new LocalJwtIssuer(issuer, audiences, privateKey, kid, { keys: [jwk] });
  }

  /** A signed token for `options`. */
  async mint(options: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...(options.scope ? { scope: options.scope } : {}) })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setAudience(options.audience ?? this.audiences[0]!)
      .setSubject(options.subject ?? "local-user")
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS))
      .sign(this.privateKey);
  }

  /** A token with `claims` (no `aud` unless they hold one: Cognito's access tokens have none), `iss`, `iat`, `exp`. */
  async signClaims(claims: JWTPayload, expiresInSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(this.privateKey);
  }

  /** The checks every authorizer of the issuer's tokens makes: key, signature, `iss`, `exp`, `nbf`; no audience. */
  async verifySignature(identity: string): Promise<JwtCheck> {
    try {
      const { payload } = await jwtVerify(tokenOf(identity), createLocalJWKSet(this.jwks), {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
      });
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, description: describe(error as Error & { code?: string; claim?: string }) };
    }
  }

  /** Checks the identity source's value as the deployed JWT authorizer does. */
  async verify(identity: string): Promise<JwtCheck> {
    const signed = await this.verifySignature(identity);
    if (!signed.ok) return signed;
    const problem = jwtClaimProblem(signed.claims, this.audiences, Math.floor(Date.now() / 1000));
    if (problem !== undefined) return { ok: false, description: problem };
    return signed;
  }
}

function describe(error: Error & { code?: string; claim?: string }): string {
  if (error.code === "ERR_JWT_EXPIRED") return "the token has expired";
  if (error.code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && error.claim === "iss") return "the token does not have a valid issuer";
  if (error.code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && error.claim === "nbf") return "the token is not valid yet";
  if (error.code === "ERR_JWKS_NO_MATCHING_KEY") return "the token's kid is not in the issuer's key set";
  return "the token is not a valid RS256 JWT signed by the issuer";
}
