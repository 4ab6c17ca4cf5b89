/**
 * The local front for the stack's `api.front` and `api.auth`, as deployed, and the local endpoints its auth
 * mode needs: the JWKS and token minting for `jwt` and `cognito` (`GET /_local/jwks.json`, `POST /_local/tokens`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiConfig } from "../../config/types";
import type { LocalFunction } from "../functions";
import { parseJsonOrUndefined, sendJson } from "../http-util";
import { AlbFront } from "./alb";
import { AppSyncFront } from "./appsync";
import { cognitoMintProblem, createLocalPool, mintCognitoToken, type CognitoMintOptions } from "./cognito-pool";
import type { LocalFront } from "./front";
import { HttpApiFront } from "./http-api";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, LocalJwtIssuer, type MintOptions } from "./jwt-issuer";
import { RestApiFront } from "./rest-api";
import { WebSocketFront } from "./websocket";

/** Where the local issuer serves its key set (the websocket front's JWT authorizer reads it from there). */
export const LOCAL_JWKS_PATH = "/_local/jwks.json";
/** Where the local issuer mints tokens (`kinesis-ingest token`). */
export const LOCAL_TOKENS_PATH = "/_local/tokens";

/** The front, and the issuer when `api.auth` is `jwt` or `cognito` (then it plays the user pool). */
export interface LocalApi {
  readonly front: LocalFront;
  readonly jwt?: LocalJwtIssuer;
  readonly cognito?: boolean;
}

/** Builds the front the program deploys for `api`, around the local `ingest` (and `authorizer`) functions. */
export async function createLocalApi(api: ApiConfig, ingest: LocalFunction, authorizer: LocalFunction | undefined): Promise<LocalApi> {
  const { auth, authorizerCacheSeconds, rateLimit, burstLimit, dailyQuota } = api;
  // An ALB has no request throttling; API Gateway's stages and usage plans do.
  if (api.front === "alb") return { front: new AlbFront(ingest) };
  const pool = auth === "cognito" ? await createLocalPool(api) : undefined;
  if (api.front === "rest-api") {
    const throttle = { rateLimit, burstLimit, dailyQuota };
    const front = new RestApiFront({ ingest, auth, authorizer, authorizerCacheSeconds, cognito: pool, throttle });
    return { front, ...(pool ? { jwt: pool, cognito: true } : {}) };
  }
  const jwt = auth === "jwt" ? await LocalJwtIssuer.create(api.jwtIssuer!, api.jwtAudience) : pool;
  if (api.front === "appsync") {
    // AppSync has no per-API throttling: only the account's request-token rate, not played here.
    const anyPoolClient = auth === "cognito" && api.userPoolArn !== undefined && api.userPoolClientIds.length === 0;
    const front = new AppSyncFront({ ingest, auth, authorizer, authorizerCacheSeconds, jwt, anyPoolClient });
    return { front, ...(jwt ? { jwt } : {}), ...(pool ? { cognito: true } : {}) };
  }
  if (api.front === "websocket") {
    // jwt and cognito: the authorizer function checks the tokens; the issuer here mints them and serves its keys.
    const front = new WebSocketFront({ ingest, auth, authorizer, throttle: { rateLimit, burstLimit } });
    return { front, ...(jwt ? { jwt } : {}), ...(pool ? { cognito: true } : {}) };
  }
  const front = new HttpApiFront({ ingest, auth, authorizer, authorizerCacheSeconds, jwt, throttle: { rateLimit, burstLimit } });
  return { front, ...(jwt ? { jwt } : {}), ...(pool ? { cognito: true } : {}) };
}

/** True for the issuer's endpoints. */
export function isIssuerPath(path: string): boolean {
  return path === LOCAL_JWKS_PATH || path === LOCAL_TOKENS_PATH;
}

/**
 * `GET /_local/jwks.json` → the key set; `POST /_local/tokens` with `{"audience","expiresInSeconds","scope",
 * "subject"}` (each optional; on a cognito stack `{"tokenUse","clientId","groups","username","expiresInSeconds"}`)
 * → `{"token","issuer","expiresInSeconds"}`. 404 when the stack's auth is neither `jwt` nor `cognito`.
 */
export async function serveIssuer(api: LocalApi, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const { jwt } = api;
  if (!jwt) return sendJson(res, 404, { message: "This stack's api.auth is neither jwt nor cognito: it has no local token issuer." });
  const path = new URL(req.url ?? "/", "http://local").pathname;
  if (path === LOCAL_JWKS_PATH && req.method === "GET") return sendJson(res, 200, jwt.jwks);
  if (path !== LOCAL_TOKENS_PATH || req.method !== "POST")
    return sendJson(res, 405, { message: "Use GET /_local/jwks.json or POST /_local/tokens." });
  const options = body.length === 0 ? {} : parseJsonOrUndefined(body.toString("utf8"));
  if (api.cognito) {
    const refused = cognitoMintProblem(options);
    if (refused) return sendJson(res, 400, { message: refused });
    const mint = options as CognitoMintOptions;
    return sendJson(res, 200, {
      token: await mintCognitoToken(jwt, mint),
      issuer: jwt.issuer,
      expiresInSeconds: mint.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    });
  }
  const problem = mintProblem(options);
  if (problem) return sendJson(res, 400, { message: problem });
  const mint = options as MintOptions;
  sendJson(res, 200, {
    token: await jwt.mint(mint),
    issuer: jwt.issuer,
    expiresInSeconds: mint.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
  });
}

/** What is wrong with a `POST /_local/tokens` body, or undefined. */
function mintProblem(options: unknown): string | undefined {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return "The body must be a JSON object.";
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!["audience", "expiresInSeconds", "scope", "subject"].includes(key))
      return `Unknown field "${key}"; allowed: audience, expiresInSeconds, scope, subject.`;
  for (const key of ["audience", "scope", "subject"])
    if (o[key] !== undefined && typeof o[key] !== "string") return `"${key}" must be a string, got ${JSON.stringify(o[key])}.`;
  const expires = o.expiresInSeconds;
  if (expires !== undefined && !(Number.isInteger(expires) && (expires as number) > -86_400 && (expires as number) <= 86_400))
    return `"expiresInSeconds" must be an integer of seconds up to 86400 (negative mints an expired token), got ${JSON.stringify(expires)}.`;
  return undefined;
}
