/**
 * The API front as API Gateway's HTTP API runs it: routes in the gateway (`POST /records`, `GET /health`),
 * a Lambda authorizer (payload 2.0, simple responses, identity source `$request.header.Authorization`,
 * answers cached per token for `authorizerCacheSeconds`) in front of `POST /records`, and the ingest
 * function invoked with a real payload 2.0 event. The gateway's own answers are reproduced: 401 without the
 * identity header, 403 when refused, 404 for other routes, 500 when a function fails.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEventV2,
} from "aws-lambda";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import type { LocalFunction } from "./functions";
import { sendJson } from "./http-util";

/** Options of {@link HttpApiFront}. */
export interface HttpApiFrontOptions {
  readonly ingest: LocalFunction;
  /** The token authorizer; none when the stack's `api.auth` is `none`. */
  readonly authorizer?: LocalFunction;
  /** @default 300 */
  readonly authorizerCacheSeconds?: number;
}

/** The request context, with `authorizer.lambda` holding the authorizer's context once authorized. */
type RequestContextWithAuthorizer = APIGatewayEventRequestContextV2 & { authorizer?: { lambda: Record<string, unknown> } };

const ROUTES = new Map([
  ["POST /records", { authorized: true }],
  ["GET /health", { authorized: false }],
]);
const API_ID = "local";
/** Media types API Gateway passes as text; any other body arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|javascript|x-www-form-urlencoded))/i;

export class HttpApiFront {
  private readonly decisions = new Map<string, { readonly context?: Record<string, unknown>; readonly until: number }>();

  constructor(private readonly options: HttpApiFrontOptions) {}

  /** True when `method path` is one of the gateway's routes. */
  static serves(method: string, path: string): boolean {
    return ROUTES.has(`${method} ${path}`);
  }

  /** Serves one request to a gateway route whose body has been read. */
  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const routeKey = `${req.method} ${url.pathname}`;
    const route = ROUTES.get(routeKey);
    if (!route) return sendJson(res, 404, { message: "Not Found" });
    const requestContext = this.requestContext(req, url.pathname, routeKey);
    const headers = headersOf(req);
    let authorizer: { lambda: Record<string, unknown> } | undefined;
    if (route.authorized && this.options.authorizer) {
      const identity = headers.authorization;
      if (!identity) return sendJson(res, 401, { message: "Unauthorized" });
      const decision = await this.authorize(identity, url, headers, routeKey, requestContext);
      if (decision === "error") return sendJson(res, 500, { message: "Internal Server Error" });
      if (decision === "denied") return sendJson(res, 403, { message: "Forbidden" });
      authorizer = { lambda: decision };
    }
    const text = TEXT_TYPES.test(headers["content-type"] ?? "");
    const event: APIGatewayProxyEventV2WithRequestContext<RequestContextWithAuthorizer> = {
      version: "2.0",
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      requestContext: authorizer ? { ...requestContext, authorizer } : requestContext,
      ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };
    const outcome = await this.options.ingest.invoke(event, requestContext.requestId);
    if (outcome.functionError) return sendJson(res, 500, { message: "Internal Server Error" });
    writeIntegrationResult(res, outcome.payload);
  }

  /** The authorizer's decision for this identity, from the cache while it is fresh. */
  private async authorize(
    identity: string,
    url: URL,
    headers: Record<string, string>,
    routeKey: string,
    requestContext: APIGatewayEventRequestContextV2,
  ): Promise<Record<string, unknown> | "denied" | "error"> {
    const cached = this.decisions.get(identity);
    if (cached && cached.until > Date.now()) return cached.context ?? "denied";
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
    const ttlMs = (this.options.authorizerCacheSeconds ?? 300) * 1000;
    if (ttlMs > 0) this.decisions.set(identity, { context, until: Date.now() + ttlMs });
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
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
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

/** Header names lower-cased and repeated values joined with commas, as HTTP API's payload 2.0 has them. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** Writes a payload 2.0 integration result: `{statusCode, headers, body, isBase64Encoded}`, or bare JSON as 200. */
function writeIntegrationResult(res: ServerResponse, payload: unknown): void {
  const result = payload as { statusCode?: unknown; headers?: Record<string, string>; body?: unknown; isBase64Encoded?: boolean } | null;
  if (!result || typeof result.statusCode !== "number") return sendJson(res, 200, payload);
  const body = typeof result.body === "string" ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : Buffer.alloc(0);
  res.writeHead(result.statusCode, { ...result.headers, "content-length": String(body.length) });
  res.end(body);
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function clfTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
