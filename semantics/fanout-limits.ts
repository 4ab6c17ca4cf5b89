/**
 * The batch APIs the fan-out consumers publish through, as AWS documents them
 * (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge): how many entries and bytes one request takes, how
 * an entry's bytes are counted, what text a message may hold and what EventBridge accepts as an event's
 * source and detail type.
 */

/** The bounds of one batch request of a target. */
export interface BatchApiLimits {
  /** Entries per request. */
  readonly maxEntries: number;
  /** Bytes per entry and per request (the API's sum of entry sizes). */
  readonly maxBytes: number;
}

/**
 * SQS SendMessageBatch: 10 messages; each message and the batch as a whole at most 1 MiB (1,048,576 bytes),
 * body and message attributes (name, type and value) counted together.
 */
export const SQS_SEND_MESSAGE_BATCH: BatchApiLimits = { maxEntries: 10, maxBytes: 1_048_576 };

/**
 * SNS PublishBatch: 10 messages; each message and the batch at most 256 KiB (262,144 bytes) with a topic's
 * default `MaximumMessageSize`, body and attributes counted together.
 */
export const SNS_PUBLISH_BATCH: BatchApiLimits = { maxEntries: 10, maxBytes: 262_144 };

/** EventBridge PutEvents: 10 entries; the entries' sizes (see {@link putEventsEntrySize}) under 256 KB in all. */
export const EVENTBRIDGE_PUT_EVENTS: BatchApiLimits = { maxEntries: 10, maxBytes: 262_144 };

/** SQS and SNS carry at most 10 message attributes a message (SNS delivers no more to SQS subscribers). */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * The characters an SQS (and SNS) message body and string attribute may hold, the XML `Char` production:
 * `#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF`.
 */
const MESSAGE_TEXT = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Whether `text` holds only characters an SQS or SNS message may carry. */
export function isMessageText(text: string): boolean {
  return MESSAGE_TEXT.test(text);
}

/** One message attribute as SQS and SNS count it: name, data type and value, in UTF-8 bytes. */
export function messageAttributeBytes(name: string, dataType: string, value: string): number {
  return Buffer.byteLength(name) + Buffer.byteLength(dataType) + Buffer.byteLength(value);
}

/** The fields of a PutEvents entry that count toward its size. */
export interface PutEventsEntryFields {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: Date;
}

/**
 * A PutEvents entry's size as EventBridge computes it ("Calculating PutEvents event entry size"): `Time` 14
 * bytes when set, and the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each `Resources` entry.
 */
export function putEventsEntrySize(entry: PutEventsEntryFields): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType);
  if (entry.Detail !== undefined) size += Buffer.byteLength(entry.Detail);
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource);
  return size;
}

/** An event's `Source`: 1–256 characters of letters, digits, `/._-`, not starting `aws.` (reserved for AWS services). */
export const EVENT_SOURCE = { maxLength: 256, pattern: /^(?!aws\.)[/._\-A-Za-z0-9]{1,256}$/ } as const;

/** An event's `DetailType`: 1–128 characters. */
export const EVENT_DETAIL_TYPE = { maxLength: 128 } as const;

/** Why EventBridge would refuse `source` as an event's Source, or undefined. */
export function eventSourceProblem(source: string): string | undefined {
  if (source.startsWith("aws.")) return "must not start with `aws.` (reserved for AWS services)";
  return EVENT_SOURCE.pattern.test(source) ? undefined : "must be 1 to 256 letters, digits, `/`, `.`, `_` or `-`";
}

/** Why EventBridge would refuse `detailType` as an event's DetailType, or undefined. */
export function eventDetailTypeProblem(detailType: string): string | undefined {
  return detailType.length >= 1 && detailType.length <= EVENT_DETAIL_TYPE.maxLength ? undefined : "must be 1 to 128 characters";
}

/** Per-entry and whole-call error codes that mean "too fast" on these APIs (retried with backoff). */
export const FANOUT_THROTTLE_CODES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "RequestThrottled",
  "Throttled",
  "ThrottledException",
  "KMSThrottlingException",
  "KMSThrottling",
]);

/** Per-entry codes of a service fault (retried with backoff like throttling). */
export const FANOUT_FAULT_CODES: ReadonlySet<string> = new Set(["InternalFailure", "InternalError", "ServiceUnavailable"]);
