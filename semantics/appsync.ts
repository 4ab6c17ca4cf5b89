/**
 * AWS AppSync's limits the `appsync` front lives with (docs/aws-semantics.md#appsync-front): the service quotas
 * ("AWS AppSync endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/appsync.html), the Lambda
 * authorizer's contract ("Configuring authorization and authentication to secure your GraphQL APIs",
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html; "LambdaAuthorizerConfig",
 * https://docs.aws.amazon.com/appsync/latest/APIReference/API_LambdaAuthorizerConfig.html) and API keys
 * ("CreateApiKey", https://docs.aws.amazon.com/appsync/latest/APIReference/API_CreateApiKey.html). The deployed
 * API enforces them; the program (components/fronts/appsync-api.ts) and the local front (local/fronts/appsync.ts)
 * read them from here.
 */

/** A query or mutation runs at most 30 s; past it AppSync answers with an error while the resolver may still run. */
export const APPSYNC_EXECUTION_TIMEOUT_MS = 30_000;

/** A Lambda authorizer answers within 10 s, or the request is refused. */
export const APPSYNC_AUTHORIZER_TIMEOUT_MS = 10_000;

/** How long AppSync caches a Lambda authorizer's answer (`authorizerResultTtlInSeconds`, `ttlOverride`): 0 to 1 hour. */
export const APPSYNC_AUTHORIZER_TTL_SECONDS = { min: 0, max: 3600 } as const;

/**
 * An API key is valid from 1 to 365 days after it is created (or last updated: UpdateApiKey moves the expiry);
 * AppSync rounds the expiry down to the hour and refuses the key once it has passed.
 */
export const APPSYNC_API_KEY_VALIDITY_DAYS = { min: 1, max: 365 } as const;

/** Every authorization failure is HTTP 401 with this `errorType`, whatever the mode. */
export const APPSYNC_UNAUTHORIZED = "UnauthorizedException";
