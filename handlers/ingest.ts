/**
 * The ingest function behind `POST /records` and `GET /health` (README.md "API contract (every front)"), for every
 * front: API Gateway HTTP API (payload 2.0), REST API (1.0) and ALB; WebSocket messages (lib/websocket-ingest.ts)
 * and AppSync's `Mutation.putRecords` (lib/appsync-ingest.ts) the same way. It validates the whole request,
 * writes with PutRecords (retrying only failed entries until the function's deadline), and answers with
 * one result per record in input order. The environment of `handler`: lib/environment/ingest.ts.
 */
import type { KinesisClient, PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { Context } from "aws-lambda";
import { classifyErrorCode } from "../semantics/errors";
import { RECORD_SIZE_KIB } from "../semantics/large-records";
import { createTokenVerifier, type TokenCheck } from "./lib/bearer-token";
import { ForbiddenError, MethodNotAllowedError, NotFoundError, RequestError, UnauthorizedError } from "./lib/errors";
import {
  parseHttpEvent,
  toLambdaResult,
  type HttpRequest,
  type HttpResponse,
  type LambdaHttpEvent,
  type LambdaHttpResult,
} from "./lib/http-event";
import { checkContentType, parseIngestBody, type IngestRecord } from "./lib/ingest-request";
import { ingestFromEnv } from "./lib/environment/ingest";
import { callerOf, logPartitionKeys } from "./lib/contribution-log";
import { createKinesisClient } from "./lib/kinesis-client";
import { createLogger, type Logger } from "./lib/log";
import { cryptoRandomBytes, derivePartitionKeys, type RandomBytes } from "./lib/partition-key";
import { putRecordsWithRetry, type RecordResult } from "./lib/put-records";
import { isAppSyncEvent, serveAppSync, type AppSyncAnswer, type AppSyncResolverEvent } from "./lib/appsync-ingest";
import { postWithSdk, serveWebSocket, type PostToConnection } from "./lib/websocket-ingest";
import { isWebSocketEvent, type WebSocketEvent } from "./lib/websocket-message";

/** The parts of the Lambda context the handler reads; the local stack may pass a partial one. */
export type IngestContext = Partial<Pick<Context, "getRemainingTimeInMillis" | "awsRequestId">>;

/** The ingest Lambda function: an HTTP or WebSocket event answers a proxy result, an AppSync resolver event its field's value. */
export interface IngestHandler {
  (event: AppSyncResolverEvent, context?: IngestContext): Promise<AppSyncAnswer>;
  (event: LambdaHttpEvent | WebSocketEvent, context?: IngestContext): Promise<LambdaHttpResult>;
}

/** Every event the function serves. */
type IngestEvent = LambdaHttpEvent | WebSocketEvent | AppSyncResolverEvent;

/** Options of {@link createIngestHandler}. */
export interface IngestHandlerOptions {
  /** Stream written to. */
  readonly streamName: string;
  /** The stream's maximum record size in KiB (`stream.maxRecordSizeKiB`): larger records are refused. @default 1024 */
  readonly maxRecordSizeKiB?: number;
  /** Kinesis client. @default a module-scope keep-alive client (see kinesis-client.ts) */
  readonly kinesis?: KinesisClient;
  /**
   * Token check run before anything else on `POST /records` (the ALB front has no gateway authorizer).
   * Missing or malformed token → 401, forged → 403. @default none: the gateway authenticates
   */
  readonly authorize?: (headers: Readonly<Record<string, string>>) => Promise<TokenCheck>;
  /**
   * Milliseconds from the invocation's start until the last PutRecords call must have finished: the front's
   * budget, which ends before the front's own timeout. @default none: only the function's remaining time counts
   */
  readonly deadlineMs?: number;
  /** Time kept in reserve after the last PutRecords call, to answer. @default 1000 */
  readonly safetyMarginMs?: number;
  /** Time budget when the context has no `getRemainingTimeInMillis` (local calls). @default 10000 */
  readonly defaultBudgetMs?: number;
  /** Backoff base and cap of PutRecords retries. @default putRecordsWithRetry's (handlers/lib/put-records.ts) */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Source of derived partition keys. @default the OS CSPRNG */
  readonly random?: RandomBytes;
  /** Uniform [0, 1) source of backoff jitter. @default Math.random */
  readonly jitter?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly logger?: Logger;
  /** One line per partition key per request, and the caller on every line, for Contributor Insights. @default false */
  readonly logPartitionKeys?: boolean;
  /** The websocket front's `@connections` endpoint. @default the event's stage (`AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI` overrides) */
  readonly connectionsEndpoint?: string;
  /** Posts an answer to a WebSocket connection. @default the ApiGatewayManagementApi client */
  readonly postToConnection?: PostToConnection;
}

/** `Retry-After` seconds: throttling clears within a second per shard; an outage needs longer. */
const RETRY_AFTER_THROTTLED_S = 1;
const RETRY_AFTER_UNAVAILABLE_S = 5;

const defaultKinesis = createKinesisClient();

/**
 * Creates the ingest handler with explicit settings (the local stack runs several in one process).
 *
 * @example
 * const ingest = createIngestHandler({ streamName: "kinesis-ingest-dev", kinesis: localKinesisClient(endpoint) });
 * const result = await ingest(httpApiEvent, context); // { statusCode: 200, body: '{"failedRecordCount":0,"records":[…]}' }
 */
export function createIngestHandler(options: IngestHandlerOptions): IngestHandler {
  const kinesis = options.kinesis ?? defaultKinesis;
  const now = options.now ?? Date.now;
  const log = options.logger ?? createLogger({ service: "ingest" });
  const random = options.random ?? cryptoRandomBytes;
  const maxRecordBytes = (options.maxRecordSizeKiB ?? RECORD_SIZE_KIB.default) * 1024;

  async function writeRecords(request: HttpRequest, context: IngestContext, requestLog: Logger, startedAt: number): Promise<HttpResponse> {
    if (options.authorize) await authorizeRequest(options.authorize, request.headers);
    checkContentType(request.headers);
    return storeRecords(parseIngestBody(request.body, undefined, maxRecordBytes), context, requestLog, startedAt);
  }

  /** Writes validated records; every front answers with this outcome (a WebSocket message too). */
  async function storeRecords(
    records: IngestRecord[],
    context: IngestContext,
    requestLog: Logger,
    startedAt: number,
  ): Promise<HttpResponse> {
    let missingKeys = 0;
    for (const record of records) if (record.partitionKey === undefined) missingKeys++;
    const derived = missingKeys > 0 ? derivePartitionKeys(missingKeys, random) : [];
    let nextDerived = 0;
    const entries: PutRecordsRequestEntry[] = records.map((record) => ({
      Data: record.data,
      PartitionKey: record.partitionKey ?? derived[nextDerived++],
    }));

    if (options.logPartitionKeys) logPartitionKeys(requestLog, entries);
    const budget = context.getRemainingTimeInMillis?.() ?? options.defaultBudgetMs ?? 10_000;
    const functionDeadline = now() + budget - (options.safetyMarginMs ?? 1000);
    const outcome = await putRecordsWithRetry(kinesis, entries, {
      streamName: options.streamName,
      deadline: options.deadlineMs === undefined ? functionDeadline : Math.min(functionDeadline, startedAt + options.deadlineMs),
      baseDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
      random: options.jitter,
      sleep: options.sleep,
      now,
    });
    const { results, failedRecordCount, attempts } = outcome;
    const status = writeStatus(records.length, failedRecordCount, results);
    const fields = { status, records: records.length, failedRecordCount, attempts };
    if (failedRecordCount > 0) requestLog.warn("records not all stored", { ...fields, errorCodes: countCodes(results) });
    else requestLog.info("records stored", fields);
    const retryAfter = status === 429 ? RETRY_AFTER_THROTTLED_S : status === 503 ? RETRY_AFTER_UNAVAILABLE_S : undefined;
    return {
      status,
      body: { failedRecordCount, records: results },
      headers: retryAfter === undefined ? undefined : { "Retry-After": String(retryAfter) },
    };
  }

  async function route(request: HttpRequest, context: IngestContext, requestLog: Logger, startedAt: number): Promise<HttpResponse> {
    if (request.path === "/health") {
      if (request.method !== "GET") throw methodNotAllowed(request, "GET");
      return { status: 200, body: { status: "ok" } };
    }
    if (request.path === "/records") {
      if (request.method !== "POST") throw methodNotAllowed(request, "POST");
      return writeRecords(request, context, requestLog, startedAt);
    }
    throw new NotFoundError("NOT_FOUND", `No route ${request.method} ${request.path}; the API serves POST /records and GET /health.`);
  }

  const callerFields = (event: unknown) => (options.logPartitionKeys ? callerOf(event) : {});

  const serve = async (event: IngestEvent, context: IngestContext = {}): Promise<LambdaHttpResult | AppSyncAnswer> => {
    const startedAt = now();
    if (isAppSyncEvent(event)) {
      const resolverLog = log.child({ requestId: context.awsRequestId, front: "appsync", ...callerFields(event) });
      return serveAppSync(event, {
        store: (records) => storeRecords(records, context, resolverLog, startedAt),
        log: resolverLog,
        maxRecordBytes,
      });
    }
    if (isWebSocketEvent(event)) {
      const socketLog = log.child({ requestId: context.awsRequestId, front: "websocket", ...callerFields(event) });
      return serveWebSocket(event, {
        store: (records) => storeRecords(records, context, socketLog, startedAt),
        post: options.postToConnection ?? postWithSdk,
        endpoint: options.connectionsEndpoint,
        log: socketLog,
        maxRecordBytes,
      });
    }
    const request = parseHttpEvent(event);
    const requestLog = log.child({ requestId: context.awsRequestId, front: request.format, ...callerFields(event) });
    try {
      return toLambdaResult(request, await route(request, context, requestLog, startedAt));
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      requestLog.info("request refused", { status: error.status, code: error.code, problems: error.details?.length ?? 0 });
      return toLambdaResult(request, { status: error.status, body: error.toBody(), headers: error.headers });
    }
  };
  // One body serves the overloads: the event's kind decides the answer's.
  return serve as IngestHandler;
}

/** Missing or malformed token → 401, forged → 403. */
async function authorizeRequest(
  authorize: NonNullable<IngestHandlerOptions["authorize"]>,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  const check = await authorize(headers);
  if (check.ok) return;
  if (check.reason === "forged") throw new ForbiddenError("The bearer token is not accepted.");
  const message =
    check.reason === "missing"
      ? "An Authorization header with a bearer token is required."
      : 'The Authorization header must be "Bearer <token>".';
  throw new UnauthorizedError(message, [
    { path: "header:authorization", message: check.reason === "missing" ? "is missing" : 'must be "Bearer <token>"' },
  ]);
}

/** 200 all stored, 207 some, else 429 if every failure was a throttle, 503 otherwise. */
function writeStatus(total: number, failed: number, results: readonly RecordResult[]): number {
  if (failed === 0) return 200;
  if (failed < total) return 207;
  return results.every((r) => "errorCode" in r && classifyErrorCode(r.errorCode) === "throttle") ? 429 : 503;
}

function countCodes(results: readonly RecordResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) if ("errorCode" in r) counts[r.errorCode] = (counts[r.errorCode] ?? 0) + 1;
  return counts;
}

function methodNotAllowed(request: HttpRequest, allowed: string): MethodNotAllowedError {
  return new MethodNotAllowedError("METHOD_NOT_ALLOWED", `${request.path} accepts only ${allowed}, got ${request.method}.`, undefined, {
    Allow: allowed,
  });
}

/** Settings from the function's environment (lib/environment/ingest.ts). */
function optionsFromEnv(): IngestHandlerOptions {
  const { tokenSecretId, ...settings } = ingestFromEnv(process.env);
  const verify = tokenSecretId ? createTokenVerifier({ secretId: tokenSecretId }) : undefined;
  return { ...settings, authorize: verify && ((headers) => verify(headers.authorization)) };
}

let envHandler: IngestHandler | undefined;

/** The Lambda entry point, configured from `process.env` on first use. */
export const handler = (async (event: IngestEvent, context?: IngestContext) =>
  // The cast only picks an overload: the handler tells the event's kind apart at run time.
  (envHandler ??= createIngestHandler(optionsFromEnv()))(event as LambdaHttpEvent, context)) as IngestHandler;
