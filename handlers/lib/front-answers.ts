/**
 * What the fronts answer themselves, before (or instead of) the ingest function, in the API contract's
 * `{"error":{"code","message"}}` shape where AWS lets the answer be changed: the REST API's gateway responses
 * (deployed by components/fronts/rest-api.ts, reproduced by local/fronts/rest-api.ts) and the ALB's fixed
 * responses (components/fronts/alb.ts, local/fronts/alb.ts). One table, so the deployed and the local front
 * cannot drift apart. HTTP API gateway answers cannot be changed (docs/aws-semantics.md#api-front-error-bodies).
 */

/** A REST API gateway response this project customises: its status and the contract's error code. */
export interface GatewayResponseSpec {
  /** Unset for DEFAULT_4XX/5XX: a status there would replace the status of every other 4XX/5XX response. */
  readonly statusCode?: number;
  readonly code: string;
}

/**
 * The customised REST gateway response types. Statuses are API Gateway's defaults except
 * MISSING_AUTHENTICATION_TOKEN, which REST APIs send for an unknown path or method: 404 NOT_FOUND there, unless
 * the stack uses `iam`, where the same type also means "request not signed" and so stays 403.
 */
export function restGatewayResponses(auth: string): Readonly<Record<string, GatewayResponseSpec>> {
  return {
    UNAUTHORIZED: { statusCode: 401, code: "UNAUTHORIZED" },
    ACCESS_DENIED: { statusCode: 403, code: "FORBIDDEN" },
    MISSING_AUTHENTICATION_TOKEN: auth === "iam" ? { statusCode: 403, code: "FORBIDDEN" } : { statusCode: 404, code: "NOT_FOUND" },
    INVALID_SIGNATURE: { statusCode: 403, code: "FORBIDDEN" },
    EXPIRED_TOKEN: { statusCode: 403, code: "FORBIDDEN" },
    INVALID_API_KEY: { statusCode: 403, code: "FORBIDDEN" },
    THROTTLED: { statusCode: 429, code: "THROTTLED" },
    QUOTA_EXCEEDED: { statusCode: 429, code: "QUOTA_EXCEEDED" },
    REQUEST_TOO_LARGE: { statusCode: 413, code: "REQUEST_TOO_LARGE" },
    AUTHORIZER_FAILURE: { statusCode: 500, code: "INTERNAL_ERROR" },
    AUTHORIZER_CONFIGURATION_ERROR: { statusCode: 500, code: "INTERNAL_ERROR" },
    DEFAULT_4XX: { code: "BAD_REQUEST" },
    DEFAULT_5XX: { code: "INTERNAL_ERROR" },
  };
}

/**
 * The `application/json` mapping template of a gateway response: `$context.error.messageString` is the
 * gateway's message already quoted as a JSON string, so the body stays valid JSON.
 */
export function gatewayResponseTemplate(code: string): string {
  return `{"error":{"code":"${code}","message":$context.error.messageString}}`;
}

/** The ALB listener's fixed 404 for every other method and path. */
export const ALB_NOT_FOUND_BODY = JSON.stringify({ error: { code: "NOT_FOUND", message: "Routes: POST /records, GET /health." } });

/** The answer to `GET /health` the REST API's MOCK integration and the ALB listener give without a Lambda call. */
export const HEALTH_BODY = '{"status":"ok"}';
