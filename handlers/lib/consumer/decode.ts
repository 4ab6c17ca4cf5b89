/**
 * Decoding a Lambda Kinesis event into user records: explicit base64, KPL de-aggregation.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { deaggregate } from "./kpl-deaggregate";
import type { ConsumerRecord } from "./types";

/** One user record, decoded. The idempotency key is built only when asked for. */
class DecodedRecord implements ConsumerRecord {
  constructor(
    readonly data: Buffer,
    readonly partitionKey: string,
    readonly explicitHashKey: string | undefined,
    readonly sequenceNumber: string,
    readonly subSequenceNumber: number,
    readonly aggregated: boolean,
    readonly shardId: string,
    readonly eventSourceARN: string,
    readonly approximateArrivalTimestamp: number,
  ) {}

  get idempotencyKey(): string {
    return `${this.shardId}:${this.sequenceNumber}:${this.subSequenceNumber}`;
  }
}

/** The user records of a batch, and for each the index of the Kinesis record (in `event.Records`) it came from. */
export interface DecodedBatch {
  readonly records: ConsumerRecord[];
  /** `parentIndex[i]` is the index in `event.Records` of the Kinesis record that carried `records[i]`. */
  readonly parentIndex: number[];
  /** How many Kinesis records were KPL aggregates. */
  readonly aggregatedCount: number;
}

/**
 * Turns a Lambda Kinesis event into user records in sequence order: base64-decodes each record's data and
 * de-aggregates KPL aggregates (recognised by their magic number, read by `kpl-deaggregate.ts`).
 *
 * Like the KCL, a record that starts with the magic number but whose MD5 trailer or protobuf body does not
 * check out is taken as a plain record: its producer did not aggregate it.
 */
export function decodeKinesisEvent(event: KinesisStreamEvent): DecodedBatch {
  const records: ConsumerRecord[] = [];
  const parentIndex: number[] = [];
  let aggregatedCount = 0;
  const kinesisRecords = event.Records;
  for (let i = 0; i < kinesisRecords.length; i++) {
    const eventRecord = kinesisRecords[i]!;
    const { kinesis } = eventRecord;
    const shardId = shardIdOf(eventRecord);
    const data = Buffer.from(kinesis.data, "base64");
    const userRecords = deaggregate(data);
    if (userRecords === undefined) {
      records.push(
        new DecodedRecord(
          data,
          kinesis.partitionKey,
          undefined,
          kinesis.sequenceNumber,
          0,
          false,
          shardId,
          eventRecord.eventSourceARN,
          kinesis.approximateArrivalTimestamp,
        ),
      );
      parentIndex.push(i);
      continue;
    }
    aggregatedCount++;
    for (const [subSequenceNumber, user] of userRecords.entries()) {
      records.push(
        new DecodedRecord(
          user.data,
          user.partitionKey,
          user.explicitHashKey,
          kinesis.sequenceNumber,
          subSequenceNumber,
          true,
          shardId,
          eventRecord.eventSourceARN,
          kinesis.approximateArrivalTimestamp,
        ),
      );
      parentIndex.push(i);
    }
  }
  return { records, parentIndex, aggregatedCount };
}

/** The shard ID from `eventID` (`shardId-000000000000:<sequenceNumber>`). */
function shardIdOf(record: KinesisStreamRecord): string {
  const colon = record.eventID.indexOf(":");
  return colon < 0 ? record.eventID : record.eventID.slice(0, colon);
}
