/**
 * The forwarder's downstream contract: the JSON body it POSTs for one record, and the error that fails a
 * record whose delivery did not succeed.
 */
import { isRetriableHttpStatus } from "../../../semantics/errors";
import { ConsumerError } from "./errors";
import { PermanentRecordError } from "./poison";
import type { ConsumerRecord, ErrorWithLogFields } from "./types";

/** A downstream request's timeout in ms (`requestTimeoutMs`): the project's range and default. */
export const REQUEST_TIMEOUT_MS = { min: 100, max: 60_000, default: 5_000 } as const;

/**
 * How long before its deadline the forwarder stops starting records: a record can take two requests (the
 * retry after a 401/403, when the credential was rotated), plus half a second to answer the invocation. The
 * validator refuses a function timeout that leaves no room for it (config/consumer-validation.ts).
 */
export function deliveryTimeMarginMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 500;
}

/**
 * What a downstream answered, or how it could not answer: an HTTP status, `"timeout"` (no answer within the
 * request timeout) or `"network-error"` (connection refused, reset, DNS, TLS).
 */
export type DownstreamStatus = number | "timeout" | "network-error";

/**
 * A record the downstream did not accept. `retriable` tells a transient answer (5xx, 408, 429, timeout,
 * network error) from a permanent one (any other status); both fail the record, so that the mapping's retry,
 * bisect and on-failure rules decide what happens next and nothing is dropped silently.
 */
export class DeliveryError extends ConsumerError implements ErrorWithLogFields {
  readonly retriable: boolean;
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(
    readonly status: DownstreamStatus,
    /** The target without query string or credentials: safe to log. */
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retriable = isRetriable(status);
    this.logFields = { downstreamStatus: status, retriable: this.retriable, target, ...causeCode(options?.cause) };
  }
}

/** Failures to get an answer at all, and the answers that say "try again", are worth retrying; other answers are not. */
function isRetriable(status: DownstreamStatus): boolean {
  return typeof status !== "number" || isRetriableHttpStatus(status);
}

/** What the downstream answered to one POST. */
export interface DownstreamAnswer {
  readonly status: number;
  /** The answer's body, read to its end. */
  readonly text: string;
  /** The target that answered, safe to log. */
  readonly target: string;
}

/** Whether an HTTP status takes what was POSTed (any 2xx). */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Whether a status refuses what was sent for good, so that sending it again can never succeed: a 4xx other
 * than 408 and 429 (transient), 401 and 403 (the credential, not the record: isolating every record because
 * a secret expired would empty the stream into the on-failure queue). Any other answer is retried.
 */
function refusesForGood(status: number): boolean {
  return status >= 400 && status < 500 && !isRetriable(status) && status !== 401 && status !== 403;
}

/**
 * The error for an answer that is not a 2xx; `consequence` says what fails ("the record fails"). A refusal
 * for good is a {@link PermanentRecordError} (its cause the {@link DeliveryError}), which makes the record poison.
 */
export function downstreamRefusal(answer: DownstreamAnswer, consequence: string): DeliveryError | PermanentRecordError {
  const kind = isRetriable(answer.status) ? "retriable" : "permanent";
  const error = new DeliveryError(answer.status, answer.target, `The downstream answered HTTP ${answer.status} (${kind}); ${consequence}.`);
  return refusesForGood(answer.status) ? new PermanentRecordError(error.message, { cause: error, logFields: error.logFields }) : error;
}

/** The URL reduced to origin and path: query strings and user-info may carry credentials. */
export function safeTarget(url: URL): string {
  return url.origin + url.pathname;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body POSTed for one record (`Content-Type: application/json`):
 *
 * ```json
 * {"shardId":"shardId-000000000000","sequenceNumber":"4968…","subSequenceNumber":0,"partitionKey":"user-1",
 *  "approximateArrivalTimestamp":1700000000.123,"data":{"any":"JSON value"}}
 * ```
 *
 * `data` holds the record's bytes as the JSON value they spell when they are UTF-8 JSON (what the ingest
 * API stores for a record sent with `data`); otherwise `dataBase64` holds them base64-encoded (what a
 * producer sent as `dataBase64`, or any bytes that are not JSON). Exactly one of the two is present. The
 * same record always gets the same body and the same `Idempotency-Key` header, so the downstream can
 * de-duplicate redeliveries.
 */
export function deliveryBody(record: ConsumerRecord): string {
  const head =
    `{"shardId":${JSON.stringify(record.shardId)},"sequenceNumber":${JSON.stringify(record.sequenceNumber)},` +
    `"subSequenceNumber":${record.subSequenceNumber},"partitionKey":${JSON.stringify(record.partitionKey)},` +
    `"approximateArrivalTimestamp":${record.approximateArrivalTimestamp},`;
  const json = jsonText(record.data);
  // Valid JSON text is spliced in as is: parsing proves it well-formed, re-serialising would only cost time.
  return json === undefined ? `${head}"dataBase64":"${record.data.toString("base64")}"}` : `${head}"data":${json}}`;
}

/** The bytes as JSON text when they are strict UTF-8 and parse as JSON; undefined otherwise. */
function jsonText(data: Buffer): string | undefined {
  if (data.length === 0) return undefined;
  try {
    const text = utf8.decode(data);
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** `{ cause: "ECONNREFUSED" }` and the like from a fetch failure, never the cause's message. */
function causeCode(cause: unknown): Record<string, string> {
  if (!(cause instanceof Error)) return {};
  const inner = (cause as Error & { cause?: unknown }).cause;
  const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code;
  return { cause: typeof code === "string" ? code : cause.name };
}
