/**
 * The appsync front's authorization as AppSync applies it before running anything, per `api.auth`
 * (components/fronts/appsync-api.ts maps the modes): an API key in `x-api-key` (`none`), a SigV4 signature
 * (`iam`, sigv4.ts: signed for the service `appsync`), the Lambda authorizer on the `Authorization` header
 * (`token`: AppSync's authorizer event, its answer cached per token for `api.authorizerCacheSeconds` or the
 * answer's `ttlOverride`, 10 s to answer), or a JWT of the issuer or the user pool (`jwt`, `cognito`,
 * jwt-issuer.ts) as the bare `Authorization` value: AppSync takes no `Bearer ` before it ("How do I troubleshoot
 * Unauthorized errors when running GraphQL requests in AWS AppSync?",
 * https://repost.aws/knowledge-center/aws-appsync-graphql-request-unauth-error). For `cognito` both the pool's
 * ID tokens (client in `aud`) and access tokens (client in `client_id`) pass when the client is one of the app
 * clients (the deployed `appIdClientRegex`, "UserPoolConfig",
 * https://docs.aws.amazon.com/appsync/latest/APIReference/API_UserPoolConfig.html). A refusal is AppSync's
 * HTTP 401 `UnauthorizedException`; an admitted caller becomes the resolver event's `identity`, shaped per mode.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { ApiAuth } from "../../config/types";
import { APPSYNC_AUTHORIZER_TIMEOUT_MS, APPSYNC_AUTHORIZER_TTL_SECONDS } from "../../semantics/appsync";
import { LOCAL_ACCOUNT } from "../emulators";
import type { LocalFunction } from "../functions";
import type { LocalJwtIssuer } from "./jwt-issuer";
import { verifySigV4 } from "./sigv4";
import { DecisionCache } from "./decision-cache";
import { headersOf, sourceIp } from "./front";

/** The key a local `none` stack's AppSync front accepts (the deployed one is the stack's `apiKey` output). */
export const LOCAL_APPSYNC_API_KEY = "da2-localingestapikey00000000";

/** Options of {@link AppSyncAuth}. */
export interface AppSyncAuthOptions {
  readonly auth: ApiAuth;
  /** The token authorizer (auth `token`). */
  readonly authorizer?: LocalFunction;
  readonly authorizerCacheSeconds: number;
  /** The local issuer (auth `jwt`), or the local user pool (auth `cognito`). */
  readonly jwt?: LocalJwtIssuer;
  /**
   * `cognito` on an existing pool (`api.userPoolArn`) with no `userPoolClientIds`: the deployed API sets no
   * `appIdClientRegex`, so a token of any app client of the pool passes. @default false
   */
  readonly anyPoolClient?: boolean;
}

/** Admitted with the resolver event's `identity`, or refused with AppSync's message. */
export type AppSyncAuthOutcome = { readonly identity: unknown } | { readonly refused: string };

/** AppSync's messages: no credential of the mode at all, a JWT mode's value that is no JWT, or one it does not accept. */
const NO_CREDENTIAL = "Valid authorization header not provided.";
const NOT_A_JWT = "Unable to parse JWT token.";
const NOT_AUTHORIZED = "You are not authorized to make this call.";

export class AppSyncAuth {
  private readonly decisions = new DecisionCache<unknown>();

  constructor(private readonly options: AppSyncAuthOptions) {}

  /** Checks the request whose body has been read; `queryString` and `variables` go to a Lambda authorizer. */
  async check(
    req: IncomingMessage,
    body: Buffer,
    request: { query: string; operationName?: string; variables: object },
  ): Promise<AppSyncAuthOutcome> {
    const header = req.headers.authorization;
    switch (this.options.auth) {
      case "none": {
        const key = req.headers["x-api-key"];
        if (key === undefined) return { refused: NO_CREDENTIAL };
        return key === LOCAL_APPSYNC_API_KEY ? { identity: null } : { refused: NOT_AUTHORIZED };
      }
      case "iam": {
        const check = await verifySigV4(req, body, "appsync");
        if (!check.ok) return { refused: check.reason === "missing" ? NO_CREDENTIAL : NOT_AUTHORIZED };
        const { accessKey, accountId, userArn } = check.identity;
        return { identity: { accountId, userArn, username: accessKey, sourceIp: [sourceIp(req)], cognitoIdentityPoolId: null } };
      }
      case "jwt":
      case "cognito": {
        if (!header) return { refused: NO_CREDENTIAL };
        // The bare token only: `Bearer <token>` does not parse as a JWT.
        if (!isJwt(header)) return { refused: NOT_A_JWT };
        const issuer = this.options.jwt!;
        const check = this.options.anyPoolClient ? await issuer.verifySignature(header) : await issuer.verify(header);
        if (!check.ok) return { refused: NOT_AUTHORIZED };
        const { claims } = check;
        const common = { sub: claims.sub, issuer: claims.iss, claims };
        if (this.options.auth === "jwt") return { identity: common };
        const username = claims["cognito:username"] ?? claims.username;
        const groups = claims["cognito:groups"] ?? null;
        return { identity: { ...common, username, groups, sourceIp: [sourceIp(req)], defaultAuthStrategy: "ALLOW" } };
      }
      case "token":
        if (!header) return { refused: NO_CREDENTIAL };
        return this.lambdaDecision(header, req, request);
    }
  }

  /** The Lambda authorizer's answer for this token, from the cache while it is fresh. */
  private async lambdaDecision(
    token: string,
    req: IncomingMessage,
    request: { query: string; operationName?: string; variables: object },
  ): Promise<AppSyncAuthOutcome> {
    const cached = this.decisions.get(token);
    if (cached) return cached.value === undefined ? { refused: NOT_AUTHORIZED } : { identity: cached.value };
    const event = {
      authorizationToken: token,
      requestContext: {
        apiId: "local",
        accountId: LOCAL_ACCOUNT,
        requestId: randomUUID(),
        queryString: request.query,
        operationName: request.operationName,
        variables: request.variables,
      },
      requestHeaders: headersOf(req),
    };
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), APPSYNC_AUTHORIZER_TIMEOUT_MS).unref());
    const outcome = await Promise.race([this.options.authorizer!.invoke(event).catch(() => undefined), timeout]);
    const answer = outcome?.payload as { isAuthorized?: unknown; resolverContext?: unknown; ttlOverride?: unknown } | null | undefined;
    if (!outcome || outcome.functionError || typeof answer?.isAuthorized !== "boolean") return { refused: NOT_AUTHORIZED };
    const identity = answer.isAuthorized ? { resolverContext: answer.resolverContext ?? {} } : undefined;
    // AppSync caches at most an hour, whatever `ttlOverride` asks.
    const asked = typeof answer.ttlOverride === "number" ? answer.ttlOverride : this.options.authorizerCacheSeconds;
    const ttl = Math.min(asked, APPSYNC_AUTHORIZER_TTL_SECONDS.max);
    this.decisions.set(token, identity, ttl * 1000);
    return identity === undefined ? { refused: NOT_AUTHORIZED } : { identity };
  }
}

/** True when `value` is a JWT as it stands (three base64url segments, JSON header and claims), without checking it. */
function isJwt(value: string): boolean {
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) return false;
  try {
    decodeProtectedHeader(value);
    decodeJwt(value);
    return true;
  } catch {
    return false;
  }
}
