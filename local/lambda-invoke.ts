/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) over the local functions, so
 * `@aws-sdk/client-lambda`'s `InvokeCommand` with an endpoint override works unchanged: the body is the
 * function's JSON result; a thrown error answers 200 with `X-Amz-Function-Error: Unhandled`; unknown
 * names answer 404 ResourceNotFoundException; a payload over Lambda's 6 MB synchronous limit answers 413
 * RequestTooLargeException; `X-Amz-Invocation-Type: Event` answers 202, `DryRun` 204; with
 * `X-Amz-Log-Type: Tail` a synchronous answer carries the invocation's last 4 KB of log, base64, in
 * `X-Amz-Log-Result` (invocation-log.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../semantics/limits";
import { FunctionThrottledError, localFunctionArn, type FunctionRegistry } from "./functions";
import { parseJsonOrUndefined } from "./http-util";

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** True when `path` is an Invoke API call. */
export function isInvokePath(path: string): boolean {
  return INVOKE_PATH.test(path);
}

/** Serves one Invoke API request whose body has been read. */
export async function serveInvoke(functions: FunctionRegistry, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  const name = decodeURIComponent(INVOKE_PATH.exec(url.pathname)?.[1] ?? "");
  const requestId = randomUUID();
  const fn = functions.find(name);
  if (req.method !== "POST") {
    return awsError(res, 405, "InvalidRequestContentException", `Invoke takes POST, got ${req.method}.`, requestId);
  }
  if (!fn) {
    const arn = name.startsWith("arn:") ? name : localFunctionArn(name);
    return awsError(
      res,
      404,
      "ResourceNotFoundException",
      `Function not found: ${arn}. Local functions: ${functions.names().join(", ")}.`,
      requestId,
    );
  }
  if (body.length > MAX_INVOKE_PAYLOAD_BYTES) {
    return awsError(
      res,
      413,
      "RequestTooLargeException",
      `Request must be smaller than ${MAX_INVOKE_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      requestId,
    );
  }
  const text = body.toString("utf8");
  const event = text.trim() === "" ? {} : parseJsonOrUndefined(text);
  if (event === undefined) {
    return awsError(
      res,
      400,
      "InvalidRequestContentException",
      "Could not parse request body into json: the payload must be JSON.",
      requestId,
    );
  }
  const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
  if (invocationType === "DryRun") return void res.writeHead(204, { "x-amzn-requestid": requestId }).end();
  if (invocationType === "Event") {
    fn.invoke(event, requestId).catch((error: Error) => console.error(`async invoke of ${fn.name} failed: ${error.message}`));
    return void res.writeHead(202, { "x-amzn-requestid": requestId, "content-length": "0" }).end();
  }
  try {
    const outcome = await fn.invoke(event, requestId);
    const payload = JSON.stringify(outcome.payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
      "x-amz-executed-version": "$LATEST",
      "x-amzn-requestid": requestId,
    };
    if (outcome.functionError) headers["x-amz-function-error"] = outcome.functionError;
    // `--log-type Tail`: the invocation's last 4 KB of log, base64, as Lambda answers.
    if (String(req.headers["x-amz-log-type"] ?? "None") === "Tail") headers["x-amz-log-result"] = outcome.log.tailBase64();
    res.writeHead(200, headers).end(payload);
  } catch (error) {
    if (error instanceof FunctionThrottledError) {
      return awsError(res, 429, "TooManyRequestsException", "Rate Exceeded.", requestId, {
        Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
      });
    }
    throw error;
  }
}

function awsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
): void {
  const body = JSON.stringify({ Type: "User", message, ...extra });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "x-amzn-errortype": type,
    "x-amzn-requestid": requestId,
  });
  res.end(body);
}
