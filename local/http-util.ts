/** Small helpers shared by the local stack's HTTP endpoints. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Reads a request body, refusing more than `limitBytes` (API Gateway's own cap is 10 MB). */
export function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        // Keep reading (and dropping) the rest: destroying the request would reset the socket before the 413 is sent.
        chunks = [];
        reject(new RequestTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The request body is over the front's payload limit. */
export class RequestTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than ${limitBytes} bytes, the most the front accepts.`);
    this.name = "RequestTooLargeError";
  }
}

/** Answers with `text` as it is, of `contentType` (JSON text already written, an HTML page). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "application/json",
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), "application/json", headers);
}

/** Parses JSON, or returns undefined for text that is not JSON. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * True when the request says its body is JSON. The controls that change the stack require it: a page on
 * another origin cannot send that without a CORS preflight, which the local server never grants.
 */
export function isJsonRequest(req: IncomingMessage): boolean {
  return /^application\/json\b/i.test(String(req.headers["content-type"] ?? ""));
}
