/**
 * One request shape for the three fronts that invoke the ingest function — API Gateway HTTP API
 * (payload 2.0), REST API (payload 1.0, also HTTP API's 1.0 option) and Application Load Balancer — and
 * the response shape each of them expects back.
 */
import { STATUS_CODES } from "node:http";
import type { ALBEvent, ALBResult, APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from "aws-lambda";

/** Which front sent the event; decides the response shape. */
export type HttpEventFormat = "http-api-2.0" | "rest-api-1.0" | "alb";

/** A front's event, normalised. */
export interface HttpRequest {
  readonly format: HttpEventFormat;
  /** Upper-case method, e.g. `POST`. */
  readonly method: string;
  /** The route's path without stage prefix, e.g. `/records`. */
  readonly path: string;
  /** Header names lower-cased; repeated headers joined with `, ` as RFC 9110 allows. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as received: a string, or bytes when the front base64-encoded it. */
  readonly body: string | Buffer;
  /** ALB target groups with multi-value headers on require `multiValueHeaders` in the response. */
  readonly multiValueHeaders: boolean;
}

/** What a handler answers, before it is shaped for the front. */
export interface HttpResponse {
  readonly status: number;
  /** Serialised as JSON with `Content-Type: application/json`. */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The union of the response shapes the three fronts accept. */
export type LambdaHttpResult = APIGatewayProxyResult | ALBResult;

/** Any of the three event shapes. */
export type LambdaHttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent | ALBEvent;

/**
 * Normalises an HTTP API 2.0, REST API 1.0 or ALB event.
 * @throws TypeError when the event is none of them (a wiring mistake, not a client error).
 */
export function parseHttpEvent(event: LambdaHttpEvent): HttpRequest {
  if (!isObject(event) || !isObject(event.requestContext)) {
    throw new TypeError("Unsupported event: expected an API Gateway HTTP API (2.0), REST API (1.0) or ALB event.");
  }
  const raw = event.body ?? "";
  const body = event.isBase64Encoded ? Buffer.from(raw, "base64") : raw;

  if ("elb" in event.requestContext) {
    const alb = event as ALBEvent;
    const multi = alb.multiValueHeaders !== undefined;
    return {
      format: "alb",
      method: (alb.httpMethod ?? "").toUpperCase(),
      path: alb.path ?? "",
      headers: multi ? joinMultiValue(alb.multiValueHeaders) : lowerCaseNames(alb.headers),
      body,
      multiValueHeaders: multi,
    };
  }
  if ((event as APIGatewayProxyEventV2).version === "2.0") {
    const v2 = event as APIGatewayProxyEventV2;
    // With a named stage, rawPath carries the stage prefix; the route key never does.
    const routePath = v2.routeKey && v2.routeKey !== "$default" ? v2.routeKey.split(" ")[1] : undefined;
    return {
      format: "http-api-2.0",
      method: v2.requestContext.http.method.toUpperCase(),
      path: routePath ?? v2.rawPath,
      headers: lowerCaseNames(v2.headers),
      body,
      multiValueHeaders: false,
    };
  }
  if (typeof (event as APIGatewayProxyEvent).httpMethod === "string") {
    const v1 = event as APIGatewayProxyEvent;
    // `resource` is the route template (`/records`); `path` may carry a custom domain's base path.
    const routePath = v1.resource && v1.resource.startsWith("/") && !v1.resource.includes("{") ? v1.resource : v1.path;
    const headers = v1.multiValueHeaders ? joinMultiValue(v1.multiValueHeaders) : lowerCaseNames(v1.headers);
    return { format: "rest-api-1.0", method: v1.httpMethod.toUpperCase(), path: routePath, headers, body, multiValueHeaders: false };
  }
  throw new TypeError("Unsupported event: expected an API Gateway HTTP API (2.0), REST API (1.0) or ALB event.");
}

/** Shapes a response for the front that sent `request`. Bodies are JSON text, never base64. */
export function toLambdaResult(request: Pick<HttpRequest, "format" | "multiValueHeaders">, response: HttpResponse): LambdaHttpResult {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...response.headers };
  const body = JSON.stringify(response.body);
  if (request.format !== "alb") return { statusCode: response.status, headers, body, isBase64Encoded: false };
  // ALB requires a status description and, with multi-value headers on, only `multiValueHeaders`.
  const statusDescription = `${response.status} ${STATUS_CODES[response.status] ?? "Unknown"}`;
  if (!request.multiValueHeaders) return { statusCode: response.status, statusDescription, headers, body, isBase64Encoded: false };
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  return { statusCode: response.status, statusDescription, multiValueHeaders, body, isBase64Encoded: false };
}

function lowerCaseNames(headers: Readonly<Record<string, string | undefined>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function joinMultiValue(headers: Readonly<Record<string, readonly string[] | undefined>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (values && values.length > 0) out[name.toLowerCase()] = values.join(", ");
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
