/**
 * The event Lambda hands a Kinesis consumer, entry by entry, in Lambda's exact shape and key order
 * (docs/aws-semantics.md#the-kinesis-event-lambda-receives; AWS Lambda developer guide, "Using Lambda with
 * Kinesis": example event). The local event source mapping, replay and the tests and benchmarks build it here.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";

/** The fields of a stream record the event carries. */
interface KinesisRecordFields {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly approximateArrivalTimestamp: Date;
}

/** What every entry of one event source's events shares. */
export interface EventSource {
  readonly streamArn: string;
  /** Lambda puts the mapping's execution role here. */
  readonly invokeIdentityArn: string;
  /** `awsRegion` of the entries. @default the region of `streamArn` */
  readonly region?: string;
}

/** Bytes of `{"Records":[]}` around the entries. */
export const EVENT_ENVELOPE_BYTES = Buffer.byteLength(JSON.stringify({ Records: [] }));

/**
 * One entry of `Records`.
 *
 * @example
 * kinesisEventRecord(record, { streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/orders", invokeIdentityArn })
 */
export function kinesisEventRecord(record: KinesisRecordFields, source: EventSource): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: Buffer.from(record.data).toString("base64"),
      approximateArrivalTimestamp: record.approximateArrivalTimestamp.getTime() / 1000,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${record.shardId}:${record.sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region ?? regionOf(source.streamArn),
    eventSourceARN: source.streamArn,
  };
}

/** The event for one batch: its entries, in shard order. */
export function kinesisEvent(records: readonly KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: [...records] };
}

/** The region field of an ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`). */
function regionOf(arn: string): string {
  const region = arn.split(":")[3];
  if (!region) throw new Error(`ARN ${arn} has no region; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`);
  return region;
}
