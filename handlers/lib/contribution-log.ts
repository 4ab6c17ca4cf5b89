/**
 * The log lines Contributor Insights rules count (`observability.contributorInsights`,
 * components/contributor-insights.ts). A rule counts one contribution per log event, so a per-key ranking needs
 * one line per key: with `LOG_PARTITION_KEYS=true` the ingest function writes, per request, one line per distinct
 * partition key with its record count and bytes, and adds the caller to every line of the request. Off by
 * default: the lines cost CloudWatch Logs ingestion (at most 500 lines of about 250 bytes for a request of 500
 * distinct keys) and each rule is billed per matched event (docs/aws-semantics.md#contributor-insights).
 */
import type { PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { Logger } from "./log";

/** The message of the per-key line: the rules' filter matches it exactly. */
export const PARTITION_KEY_MESSAGE = "partition key records";

/** The messages of the ingest function's per-request outcome lines, which carry `records` and (with the setting) `caller`. */
export const REQUEST_OUTCOME_MESSAGES = ["records stored", "records not all stored"] as const;

/**
 * Writes one line per distinct partition key of `entries`: `{partitionKey, records, bytes}`, where `bytes` is
 * the data plus the key's UTF-8 bytes, as Kinesis counts a record against a shard's 1 MiB/s write limit.
 * Records sent, not only records stored: a key that is throttled is the key to look at.
 */
export function logPartitionKeys(log: Logger, entries: readonly PutRecordsRequestEntry[]): void {
  const totals = new Map<string, { records: number; bytes: number }>();
  for (const entry of entries) {
    const key = entry.PartitionKey ?? "";
    const total = totals.get(key) ?? { records: 0, bytes: 0 };
    total.records += 1;
    total.bytes += (entry.Data?.byteLength ?? 0) + Buffer.byteLength(key, "utf8");
    totals.set(key, total);
  }
  for (const [partitionKey, total] of totals) log.info(PARTITION_KEY_MESSAGE, { partitionKey, ...total });
}

/** Who sent a request, as far as its front's event says. */
export interface CallerFields {
  /** The principal when the front authenticated one, else `ip:<source address>`, else `unknown`: the rules' key. */
  readonly caller: string;
  readonly sourceIp?: string;
}

/**
 * The caller of an HTTP API (2.0), REST API (1.0), ALB or WebSocket event: the token authorizer's `principalId`
 * (a token hash prefix, never the token), the SigV4 caller's `userArn`, a JWT's `client_id` or `sub`; and the
 * source address (an ALB's is the last `X-Forwarded-For` entry, the one the load balancer appended).
 */
export function callerOf(event: unknown): CallerFields {
  const context = field(event, "requestContext");
  const authorizer = field(context, "authorizer");
  const claims = field(field(authorizer, "jwt"), "claims") ?? field(authorizer, "claims");
  const principal =
    text(field(field(authorizer, "lambda"), "principalId")) ??
    text(field(authorizer, "principalId")) ??
    text(field(field(authorizer, "iam"), "userArn")) ??
    text(field(field(context, "identity"), "userArn")) ??
    text(field(claims, "client_id")) ??
    text(field(claims, "sub"));
  const sourceIp =
    text(field(field(context, "http"), "sourceIp")) ?? text(field(field(context, "identity"), "sourceIp")) ?? forwardedFor(event);
  return {
    caller: principal ?? (sourceIp === undefined ? "unknown" : `ip:${sourceIp}`),
    ...(sourceIp === undefined ? {} : { sourceIp }),
  };
}

/** The last `X-Forwarded-For` address of an ALB event, from `headers` or `multiValueHeaders`. */
function forwardedFor(event: unknown): string | undefined {
  const single = text(field(field(event, "headers"), "x-forwarded-for"));
  const multi = field(field(event, "multiValueHeaders"), "x-forwarded-for");
  const joined = single ?? (Array.isArray(multi) ? multi.filter((v) => typeof v === "string").join(",") : undefined);
  const last = joined?.split(",").at(-1)?.trim();
  return last === undefined || last === "" ? undefined : last;
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
