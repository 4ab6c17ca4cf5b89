/**
 * The token authorizer: bearer tokens checked against the SHA-256 hashes in a Secrets Manager secret
 * (`{"tokenHashes": [...]}`) or, on the websocket front with `api.auth` jwt or cognito (a WebSocket API has
 * no JWT authorizer type), JWTs checked as API Gateway's JWT authorizer does (lib/jwt-verifier.ts), for every gateway:
 * - HTTP API (payload 2.0, simple responses): `{isAuthorized, context}`; a refused token answers 403
 *   (HTTP API itself answers 401 when the identity source header is absent);
 * - REST API TOKEN (and REQUEST) authorizers: an IAM policy; a missing or malformed token throws
 *   `Error("Unauthorized")`, which is how API Gateway is told to answer 401; a forged one gets a Deny (403);
 * - AppSync's Lambda authorizer (the appsync front): `{isAuthorized, resolverContext}` (lib/appsync-authorizer.ts).
 *
 * Environment of `handler`: lib/environment/authorizer.ts, and `AWS_ENDPOINT_URL_SECRETS_MANAGER` for the secret's client.
 * The token is never logged; log lines carry the decision and a hash-prefix principal only.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from "aws-lambda";
import {
  appSyncDecision,
  isAppSyncAuthorizerEvent,
  type AppSyncAuthorizerEvent,
  type AppSyncAuthorizerResult,
} from "./lib/appsync-authorizer";
import { createTokenVerifier, type TokenCheck } from "./lib/bearer-token";
import { authorizerFromEnv, type AuthorizerSettings } from "./lib/environment/authorizer";
import { createJwtVerifier, type JwtVerifierOptions } from "./lib/jwt-verifier";
import { createLogger, type Logger } from "./lib/log";

/** Context handed to the integration (`$context.authorizer.principalId` / `.lambda.principalId`). */
export interface AuthorizerContext {
  readonly principalId: string;
}

export type AuthorizerEvent =
  APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2 | AppSyncAuthorizerEvent;
/** HTTP API simple response; `context` only when authorized. */
export interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context?: AuthorizerContext;
}
export type AuthorizerResult = APIGatewayAuthorizerResult | SimpleAuthorizerResult | AppSyncAuthorizerResult;

/** The authorizer Lambda function. */
export type AuthorizerHandler = (event: AuthorizerEvent) => Promise<AuthorizerResult>;

/** Options of {@link createAuthorizerHandler}: the token secret, or the JWT issuer (`jwt`). */
export interface AuthorizerHandlerOptions {
  /** Secret holding `{"tokenHashes": ["<sha256 hex>", ...]}`. */
  readonly secretId?: string;
  /** Check JWTs of this issuer instead of tokens. */
  readonly jwt?: JwtVerifierOptions;
  /** Secrets Manager client. @default the module-scope client of secrets.ts */
  readonly secrets?: SecretsManagerClient;
  /** How long the secret is cached. @default 300000 */
  readonly maxAgeMs?: number;
  readonly logger?: Logger;
}

/**
 * Creates the authorizer with explicit settings (the local stack calls it directly).
 *
 * @example
 * const authorize = createAuthorizerHandler({ secretId: "kinesis-ingest-dev-api-tokens" });
 * await authorize({ type: "TOKEN", authorizationToken: "Bearer …", methodArn }); // Allow policy, or throws "Unauthorized"
 */
export function createAuthorizerHandler(options: AuthorizerHandlerOptions): AuthorizerHandler {
  const { secretId, jwt } = options;
  if ((secretId === undefined) === (jwt === undefined)) throw new Error("the authorizer checks either tokens (secretId) or JWTs (jwt)");
  const verify = jwt
    ? createJwtVerifier(jwt)
    : createTokenVerifier({ secretId: secretId!, secrets: options.secrets, maxAgeMs: options.maxAgeMs });
  const log = options.logger ?? createLogger({ service: "authorizer" });

  return async (event) => {
    if (isAppSyncAuthorizerEvent(event)) {
      const check = await verify(event.authorizationToken);
      log.info("authorization decided", {
        gateway: "appsync",
        authorized: check.ok,
        ...(check.ok ? { principalId: check.principalId } : { reason: check.reason }),
      });
      return appSyncDecision(check);
    }
    const simple = "version" in event && event.version === "2.0";
    const check = await verify(authorizationHeader(event));
    log.info("authorization decided", {
      gateway: simple ? "http-api" : "methodArn" in event && event.methodArn.endsWith("/$connect") ? "websocket" : "rest-api",
      authorized: check.ok,
      ...(check.ok ? { principalId: check.principalId } : { reason: check.reason }),
    });
    if (simple) return check.ok ? { isAuthorized: true, context: { principalId: check.principalId } } : { isAuthorized: false };
    if (!check.ok && check.reason !== "forged") throw new Error("Unauthorized");
    return policy(check, (event as APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent).methodArn);
  };
}

/** The `Authorization` value of any of the three event types (header names are case-insensitive). */
function authorizationHeader(event: Exclude<AuthorizerEvent, AppSyncAuthorizerEvent>): string | undefined {
  if (event.type === "TOKEN") return event.authorizationToken;
  for (const [name, value] of Object.entries(event.headers ?? {})) if (name.toLowerCase() === "authorization") return value;
  // A WebSocket handshake from a browser cannot carry headers: the websocket front (only) accepts `?token=` too.
  const token = "methodArn" in event && event.methodArn.endsWith("/$connect") ? event.queryStringParameters?.token : undefined;
  return token === undefined ? undefined : `Bearer ${token}`;
}

/**
 * Allow or Deny `execute-api:Invoke` on every method of the stage the call came in on. Scoped to the stage,
 * not the one method: API Gateway caches this policy per token and reuses it for the token's other calls
 * (e.g. `GET /health` after `POST /records`), which a one-method policy would wrongly deny.
 */
function policy(check: TokenCheck, methodArn: string): APIGatewayAuthorizerResult {
  // methodArn: arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH, or API/STAGE/$connect on a WebSocket API,
  // where `$connect` is the only route authorized (the connection keeps the decision), so the policy names it.
  const [apiArn, stage] = methodArn.split("/", 2);
  const resource = stage && !methodArn.endsWith("/$connect") ? `${apiArn}/${stage}/*/*` : methodArn;
  return {
    principalId: check.ok ? check.principalId : "anonymous",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: check.ok ? "Allow" : "Deny", Resource: resource }],
    },
    ...(check.ok ? { context: { principalId: check.principalId } } : {}),
  };
}

let envHandler: AuthorizerHandler | undefined;

/** The Lambda entry point, configured from `process.env` on first use. */
export const handler: AuthorizerHandler = async (event) => {
  envHandler ??= createAuthorizerHandler(optionsFromEnv(process.env));
  return envHandler(event);
};

/** The options from the function's environment (lib/environment/authorizer.ts). */
function optionsFromEnv(env: NodeJS.ProcessEnv): AuthorizerHandlerOptions {
  return authorizerOptions(authorizerFromEnv(env));
}

/** The handler's options for its contract's settings. */
export function authorizerOptions(settings: AuthorizerSettings): AuthorizerHandlerOptions {
  return "jwt" in settings ? settings : { secretId: settings.tokenSecretId };
}
