/**
 * Realistic events of the three fronts that invoke the ingest function, of the two gateway authorizer
 * types, and a Lambda context — shaped like the samples in the API Gateway and ELB developer guides
 * ("Working with AWS Lambda proxy integrations for HTTP APIs", "Set up Lambda proxy integrations in API
 * Gateway" (REST), "Lambda functions as targets" (ALB)). Shared with the local stack's tests.
 */
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from "aws-lambda";

export type Front = "http-api" | "rest-api" | "alb";
export const FRONTS: readonly Front[] = ["http-api", "rest-api", "alb"];

/** What a test wants to send; the builders put it where each front would. */
export interface TestRequest {
  readonly method?: string;
  readonly path?: string;
  /** Header names as a client would send them (any case). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | null;
  /** Send the body base64-encoded, as the fronts do for binary media types. @default true for Buffers */
  readonly base64?: boolean;
}

export const ACCOUNT = "123456789012";
export const API_ID = "a1b2c3d4e5";
export const STAGE = "prod";
export const METHOD_ARN = `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/${STAGE}/POST/records`;
const TIME = "12/Mar/2025:19:03:58 +0000";
const EPOCH = 1741806238000;

/** JSON request with the right content type. */
export function jsonRequest(body: unknown, headers: Readonly<Record<string, string>> = {}): TestRequest {
  return { body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } };
}

/** The event `front` would deliver for `request`. */
export function eventFor(
  front: Front,
  request: TestRequest,
  options: { multiValueHeaders?: boolean } = {},
): APIGatewayProxyEventV2 | APIGatewayProxyEvent | ALBEvent {
  if (front === "http-api") return httpApiEvent(request);
  if (front === "rest-api") return restApiEvent(request);
  return albEvent(request, options);
}

/** API Gateway HTTP API, payload format 2.0, named stage (so `rawPath` carries the stage prefix). */
export function httpApiEvent(request: TestRequest): APIGatewayProxyEventV2 {
  const { method, path, body, isBase64Encoded } = normalise(request);
  const headers: Record<string, string> = {
    host: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
    "user-agent": "test/1.0",
    "x-forwarded-proto": "https",
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body, isBase64Encoded ? "base64" : "utf8"));
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: `/${STAGE}${path}`,
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: headers.host!,
      domainPrefix: API_ID,
      http: { method, path: `/${STAGE}${path}`, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "test/1.0" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: `${method} ${path}`,
      stage: STAGE,
      time: TIME,
      timeEpoch: EPOCH,
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

/** API Gateway REST API proxy integration, payload format 1.0 (headers keep the client's case). */
export function restApiEvent(request: TestRequest): APIGatewayProxyEvent {
  const { method, path, body, isBase64Encoded } = normalise(request);
  const headers: Record<string, string> = {
    Host: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
    "User-Agent": "test/1.0",
    ...request.headers,
  };
  return {
    resource: path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      authorizer: undefined,
      protocol: "HTTP/1.1",
      httpMethod: method,
      identity: { sourceIp: "198.51.100.7", userAgent: "test/1.0" } as APIGatewayProxyEvent["requestContext"]["identity"],
      path: `/${STAGE}${path}`,
      stage: STAGE,
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTimeEpoch: EPOCH,
      resourceId: "abc123",
      resourcePath: path,
    },
    body: body ?? null,
    isBase64Encoded,
  };
}

/** ALB target group event; with `multiValueHeaders` on, headers come (and must go back) as lists. */
export function albEvent(request: TestRequest, options: { multiValueHeaders?: boolean } = {}): ALBEvent {
  const { method, path, body, isBase64Encoded } = normalise(request);
  const headers: Record<string, string> = {
    host: "ingest-123.us-east-1.elb.amazonaws.com",
    "x-forwarded-for": "198.51.100.7",
    "x-forwarded-proto": "https",
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/ingest/6d0ecf831eec9f09` } },
    httpMethod: method,
    path,
    queryStringParameters: {},
    body: body ?? "",
    isBase64Encoded,
  };
  if (options.multiValueHeaders)
    event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  else event.headers = headers;
  return event;
}

/** REST API TOKEN authorizer event; `header` is the raw Authorization value. */
export function tokenAuthorizerEvent(header: string): APIGatewayTokenAuthorizerEvent {
  return { type: "TOKEN", authorizationToken: header, methodArn: METHOD_ARN };
}

/** HTTP API Lambda authorizer event, payload 2.0, identity source `$request.header.Authorization`. */
export function httpApiAuthorizerEvent(header: string | undefined): APIGatewayRequestAuthorizerEventV2 {
  const base = httpApiEvent({ method: "POST", path: "/records", headers: header === undefined ? {} : { Authorization: header } });
  return {
    version: "2.0",
    type: "REQUEST",
    routeArn: METHOD_ARN,
    identitySource: header === undefined ? [] : [header],
    routeKey: base.routeKey,
    rawPath: base.rawPath,
    rawQueryString: "",
    cookies: [],
    headers: base.headers,
    queryStringParameters: {},
    requestContext: base.requestContext,
    pathParameters: {},
    stageVariables: {},
  };
}

/** A Lambda context whose remaining time counts down from `remainingMs` on `now`. */
export function lambdaContext(remainingMs = 10_000, now: () => number = Date.now): Context {
  const end = now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "kinesis-ingest-test-ingest",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:kinesis-ingest-test-ingest`,
    memoryLimitInMB: "256",
    awsRequestId: "8f5d4a3c-1111-4d2e-9c3b-000000000001",
    logGroupName: "/aws/lambda/kinesis-ingest-test-ingest",
    logStreamName: "2025/03/12/[$LATEST]abcdef",
    getRemainingTimeInMillis: () => Math.max(0, end - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A handler result with its body parsed and header names lower-cased (multi-value headers joined). */
export interface ParsedResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export function parseResult(result: {
  statusCode?: number;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown[]>;
  body?: string;
}): ParsedResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.join(", ");
  return { status: result.statusCode ?? 0, headers, body: result.body ? JSON.parse(result.body) : undefined };
}

function normalise(request: TestRequest): { method: string; path: string; body: string | undefined; isBase64Encoded: boolean } {
  const method = request.method ?? "POST";
  const path = request.path ?? "/records";
  const raw = request.body ?? undefined;
  const base64 = request.base64 ?? Buffer.isBuffer(raw);
  if (raw === undefined) return { method, path, body: undefined, isBase64Encoded: false };
  const body = base64 ? Buffer.from(raw).toString("base64") : raw.toString();
  return { method, path, body, isBase64Encoded: base64 };
}
