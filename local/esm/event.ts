/**
 * Builds the event Lambda hands a Kinesis consumer, entry by entry, in Lambda's exact shape
 * ("Using Lambda with Kinesis", AWS Lambda developer guide: example event).
 */
import type { _Record } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { ShardRecord } from "./types";

/** Lambda's synchronous invocation payload limit, which also caps a batch: 6 MB. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Bytes of `{"Records":[]}` around the entries. */
export const EVENT_ENVELOPE_BYTES = Buffer.byteLength(JSON.stringify({ Records: [] }));

/** What every entry of a mapping's events shares. */
export interface EventSource {
  readonly streamArn: string;
  readonly invokeIdentityArn: string;
}

/** Turns a GetRecords record into the engine's {@link ShardRecord}, building its event entry. */
export function toShardRecord(record: _Record, shardId: string, source: EventSource): ShardRecord {
  const sequenceNumber = required(record.SequenceNumber, "SequenceNumber");
  const partitionKey = required(record.PartitionKey, "PartitionKey");
  const arrivalMs = required(record.ApproximateArrivalTimestamp, "ApproximateArrivalTimestamp").getTime();
  const event: KinesisStreamRecord = {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey,
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString("base64"),
      approximateArrivalTimestamp: arrivalMs / 1000,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: regionOf(source.streamArn),
    eventSourceARN: source.streamArn,
  };
  return { shardId, sequenceNumber, partitionKey, arrivalMs, event, eventBytes: Buffer.byteLength(JSON.stringify(event)) + 1 };
}

/** The event for one batch. */
export function toKinesisEvent(records: readonly ShardRecord[]): KinesisStreamEvent {
  return { Records: records.map((record) => record.event) };
}

/** The region field of an ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`). */
export function regionOf(arn: string): string {
  const region = arn.split(":")[3];
  if (!region) throw new Error(`ARN ${arn} has no region; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`);
  return region;
}

/** The role Lambda would assume for the function: `arn:aws:iam::ACCOUNT:role/NAME-role`. */
export function defaultInvokeIdentityArn(functionArn: string): string {
  const [, , , , account, , name] = functionArn.split(":");
  if (!account || !name) {
    throw new Error(`functionArn ${functionArn} is not arn:aws:lambda:REGION:ACCOUNT:function:NAME`);
  }
  return `arn:aws:iam::${account}:role/${name}-role`;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`GetRecords returned a record without ${field}`);
  return value;
}
