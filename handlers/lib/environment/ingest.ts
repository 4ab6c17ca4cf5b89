/**
 * The ingest function's variables (handlers/ingest.ts): `STREAM_NAME` (required); `INGEST_DEADLINE_MS`
 * (optional: milliseconds from the invocation's start by which the last PutRecords call must have finished, so
 * the answer reaches the client before its front gives up; set per front, config/ingest-budget.ts);
 * `MAX_RECORD_SIZE_KIB` (optional: `stream.maxRecordSizeKiB`; unset, 1 MiB); `LOG_PARTITION_KEYS` (optional,
 * `true`: the per-key lines of handlers/lib/contribution-log.ts); `TOKEN_SECRET_ID` (optional: checks bearer
 * tokens in the function, for the ALB front, which has no gateway authorizer); and the SDK's own
 * `AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`, which the local stack sets for the websocket front's answers.
 */
import { RECORD_SIZE_KIB } from "../../../semantics/large-records";
import { AUTHORIZER_VARIABLES } from "./authorizer";
import type { EnvironmentSource, Variables } from "./variables";

const INGEST_VARIABLES = {
  streamName: "STREAM_NAME",
  deadlineMs: "INGEST_DEADLINE_MS",
  maxRecordSizeKiB: "MAX_RECORD_SIZE_KIB",
  logPartitionKeys: "LOG_PARTITION_KEYS",
  tokenSecretId: AUTHORIZER_VARIABLES.tokenSecretId,
  connectionsEndpoint: "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI",
} as const;

/** The ingest function's settings; `V` is a Pulumi Input in the program. */
export interface IngestSettings<V = string> {
  readonly streamName: V;
  readonly maxRecordSizeKiB: number;
  readonly deadlineMs?: number;
  readonly logPartitionKeys?: boolean;
  /** The API token secret, when the function checks tokens itself. */
  readonly tokenSecretId?: V;
  /** The `@connections` endpoint, when not the SDK's default. */
  readonly connectionsEndpoint?: string;
}

export function ingestEnvironment<V>(s: IngestSettings<V>): Variables<V> {
  const v = INGEST_VARIABLES;
  return {
    [v.streamName]: s.streamName,
    ...(s.deadlineMs === undefined ? {} : { [v.deadlineMs]: String(s.deadlineMs) }),
    [v.maxRecordSizeKiB]: String(s.maxRecordSizeKiB),
    ...(s.logPartitionKeys ? { [v.logPartitionKeys]: "true" } : {}),
    ...(s.tokenSecretId === undefined ? {} : { [v.tokenSecretId]: s.tokenSecretId }),
    ...(s.connectionsEndpoint === undefined ? {} : { [v.connectionsEndpoint]: s.connectionsEndpoint }),
  };
}

/** The ingest function's settings from its environment, with errors naming the variable. */
export function ingestFromEnv(env: EnvironmentSource): IngestSettings {
  const v = INGEST_VARIABLES;
  const streamName = env[v.streamName];
  if (!streamName) throw new Error(`${v.streamName} is not set: the ingest function needs the name of the stream it writes to.`);
  return {
    streamName,
    maxRecordSizeKiB: recordSizeKiBFromEnv(env[v.maxRecordSizeKiB]),
    deadlineMs: deadlineFromEnv(env[v.deadlineMs]),
    logPartitionKeys: env[v.logPartitionKeys] === "true",
    tokenSecretId: env[v.tokenSecretId] || undefined,
    connectionsEndpoint: env[v.connectionsEndpoint] || undefined,
  };
}

/** `MAX_RECORD_SIZE_KIB`: unset means Kinesis's default 1 MiB; else an integer from 1024 to 10240. */
export function recordSizeKiBFromEnv(text: string | undefined): number {
  if (text === undefined || text === "") return RECORD_SIZE_KIB.default;
  const kib = Number(text);
  if (!Number.isInteger(kib) || kib < RECORD_SIZE_KIB.min || kib > RECORD_SIZE_KIB.max)
    throw new Error(
      `${INGEST_VARIABLES.maxRecordSizeKiB} must be an integer of KiB from ${RECORD_SIZE_KIB.min} to ${RECORD_SIZE_KIB.max}, got ${JSON.stringify(text)}.`,
    );
  return kib;
}

/** `INGEST_DEADLINE_MS`: a positive integer, or unset. */
function deadlineFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new Error(`${INGEST_VARIABLES.deadlineMs} must be a positive integer of milliseconds, got ${JSON.stringify(text)}.`);
  return ms;
}
