/**
 * One record as an SQS or SNS message: the body is the record's data as text when it is valid UTF-8 made of
 * the characters a message may hold, else its base64 with attribute `dataEncoding=base64`; string attributes
 * carry where the record came from. Both services count body and attributes toward the message size, and
 * both take at most 10 attributes (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import { createHash } from "node:crypto";
import { isMessageText, MAX_MESSAGE_ATTRIBUTES, messageAttributeBytes } from "../../../semantics/fanout-limits";
import type { ConsumerRecord } from "../consumer";

/** A message's body and its string attributes, by name. */
export interface RecordMessage {
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The record's data as text, or undefined when it is not valid UTF-8 or holds a character SQS and SNS refuse. */
function dataAsText(data: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return undefined;
  }
  // A message must have at least one character; an empty record goes as base64 (also empty) with its marker.
  return text.length > 0 && isMessageText(text) ? text : undefined;
}

/**
 * The message for `record`. Attributes: `partitionKey`, `sequenceNumber`, `subSequenceNumber`, `shardId`,
 * `arrivalTime` (ISO 8601, ms) and, for data that is not text, `dataEncoding` = `base64`.
 */
export function recordMessage(record: ConsumerRecord): RecordMessage {
  const text = dataAsText(record.data);
  const attributes: Record<string, string> = {
    partitionKey: record.partitionKey,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: String(record.subSequenceNumber),
    shardId: record.shardId,
    arrivalTime: new Date(Math.round(record.approximateArrivalTimestamp * 1000)).toISOString(),
  };
  if (text === undefined) attributes.dataEncoding = "base64";
  if (Object.keys(attributes).length > MAX_MESSAGE_ATTRIBUTES) throw new RangeError("a message carries at most 10 attributes");
  return { body: text ?? record.data.toString("base64"), attributes };
}

/** The `String` data type every attribute has. */
const STRING_ATTRIBUTE = "String";

/** Attributes in the shape both SDKs take (`MessageAttributeValue`). */
function messageAttributeValues(attributes: Readonly<Record<string, string>>): Record<string, { DataType: string; StringValue: string }> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: STRING_ATTRIBUTE, StringValue: value }]));
}

/** A message's size as SQS and SNS count it: body bytes plus each attribute's name, type and value. */
export function messageBytes(message: RecordMessage): number {
  let bytes = Buffer.byteLength(message.body);
  for (const [name, value] of Object.entries(message.attributes)) bytes += messageAttributeBytes(name, STRING_ATTRIBUTE, value);
  return bytes;
}

/**
 * A FIFO MessageDeduplicationId from the record's idempotency key: its SHA-256 in hex (64 characters, all
 * allowed), the same on every redelivery of the record, so a retry within 5 minutes is not delivered twice.
 */
function deduplicationId(record: ConsumerRecord): string {
  return createHash("sha256").update(record.idempotencyKey).digest("hex");
}

/** The fields an SQS SendMessageBatch entry and an SNS PublishBatch entry share, for the record at `position` of a request. */
export interface MessageEntry {
  readonly Id: string;
  /** The message text: SQS calls it `MessageBody`, SNS `Message`. */
  readonly body: string;
  readonly MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

/**
 * The entry for `record` (whose message is `message`, from {@link recordMessage}), with the FIFO group (its
 * partition key, for per-key order) and deduplication ids when `fifo`.
 */
export function messageEntry(record: ConsumerRecord, message: RecordMessage, position: number, fifo: boolean): MessageEntry {
  return {
    Id: String(position),
    body: message.body,
    MessageAttributes: messageAttributeValues(message.attributes),
    ...(fifo ? { MessageGroupId: record.partitionKey, MessageDeduplicationId: deduplicationId(record) } : {}),
  };
}

/** The refused entries of a SendMessageBatch or PublishBatch answer (`Failed`: Id = position, Code, Message). */
export function refusedEntries(
  failed: ReadonlyArray<{ Id?: string; Code?: string; Message?: string }> | undefined,
): Array<{ index: number; code: string; message: string }> {
  return (failed ?? []).map((f) => ({ index: Number(f.Id), code: f.Code ?? "Unknown", message: f.Message ?? "" }));
}

/** The record's data when it is a JSON object (as text, byte for byte), else undefined. */
function jsonObjectText(data: Buffer): string | undefined {
  const text = dataAsText(data);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record as one JSON object's text, for targets whose payload must be an object (an EventBridge detail,
 * a Step Functions input): its data byte for byte when that is a JSON object, else the wrapper
 * `{"dataBase64", "partitionKey", "sequenceNumber", "subSequenceNumber", "shardId", "arrivalTime"}`.
 */
export function jsonObjectDocument(record: ConsumerRecord): string {
  return (
    jsonObjectText(record.data) ??
    JSON.stringify({
      dataBase64: record.data.toString("base64"),
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
      shardId: record.shardId,
      arrivalTime: new Date(Math.round(record.approximateArrivalTimestamp * 1000)).toISOString(),
    })
  );
}
