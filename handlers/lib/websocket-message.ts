/**
 * The `websocket` front's wire contract, shared by the deployed API (components/fronts/websocket-api.ts), the
 * ingest handler, the local front and the producer client: the stage, the route selection, the
 * `putRecords` message and its answer. A message `{"action":"putRecords","id","records":[...]}` is validated
 * by the same parser as `POST /records` (ingest-request.ts) and answered on the connection with
 * `{"id","failedRecordCount","records"}` or `{"id","error":{"code","message"}}`.
 */
import type { RecordResult } from "./put-records";

/** The stage: `wss://<api>.execute-api.<region>.amazonaws.com/ingest`. */
export const WEBSOCKET_STAGE = "ingest";
/** Route selection reads the message's `action`. */
export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";
/** The message route; `$connect` and `$disconnect` are the gateway's own. */
export const PUT_RECORDS_ROUTE = "putRecords";
/** Fields a `putRecords` message may hold; `records` is validated as the `POST /records` body is. */
export const MESSAGE_FIELDS: ReadonlySet<string> = new Set(["action", "id", "records"]);
/** The client's id: echoed in the answer, so it must be short and printable. */
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** The parts of a WebSocket API Lambda proxy event the handler reads. */
export interface WebSocketEvent {
  readonly requestContext: {
    readonly routeKey: string;
    readonly eventType: "CONNECT" | "MESSAGE" | "DISCONNECT";
    readonly connectionId: string;
    readonly domainName: string;
    readonly stage: string;
  };
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** The answer sent on the connection. */
export type WebSocketAnswer =
  | { readonly id: string | null; readonly failedRecordCount: number; readonly records: readonly RecordResult[] }
  | { readonly id: string | null; readonly error: { readonly code: string; readonly message: string; readonly details?: unknown } };

/** True for a WebSocket API event (it carries `eventType` and `connectionId`; HTTP events do not). */
export function isWebSocketEvent(event: unknown): event is WebSocketEvent {
  if (typeof event !== "object" || event === null) return false;
  const context = (event as { requestContext?: unknown }).requestContext;
  return typeof context === "object" && context !== null && "eventType" in context && "connectionId" in context;
}

/** The message's `id` when it is a valid one, else null (the answer then carries `"id": null`). */
export function messageId(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    const id = typeof parsed === "object" && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === "string" && ID_PATTERN.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** What is wrong with the message's `id`, or undefined; checked before anything is written. */
export function idProblem(body: string): string | undefined {
  if (messageId(body) !== null) return undefined;
  return 'must be a string of 1 to 128 printable ASCII characters, echoed in the answer ("id": "<yours>")';
}

/**
 * The `@connections` management endpoint of the stage the event came through. `override` (the standard
 * `AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`) replaces it, as the local stack does.
 */
export function callbackEndpoint(event: WebSocketEvent, override: string | undefined): string {
  if (override) return override;
  return `https://${event.requestContext.domainName}/${event.requestContext.stage}`;
}
