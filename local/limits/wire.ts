/**
 * Kinesis's JSON protocol as the limits proxy reads and writes it: the request shapes it accounts for, and the
 * answers it makes up itself (a throttled entry or call, a refused one) in the service's own wording.
 */
import type { ServerResponse } from "node:http";
import type { UpstreamResponse } from "./upstream";

export const THROTTLED = "ProvisionedThroughputExceededException";
export const INVALID = "ValidationException";
const AMZ_JSON = "application/x-amz-json-1.1";
/** The account the emulators report. */
export const ACCOUNT = "000000000000";

export interface StreamRef {
  readonly StreamName?: string;
  readonly StreamARN?: string;
}
export interface PutRecordsEntry {
  readonly Data: string;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}
export interface PutRecordsInput extends StreamRef {
  readonly Records: PutRecordsEntry[];
}

/** An entry the proxy can account for; anything malformed goes to the emulator, which names the problem. */
export function isPutEntry(entry: unknown): boolean {
  const e = entry as Partial<Record<keyof PutRecordsEntry, unknown>> | null;
  return (
    typeof e?.PartitionKey === "string" &&
    typeof e.Data === "string" &&
    (e.ExplicitHashKey === undefined || typeof e.ExplicitHashKey === "string")
  );
}

export function streamNameOf(ref: StreamRef): string {
  return ref.StreamName ?? ref.StreamARN?.split(":stream/")[1] ?? "";
}

export function throttledEntry(stream: string, shardId: string): Record<string, string> {
  return { ErrorCode: THROTTLED, ErrorMessage: `Rate exceeded for shard ${shardId} in stream ${stream} under account ${ACCOUNT}.` };
}

/** A 400 answer of error `type`, as Kinesis's JSON protocol writes it. */
export function errorResponse(type: string, message: string): UpstreamResponse {
  return { ...jsonResponse(400, { __type: type, message }), headers: { "content-type": AMZ_JSON, "x-amzn-errortype": type } };
}

export function jsonResponse(status: number, body: object): UpstreamResponse {
  return { status, headers: { "content-type": AMZ_JSON }, body: Buffer.from(JSON.stringify(body)) };
}

export function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function reply(res: ServerResponse, answer: UpstreamResponse): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !["connection", "keep-alive", "transfer-encoding", "content-length"].includes(name)) headers[name] = value;
  }
  headers["content-length"] = String(answer.body.length);
  res.writeHead(answer.status, headers).end(answer.body);
}
