/** One JSON POST over a keep-alive agent, with a timeout; network failures reject with the socket's error. */
import http from "node:http";
import https from "node:https";

/** A response read whole (API responses are small: at most one line per record). */
export interface JsonPostResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Options of one POST. */
export interface JsonPostOptions {
  readonly agent: http.Agent;
  readonly headers: Readonly<Record<string, string>>;
  /** The whole exchange must finish within this time, or the request is destroyed. */
  readonly timeoutMs: number;
}

/** POSTs `body` (JSON text) to `url`. */
export function postJson(url: URL, body: string, options: JsonPostOptions): Promise<JsonPostResponse> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent: options.agent,
      headers: { ...options.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no response within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.once("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end(body);
  });
}
