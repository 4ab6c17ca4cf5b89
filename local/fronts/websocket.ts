/**
 * The websocket front as API Gateway runs it, served with the `ws` library on the local server's port:
 * the handshake at `/<stage>` runs `$connect` (the stack's auth: the authorizer function — tokens, or JWTs for
 * jwt and cognito — with a WebSocket REQUEST event and an IAM policy answer, SigV4, or none), then the ingest function with a CONNECT event; each message is
 * routed by its `action` (`putRecords`, else the gateway's own "Forbidden", as an API without `$default`
 * answers) and throttled per the stage; a close runs `$disconnect`. The function answers through
 * `POST /@connections/{id}`, served here too. The quotas of semantics/websocket-limits.ts close a
 * connection as API Gateway does: 1009 past 128 KB a message or 32 KB a frame, 1001 after 10 idle minutes or 2 hours.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { ApiAuth } from "../../config/types";
import { PUT_RECORDS_ROUTE, WEBSOCKET_STAGE } from "../../handlers/lib/websocket-message";
import {
  CLOSE_GOING_AWAY,
  CLOSE_MESSAGE_TOO_BIG,
  MAX_WEBSOCKET_FRAME_BYTES,
  MAX_WEBSOCKET_MESSAGE_BYTES,
  WEBSOCKET_IDLE_TIMEOUT_MS,
  WEBSOCKET_MAX_CONNECTION_MS,
} from "../../semantics/websocket-limits";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../emulators";
import type { LocalFunction } from "../functions";
import { headersOf, sendGatewayMessage, sourceIp, type LocalFront } from "./front";
import { FrameSizeWatch } from "./websocket-frames";
import { SIGV4_MESSAGES, verifySigV4 } from "./sigv4";
import { RequestThrottle, THROTTLE_MESSAGES, type ThrottleSettings } from "./throttle";

/** Options of {@link WebSocketFront}. */
export interface WebSocketFrontOptions {
  readonly ingest: LocalFunction;
  readonly auth: ApiAuth;
  readonly authorizer?: LocalFunction;
  readonly throttle: ThrottleSettings;
  /** Overrides of the quotas, for tests. @default semantics/websocket-limits.ts */
  readonly idleTimeoutMs?: number;
  readonly maxConnectionMs?: number;
}

const API_ID = "local";
const CONNECTIONS_PATH = /^\/@connections\/([^/]+)$/;

export class WebSocketFront implements LocalFront {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES });
  /** Open connections: the socket and what marks it busy (a message either way restarts its idle clock). */
  private readonly connections = new Map<string, { readonly ws: WebSocket; readonly busy: () => void }>();
  private readonly throttle: RequestThrottle;

  constructor(private readonly options: WebSocketFrontOptions) {
    this.throttle = new RequestThrottle(options.throttle);
  }

  /** `POST /@connections/{id}` (the management API's PostToConnection); every other request is the gateway's 404. */
  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const match = CONNECTIONS_PATH.exec(new URL(req.url ?? "/", "http://local").pathname);
    const id = match?.[1];
    if (id === undefined || req.method !== "POST") return sendGatewayMessage(res, 404, "Not Found");
    const connection = this.connections.get(decodeURIComponent(id));
    if (!connection) return sendGatewayMessage(res, 410, "Gone", { "x-amzn-errortype": "GoneException" });
    connection.busy();
    connection.ws.send(body.toString("utf8"));
    res.writeHead(200).end();
  }

  /** The handshake: `$connect`'s auth, then the CONNECT event; refused handshakes get the gateway's status. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const refuse = (status: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ message })}`,
      );
    };
    if (url.pathname !== `/${WEBSOCKET_STAGE}`) return refuse(404, "Not Found");
    if (this.throttle.admit()) return refuse(429, THROTTLE_MESSAGES.THROTTLED);
    const connectionId = randomBytes(9).toString("base64");
    const headers = headersOf(req);
    const query = Object.fromEntries(url.searchParams);
    const denied = await this.authorize(req, headers, query);
    if (denied) return refuse(denied.status, denied.message);
    const connect = await this.invoke(connectionId, "$connect", "CONNECT", req, { headers, queryStringParameters: query });
    if (connect !== 200) return refuse(403, "Forbidden");
    this.server.handleUpgrade(req, socket, head, (ws) => {
      // Ahead of `ws`'s own listener, so that a frame over 32 KB closes the connection before it is read.
      const frames = new FrameSizeWatch(MAX_WEBSOCKET_FRAME_BYTES);
      socket.prependListener("data", (chunk: Buffer) => {
        if (ws.readyState === ws.OPEN && frames.feed(chunk)) ws.close(CLOSE_MESSAGE_TOO_BIG, "Frame too big: at most 32 KB");
      });
      this.opened(ws, connectionId, req);
    });
  }

  private opened(ws: WebSocket, connectionId: string, req: IncomingMessage): void {
    const idleMs = this.options.idleTimeoutMs ?? WEBSOCKET_IDLE_TIMEOUT_MS;
    const idleClose = () => ws.close(CLOSE_GOING_AWAY, "Going away: idle for 10 minutes");
    let idle = setTimeout(idleClose, idleMs);
    // Idle means no message either way: a reply through @connections counts as one; a protocol ping does not.
    const busy = () => {
      clearTimeout(idle);
      idle = setTimeout(idleClose, idleMs);
    };
    const lifetime = setTimeout(
      () => ws.close(CLOSE_GOING_AWAY, "Going away: connections last at most 2 hours"),
      this.options.maxConnectionMs ?? WEBSOCKET_MAX_CONNECTION_MS,
    );
    this.connections.set(connectionId, { ws, busy });
    // Past maxPayload `ws` emits an error, then closes with 1009 as API Gateway does; unheard, it would throw.
    ws.on("error", () => undefined);
    ws.on("message", (data: Buffer) => {
      if (ws.readyState !== ws.OPEN) return; // closing: a frame over the quota
      busy();
      void this.message(ws, connectionId, req, data.toString("utf8"));
    });
    ws.on("close", () => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      this.connections.delete(connectionId);
      void this.invoke(connectionId, "$disconnect", "DISCONNECT", req, {});
    });
  }

  /** Route selection on `$request.body.action`; gateway answers carry the connection and request ids. */
  private async message(ws: WebSocket, connectionId: string, req: IncomingMessage, body: string): Promise<void> {
    const requestId = randomUUID();
    const gateway = (message: string) => ws.send(JSON.stringify({ message, connectionId, requestId }));
    if (actionOf(body) !== PUT_RECORDS_ROUTE) return gateway("Forbidden");
    if (this.throttle.admit()) return gateway(THROTTLE_MESSAGES.THROTTLED);
    const status = await this.invoke(connectionId, PUT_RECORDS_ROUTE, "MESSAGE", req, { body, isBase64Encoded: false });
    if (status !== 200) gateway("Internal server error");
  }

  /** Invokes the ingest function with a WebSocket proxy event; its status, or 500 when it failed. */
  private async invoke(connectionId: string, routeKey: string, eventType: string, req: IncomingMessage, extra: object): Promise<number> {
    const event = { requestContext: this.requestContext(connectionId, routeKey, eventType, req), ...extra };
    try {
      const { payload, functionError } = await this.options.ingest.invoke(event);
      const status = (payload as { statusCode?: unknown } | null)?.statusCode;
      return !functionError && typeof status === "number" ? status : 500;
    } catch {
      return 500;
    }
  }

  private requestContext(connectionId: string, routeKey: string, eventType: string, req: IncomingMessage): Record<string, unknown> {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      connectionId,
      messageId: eventType === "MESSAGE" ? randomBytes(6).toString("base64") : undefined,
      extendedRequestId: randomUUID(),
      requestId: randomUUID(),
      requestTimeEpoch: now,
      connectedAt: now,
      messageDirection: "IN",
      stage: WEBSOCKET_STAGE,
      domainName: req.headers.host ?? "127.0.0.1",
      apiId: API_ID,
      identity: { sourceIp: sourceIp(req) },
    };
  }

  /** `$connect`'s auth: undefined when admitted, else the gateway's answer. */
  private async authorize(
    req: IncomingMessage,
    headers: Record<string, string>,
    query: Record<string, string>,
  ): Promise<{ status: number; message: string } | undefined> {
    if (this.options.auth === "iam") {
      // The handshake is a GET signed for execute-api (query parameters included), with an empty body.
      const check = await verifySigV4(req, Buffer.alloc(0), "execute-api");
      return check.ok ? undefined : { status: 403, message: SIGV4_MESSAGES[check.reason] };
    }
    if (this.options.auth === "none") return undefined;
    // token, jwt and cognito: the authorizer function decides, as deployed (components/fronts/websocket-api.ts).
    const authorizer = this.options.authorizer;
    if (!authorizer) throw new Error(`${this.options.auth} auth on the websocket front needs the authorizer function`);
    const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${API_ID}/${WEBSOCKET_STAGE}/$connect`;
    const { payload, functionError } = await authorizer.invoke({ type: "REQUEST", methodArn, headers, queryStringParameters: query });
    // An authorizer that throws "Unauthorized" is API Gateway's 401; an Allow policy admits; anything else is 403.
    if (functionError) {
      const unauthorized = (payload as { errorMessage?: unknown } | null)?.errorMessage === "Unauthorized";
      return unauthorized ? { status: 401, message: "Unauthorized" } : { status: 500, message: "Internal Server Error" };
    }
    const effect = (payload as { policyDocument?: { Statement?: { Effect?: string }[] } } | null)?.policyDocument?.Statement?.[0]?.Effect;
    return effect === "Allow" ? undefined : { status: 403, message: "Forbidden" };
  }
}

/** The message's `action`, or undefined when it is not a JSON object with one. */
function actionOf(body: string): unknown {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as { action?: unknown }).action : undefined;
  } catch {
    return undefined;
  }
}
