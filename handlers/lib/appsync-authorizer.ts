/**
 * The token authorizer's AppSync side (`api.front` appsync with `api.auth` token): AppSync's Lambda authorizer
 * event and answer ("Configuring authorization and authentication to secure your GraphQL APIs", AWS_LAMBDA
 * authorization). AppSync hands over the `Authorization` header's whole value as `authorizationToken` and wants
 * `{isAuthorized, resolverContext, deniedFields?, ttlOverride?}` back; `resolverContext` reaches the resolver as
 * `identity.resolverContext`. Without `ttlOverride` the API's `authorizerResultTtlInSeconds` (the stack's
 * `api.authorizerCacheSeconds`) decides how long the answer is cached, per token.
 */
import type { TokenCheck } from "./bearer-token";

/** What AppSync sends a Lambda authorizer. */
export interface AppSyncAuthorizerEvent {
  readonly authorizationToken: string;
  readonly requestContext: {
    readonly apiId: string;
    readonly accountId: string;
    readonly requestId: string;
    readonly queryString: string;
    readonly operationName?: string;
    readonly variables: Readonly<Record<string, unknown>>;
  };
  readonly requestHeaders?: Readonly<Record<string, string>>;
}

/** What it answers: admitted with the caller's principal in `resolverContext`, or refused (AppSync's 401). */
export type AppSyncAuthorizerResult =
  { readonly isAuthorized: true; readonly resolverContext: { readonly principalId: string } } | { readonly isAuthorized: false };

/** True for AppSync's event: a `requestContext.apiId` and `queryString`, and no API Gateway `type`. */
export function isAppSyncAuthorizerEvent(event: unknown): event is AppSyncAuthorizerEvent {
  if (typeof event !== "object" || event === null || "type" in event) return false;
  const context = (event as { requestContext?: { apiId?: unknown; queryString?: unknown } }).requestContext;
  return typeof context?.apiId === "string" && typeof context.queryString === "string";
}

/** The answer for a token check: any refusal is `isAuthorized: false` (AppSync answers 401 UnauthorizedException). */
export function appSyncDecision(check: TokenCheck): AppSyncAuthorizerResult {
  return check.ok ? { isAuthorized: true, resolverContext: { principalId: check.principalId } } : { isAuthorized: false };
}
