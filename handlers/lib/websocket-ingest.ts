/**
 * The ingest function's WebSocket branch: `$connect` and `$disconnect` are accepted (the gateway ran the
 * stack's auth on `$connect` before the function), and a `putRecords` message goes through the same
 * validation and write as `POST /records`, then is answered on its connection through the `@connections`
 * management API. The answer is posted rather than returned as a two-way route response so that the function
 * learns whether it reached the client: a `GoneException` (the client left while its records were written)
 * is logged with what was stored, where a route response would be dropped without a trace.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { BadRequestError, RequestError } from "./errors";
import { parseIngestBody, type IngestRecord } from "./ingest-request";
import type { Logger } from "./log";
import {
  callbackEndpoint,
  idProblem,
  MESSAGE_FIELDS,
  messageId,
  PUT_RECORDS_ROUTE,
  type WebSocketAnswer,
  type WebSocketEvent,
} from "./websocket-message";

/** Sends `data` to connection `connectionId` through the management endpoint `endpoint`. */
export type PostToConnection = (endpoint: string, connectionId: string, data: string) => Promise<void>;

/** What the WebSocket branch needs from the ingest handler. */
export interface WebSocketIngestDeps {
  /** The write of `POST /records`: its answer body is `{failedRecordCount, records}`. */
  readonly store: (records: IngestRecord[]) => Promise<{ readonly body: unknown }>;
  readonly post: PostToConnection;
  /** `AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`, else the event's own stage endpoint. */
  readonly endpoint?: string;
  readonly log: Logger;
  /** The stream's record limit, bytes. @default 1 MiB */
  readonly maxRecordBytes?: number;
}

/** A WebSocket route's integration result: 200 lets `$connect` through; message routes ignore it. */
const OK = { statusCode: 200, body: "" };

/** Serves one WebSocket event. */
export async function serveWebSocket(event: WebSocketEvent, deps: WebSocketIngestDeps): Promise<typeof OK> {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey !== PUT_RECORDS_ROUTE) return OK; // $connect, $disconnect
  const raw = event.body ?? "";
  const body = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  const answer = await answerMessage(body, deps);
  try {
    await deps.post(callbackEndpoint(event, deps.endpoint), connectionId, JSON.stringify(answer));
  } catch (error) {
    if (!(error instanceof GoneException)) throw error;
    deps.log.warn("connection gone before its answer", {
      connectionId,
      id: answer.id,
      ...("error" in answer ? {} : { failedRecordCount: answer.failedRecordCount }),
    });
  }
  return OK;
}

/** Validates before writing (the id, then the records as `POST /records` does) and builds the answer. */
async function answerMessage(body: string, deps: WebSocketIngestDeps): Promise<WebSocketAnswer> {
  const id = messageId(body);
  try {
    const records = parseIngestBody(body, MESSAGE_FIELDS, deps.maxRecordBytes);
    const problem = idProblem(body);
    if (problem) throw new BadRequestError("INVALID_REQUEST", `The message's id ${problem}.`, [{ path: "id", message: problem }]);
    const stored = (await deps.store(records)).body as Omit<Extract<WebSocketAnswer, { failedRecordCount: number }>, "id">;
    return { id, failedRecordCount: stored.failedRecordCount, records: stored.records };
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    deps.log.info("message refused", { code: error.code, problems: error.details?.length ?? 0 });
    return { id, error: error.toBody().error };
  }
}

let client: { endpoint: string; client: ApiGatewayManagementApiClient } | undefined;

/** The management API client, one per endpoint (a function serves one stage, so in practice one). */
export const postWithSdk: PostToConnection = async (endpoint, connectionId, data) => {
  if (client?.endpoint !== endpoint) client = { endpoint, client: new ApiGatewayManagementApiClient({ endpoint }) };
  await client.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data, "utf8") }));
};
