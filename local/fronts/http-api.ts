/**
 * The API front as API Gateway's HTTP API runs it: routes in the gateway (`POST /records`, `GET /health`),
 * the route authorizer of the stack's `api.auth` in front of `POST /records` — a Lambda authorizer (payload
 * 2.0, simple responses, identity source `$request.header.Authorization`, answers cached per identity for
 * `authorizerCacheSeconds`), a JWT authorizer against the local issuer (jwt-issuer.ts), or SigV4 (sigv4.ts) —
 * and the ingest function invoked with a real payload 2.0 event. The gateway's own answers are reproduced
 * (HTTP APIs cannot change them): 401 without the identity header or with a refused JWT, 403 when refused,
 * 404 for other routes, 500 when a function fails.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEventV2,
} from "aws-lambda";
import type { ApiAuth } from "../../config/types";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../emulators";
import type { LocalFunction } from "../functions";
import {
  clfTime,
  eventBody,
  HTTP_API_TEXT_TYPES,
  headersOf,
  routeOf,
  sendGatewayMessage,
  sourceIp,
  writeIntegrationResult,
  type LocalFront,
} from "./front";
import { DecisionCache } from "./decision-cache";
import type { LocalJwtIssuer } from "./jwt-issuer";
import { SIGV4_MESSAGES, verifySigV4 } from "./sigv4";
import { RequestThrottle, THROTTLE_MESSAGES, type ThrottleSettings } from "./throttle";

/** Options of {@link HttpApiFront}. */
export interface HttpApiFrontOptions {
  readonly ingest: LocalFunction;
  readonly auth: ApiAuth;
  /** The token authorizer (auth `token`). */
  readonly authorizer?: LocalFunction;
  readonly authorizerCacheSeconds: number;
  /** The local issuer (auth `jwt`), or the local user pool (auth `cognito`). */
  readonly jwt?: LocalJwtIssuer;
  /** The stage's default route throttling. */
  readonly throttle: ThrottleSettings;
}

/** What the route's authorizer puts in `requestContext.authorizer`, or the gateway's answer instead. */
type Authorization =
  | { readonly context: Record<string, unknown> }
  | { readonly status: number; readonly message: string; readonly headers?: Record<string, string> };

const API_ID = "local";

export class HttpApiFront implements LocalFront {
  private readonly decisions = new DecisionCache<Record<string, unknown> | undefined>();
  private readonly throttle: RequestThrottle;

  constructor(private readonly options: HttpApiFrontOptions) {
    this.throttle = new RequestThrottle(options.throttle);
  }

  /** Serves one request whose body has been read. */
  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    const routeKey = `${method} ${url.pathname}`;
    const route = routeOf(method, url.pathname);
    if (!route) return sendGatewayMessage(res, 404, "Not Found");
    // The stage's route throttling applies to every route, before its authorizer runs.
    const refusal = this.throttle.admit();
    if (refusal) return sendGatewayMessage(res, 429, THROTTLE_MESSAGES[refusal]);
    const requestContext = this.requestContext(req, url.pathname, routeKey);
    const headers = headersOf(req);
    let authorizer: Record<string, unknown> | undefined;
    if (route.authorized && this.options.auth !== "none") {
      const outcome = await this.authorize(req, body, url, headers, routeKey, requestContext);
      if ("status" in outcome) return sendGatewayMessage(res, outcome.status, outcome.message, outcome.headers);
      authorizer = outcome.context;
    }
    const event: APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2 & { authorizer?: Record<string, unknown> }> = {
      version: "2.0",
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      requestContext: authorizer ? { ...requestContext, authorizer } : requestContext,
      ...withoutNullBody(eventBody(body, headers["content-type"], HTTP_API_TEXT_TYPES)),
    };
    const outcome = await this.options.ingest.invoke(event, requestContext.requestId);
    if (outcome.functionError) return sendGatewayMessage(res, 500, "Internal Server Error");
    writeIntegrationResult(res, outcome.payload, () => sendGatewayMessage(res, 500, "Internal Server Error"));
  }

  private async authorize(
    req: IncomingMessage,
    body: Buffer,
    url: URL,
    headers: Record<string, string>,
    routeKey: string,
    requestContext: APIGatewayEventRequestContextV2,
  ): Promise<Authorization> {
    if (this.options.auth === "iam") {
      const check = await verifySigV4(req, body, "execute-api");
      if (!check.ok) return { status: 403, message: SIGV4_MESSAGES[check.reason] };
      return { context: { iam: { ...check.identity, cognitoIdentity: null, principalOrgId: null, userId: check.identity.accessKey } } };
    }
    const identity = headers.authorization;
    if (!identity) return { status: 401, message: "Unauthorized" };
    // Cognito's tokens are checked as any JWT: the pool's issuer, its app clients as audiences.
    if (this.options.auth === "jwt" || this.options.auth === "cognito") {
      const check = await this.options.jwt!.verify(identity);
      if (!check.ok)
        return {
          status: 401,
          message: "Unauthorized",
          headers: { "www-authenticate": `Bearer scope="" error="invalid_token" error_description="${check.description}"` },
        };
      return {
        context: { jwt: { claims: check.claims, scopes: typeof check.claims.scope === "string" ? check.claims.scope.split(" ") : null } },
      };
    }
    const decision = await this.lambdaDecision(identity, url, headers, routeKey, requestContext);
    if (decision === "error") return { status: 500, message: "Internal Server Error" };
    if (decision === "denied") return { status: 403, message: "Forbidden" };
    return { context: { lambda: decision } };
  }

  /** The Lambda authorizer's decision for this identity, from the cache while it is fresh. */
  private async lambdaDecision(
    identity: string,
    url: URL,
    headers: Record<string, string>,
    routeKey: string,
    requestContext: APIGatewayEventRequestContextV2,
  ): Promise<Record<string, unknown> | "denied" | "error"> {
    const cached = this.decisions.get(identity);
    if (cached) return cached.value ?? "denied";
    const [method, path] = routeKey.split(" ");
    const event: APIGatewayRequestAuthorizerEventV2 = {
      version: "2.0",
      type: "REQUEST",
      routeArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${API_ID}/$default/${method}${path}`,
      identitySource: [identity],
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: [],
      headers,
      requestContext,
    };
    const outcome = await this.options.authorizer!.invoke(event).catch(() => undefined);
    if (!outcome || outcome.functionError) return "error";
    const result = outcome.payload as { isAuthorized?: unknown; context?: Record<string, unknown> } | null;
    if (typeof result?.isAuthorized !== "boolean") return "error";
    const context = result.isAuthorized ? (result.context ?? {}) : undefined;
    this.decisions.set(identity, context, this.options.authorizerCacheSeconds * 1000);
    return context ?? "denied";
  }

  private requestContext(req: IncomingMessage, path: string, routeKey: string): APIGatewayEventRequestContextV2 {
    const now = new Date();
    const host = req.headers.host ?? "127.0.0.1";
    return {
      accountId: LOCAL_ACCOUNT,
      apiId: API_ID,
      domainName: host,
      domainPrefix: host.split(".")[0]!,
      http: {
        method: req.method ?? "GET",
        path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: sourceIp(req),
        userAgent: req.headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    };
  }
}

/** Payload 2.0 leaves `body` out when there is none. */
function withoutNullBody(body: { body: string | null; isBase64Encoded: boolean }): { body?: string; isBase64Encoded: boolean } {
  return body.body === null ? { isBase64Encoded: false } : { body: body.body, isBase64Encoded: body.isBase64Encoded };
}
