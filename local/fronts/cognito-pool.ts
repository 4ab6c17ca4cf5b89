/**
 * `api.auth` cognito on the local stack: the JWT issuer (jwt-issuer.ts) plays the user pool. Its `iss` is the
 * pool's, in Cognito's form (`https://cognito-idp.<region>.amazonaws.com/<poolId>`: `api.userPoolArn`'s pool,
 * or a local one), its audiences the app clients (`api.userPoolClientIds`, or a local client), and it mints
 * tokens shaped as Cognito's: access tokens with `token_use` access and the client in `client_id` (no `aud`),
 * ID tokens with `token_use` id and the client in `aud`, both with `cognito:groups`. The HTTP API checks them
 * as any JWT (`aud`, else `client_id`); the REST API's COGNITO_USER_POOLS authorizer takes ID tokens only
 * (docs/aws-semantics.md#cognito-user-pools).
 */
import { createHash, randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import { cognitoIssuer, userPoolOf } from "../../config/cognito-settings";
import type { ApiConfig } from "../../config/types";
import { LOCAL_REGION } from "../emulators";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, LocalJwtIssuer, type JwtCheck } from "./jwt-issuer";

/** The pool and app client the local stack plays when the stack creates its own (no `api.userPoolArn`). */
const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_LOCALPOOL`;
const LOCAL_USER_POOL_CLIENT_ID = "localingestproducers000000";

/** What `POST /_local/tokens` takes on a cognito stack. */
export interface CognitoMintOptions {
  /** @default "access" */
  readonly tokenUse?: "access" | "id";
  /** @default the first app client */
  readonly clientId?: string;
  /** The `cognito:groups` claim. @default none */
  readonly groups?: readonly string[];
  /** @default "local-user" */
  readonly username?: string;
  /** @default 3600 */
  readonly expiresInSeconds?: number;
}

const FIELDS = ["tokenUse", "clientId", "groups", "username", "expiresInSeconds"];

/** The `iss` and app clients of the pool the local stack plays: `api.userPoolArn`'s, or a local one. */
export function localPoolIdentity(api: Pick<ApiConfig, "userPoolArn" | "userPoolClientIds">): {
  readonly issuer: string;
  readonly audiences: readonly string[];
} {
  const pool = api.userPoolArn === undefined ? undefined : userPoolOf(api.userPoolArn);
  const issuer = pool ? cognitoIssuer(pool.region, pool.poolId) : cognitoIssuer(LOCAL_REGION, LOCAL_USER_POOL_ID);
  return { issuer, audiences: api.userPoolClientIds.length > 0 ? api.userPoolClientIds : [LOCAL_USER_POOL_CLIENT_ID] };
}

/** The issuer playing the stack's pool. */
export function createLocalPool(api: Pick<ApiConfig, "userPoolArn" | "userPoolClientIds">): Promise<LocalJwtIssuer> {
  const { issuer, audiences } = localPoolIdentity(api);
  return LocalJwtIssuer.create(issuer, audiences);
}

/** A token as the pool issues it after a sign-in. */
export function mintCognitoToken(pool: LocalJwtIssuer, options: CognitoMintOptions): Promise<string> {
  const username = options.username ?? "local-user";
  const clientId = options.clientId ?? pool.audiences[0]!;
  const common: JWTPayload = {
    // A user's `sub` is stable: derived from the username, as the same user signing in again gets the same one.
    sub: uuidOf(username),
    ...(options.groups && options.groups.length > 0 ? { "cognito:groups": [...options.groups] } : {}),
    event_id: randomUUID(),
    jti: randomUUID(),
    origin_jti: randomUUID(),
    auth_time: Math.floor(Date.now() / 1000),
  };
  const claims: JWTPayload =
    options.tokenUse === "id"
      ? { ...common, aud: clientId, token_use: "id", "cognito:username": username }
      : { ...common, client_id: clientId, token_use: "access", scope: "aws.cognito.signin.user.admin", username };
  return pool.signClaims(claims, options.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
}

/**
 * The REST COGNITO_USER_POOLS authorizer's check (no authorization scopes on the method): a token of the pool,
 * unexpired, and an ID token.
 */
export async function verifyIdToken(pool: LocalJwtIssuer, identity: string): Promise<JwtCheck> {
  const check = await pool.verifySignature(identity);
  if (check.ok && check.claims.token_use !== "id")
    return { ok: false, description: "without authorization scopes on the method, the authorizer takes ID tokens only" };
  return check;
}

/** What is wrong with a `POST /_local/tokens` body for the pool, or undefined. */
export function cognitoMintProblem(options: unknown): string | undefined {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return "The body must be a JSON object.";
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!FIELDS.includes(key)) return `Unknown field "${key}" for a cognito stack; allowed: ${FIELDS.join(", ")}.`;
  if (o.tokenUse !== undefined && o.tokenUse !== "access" && o.tokenUse !== "id")
    return `"tokenUse" must be "access" or "id", got ${JSON.stringify(o.tokenUse)}.`;
  for (const key of ["clientId", "username"])
    if (o[key] !== undefined && (typeof o[key] !== "string" || o[key] === ""))
      return `"${key}" must be a non-empty string, got ${JSON.stringify(o[key])}.`;
  // A token for another client is mintable on purpose: it is how a test sees the front refuse it.
  if (o.groups !== undefined && !(Array.isArray(o.groups) && o.groups.every((g) => typeof g === "string" && g !== "")))
    return `"groups" must be a list of group names, got ${JSON.stringify(o.groups)}.`;
  const expires = o.expiresInSeconds;
  if (expires !== undefined && !(Number.isInteger(expires) && (expires as number) > -86_400 && (expires as number) <= 86_400))
    return `"expiresInSeconds" must be an integer of seconds up to 86400 (negative mints an expired token), got ${JSON.stringify(expires)}.`;
  return undefined;
}

function uuidOf(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
