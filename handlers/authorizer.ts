/**
 * The token authorizer: bearer tokens checked against the SHA-256 hashes in a Secrets Manager secret
 * (`{"tokenHashes": [...]}`), for both gateways:
 * - HTTP API (payload 2.0, simple responses): `{isAuthorized, context}`; a refused token answers 403
 *   (HTTP API itself answers 401 when the identity source header is absent);
 * - REST API TOKEN (and REQUEST) authorizers: an IAM policy; a missing or malformed token throws
 *   `Error("Unauthorized")`, which is how API Gateway is told to answer 401; a forged one gets a Deny (403).
 *
 * Environment of `handler`: `TOKEN_SECRET_ID` (required), `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 * The token is never logged; log lines carry the decision and a hash-prefix principal only.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from "aws-lambda";
import { createTokenVerifier, type TokenCheck } from "./lib/bearer-token";
import { createLogger, type Logger } from "./lib/log";

/** Context handed to the integration (`$context.authorizer.principalId` / `.lambda.principalId`). */
export interface AuthorizerContext {
  readonly principalId: string;
}

export type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;
/** HTTP API simple response; `context` only when authorized. */
export interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context?: AuthorizerContext;
}
export type AuthorizerResult = APIGatewayAuthorizerResult | SimpleAuthorizerResult;

/** The authorizer Lambda function. */
export type AuthorizerHandler = (event: AuthorizerEvent) => Promise<AuthorizerResult>;

/** Options of {@link createAuthorizerHandler}. */
export interface AuthorizerHandlerOptions {
  /** Secret holding `{"tokenHashes": ["<sha256 hex>", ...]}`. */
  readonly secretId: string;
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
  const verify = createTokenVerifier({ secretId: options.secretId, secrets: options.secrets, maxAgeMs: options.maxAgeMs });
  const log = options.logger ?? createLogger({ service: "authorizer" });

  return async (event) => {
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
function authorizationHeader(event: AuthorizerEvent): string | undefined {
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
  const secretId = process.env.TOKEN_SECRET_ID;
  if (!secretId) throw new Error("TOKEN_SECRET_ID is not set: the authorizer needs the id of the secret holding the token hashes.");
  envHandler ??= createAuthorizerHandler({ secretId });
  return envHandler(event);
};
