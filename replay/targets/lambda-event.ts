/**
 * The Kinesis event Lambda hands a consumer (Lambda developer guide, "Using Lambda with Kinesis"), built
 * from replayed records so a consumer cannot tell a replay from its event source mapping.
 */
import type { StreamRecord } from "../types";

/** One entry of `Records`. */
export interface KinesisEventRecord {
  readonly kinesis: {
    readonly kinesisSchemaVersion: "1.0";
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** Base64. */
    readonly data: string;
    /** Epoch seconds, fractional. */
    readonly approximateArrivalTimestamp: number;
  };
  readonly eventSource: "aws:kinesis";
  readonly eventVersion: "1.0";
  readonly eventID: string;
  readonly eventName: "aws:kinesis:record";
  readonly invokeIdentityArn: string;
  readonly awsRegion: string;
  readonly eventSourceARN: string;
}

/** The whole event. */
export interface KinesisEvent {
  readonly Records: KinesisEventRecord[];
}

/** Where the event says it came from. */
export interface EventSource {
  readonly streamArn: string;
  readonly region: string;
  /** Lambda puts the mapping's execution role here; a replay puts the identity it names. */
  readonly invokeIdentityArn: string;
}

/** Builds the event for one batch (records of one shard, in order). */
export function toKinesisEvent(records: readonly StreamRecord[], source: EventSource): KinesisEvent {
  return {
    Records: records.map((record) => ({
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
      awsRegion: source.region,
      eventSourceARN: source.streamArn,
    })),
  };
}

/** The identity a replay names in its events: a role in the stream's account, named for the tool. */
export function defaultInvokeIdentityArn(streamArn: string): string {
  const account = streamArn.split(":")[4] || "000000000000";
  return `arn:aws:iam::${account}:role/kinesis-ingest-replay`;
}
