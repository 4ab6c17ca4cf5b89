/**
 * What every local front shares: the interface the server calls, the two routes the program deploys
 * (`POST /records` authorized, `GET /health` open), how headers are read and how a function's HTTP result
 * is written back. Each front (http-api.ts, rest-api.ts, alb.ts) answers everything else as it is deployed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { sendJson } from "../http-util";

/** A local front: serves every request that is not one of the local stack's own (`/_local/…`, Invoke API). */
export interface LocalFront {
  serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
  /** A WebSocket handshake (the websocket front); fronts without one leave it unset and the socket is closed. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

/** The deployed routes: method and path → whether the stack's auth applies. */
const ROUTES: ReadonlyMap<string, { readonly authorized: boolean }> = new Map([
  ["POST /records", { authorized: true }],
  ["GET /health", { authorized: false }],
]);

/** The route `method path` hits, or undefined for none. */
export function routeOf(method: string, path: string): { readonly authorized: boolean } | undefined {
  return ROUTES.get(`${method} ${path}`);
}

/** Media types HTTP API passes as text; any other body arrives base64-encoded. */
export const HTTP_API_TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|javascript|x-www-form-urlencoded))/i;

/** The event's `body` and `isBase64Encoded` for `body` sent with `contentType`, text when it matches `textTypes`. */
export function eventBody(
  body: Buffer,
  contentType: string | undefined,
  textTypes: RegExp,
): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  const text = textTypes.test(contentType ?? "");
  return { body: text ? body.toString("utf8") : body.toString("base64"), isBase64Encoded: !text };
}

/** Header names lower-cased and repeated values joined with commas. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** Writes a proxy integration result `{statusCode, headers, body, isBase64Encoded}`; `invalid` answers anything else. */
export function writeIntegrationResult(res: ServerResponse, payload: unknown, invalid: () => void): void {
  const result = payload as { statusCode?: unknown; headers?: Record<string, string>; body?: unknown; isBase64Encoded?: boolean } | null;
  if (!result || typeof result.statusCode !== "number") return invalid();
  const body = typeof result.body === "string" ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : Buffer.alloc(0);
  res.writeHead(result.statusCode, { ...result.headers, "content-length": String(body.length) });
  res.end(body);
}

/** API Gateway's own `{"message": …}` answer (HTTP API bodies, and REST's before any customisation). */
export function sendGatewayMessage(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { message }, headers);
}

/** The caller's address as API Gateway reports it. */
export function sourceIp(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time` / `requestTime`. */
export function clfTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
