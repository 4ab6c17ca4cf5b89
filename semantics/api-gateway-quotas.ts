/**
 * API Gateway quotas the stack's throttling and authorizer settings live within
 * (docs/aws-semantics.md#api-gateway-quotas): a stage's or usage plan's throttling cannot exceed the account's
 * Region-wide default of 10,000 requests/s with a burst of 5,000 ("Amazon API Gateway quotas",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), and a Lambda authorizer's answer is
 * cached for at most 3,600 s ("Configure an API Gateway Lambda authorizer",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
 */

/** The account's default throttle per Region: steady requests/s and burst. */
export const ACCOUNT_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/** A Lambda authorizer's result TTL, in seconds (0 turns caching off). */
export const AUTHORIZER_CACHE_SECONDS = { min: 0, max: 3600 } as const;
