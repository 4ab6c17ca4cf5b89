/**
 * Decoding a Lambda Kinesis event into user records: explicit base64, KPL de-aggregation.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { UserRecord } from "aws-kinesis-agg";
import type { ConsumerRecord } from "./types";

type Deaggregate = (typeof import("aws-kinesis-agg"))["deaggregateSync"];
let deaggregateSync: Deaggregate | undefined;

/**
 * The de-aggregation module alone, loaded on the first aggregate: the package index also loads the
 * aggregator and its `async` dependency (24 KB of bundle), and protobufjs builds its schema when loaded, which
 * a stream without aggregates should not pay for at cold start (see bench/cold-start.bench.ts).
 */
function deaggregator(): Deaggregate {
  deaggregateSync ??= (require("aws-kinesis-agg/lib/kpl-deagg") as { deaggregateSync: Deaggregate }).deaggregateSync;
  return deaggregateSync;
}

/** The first 4 bytes of every KPL aggregated record (aws-kinesis-agg's `common.magicNumber`). */
const KPL_MAGIC = [0xf3, 0x89, 0x9a, 0xc2] as const;
/** Magic number + at least an empty protobuf message + the 16-byte MD5 trailer. */
const KPL_MIN_LENGTH = KPL_MAGIC.length + 16;

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
 * de-aggregates KPL aggregates (recognised by their magic number) with `aws-kinesis-agg`.
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
    const userRecords = hasKplMagic(data) ? deaggregate(eventRecord) : undefined;
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
    for (const user of userRecords) {
      records.push(
        new DecodedRecord(
          Buffer.from(user.data, "base64"),
          user.partitionKey,
          user.explicitPartitionKey,
          kinesis.sequenceNumber,
          user.subSequenceNumber,
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

function hasKplMagic(data: Buffer): boolean {
  return (
    data.length >= KPL_MIN_LENGTH &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

/** The user records of an aggregate with a valid checksum; undefined when it is not a valid aggregate. */
function deaggregate(record: KinesisStreamRecord): UserRecord[] | undefined {
  let result: UserRecord[] | undefined;
  let failed = false;
  // deaggregateSync reports through a callback that it calls once per bad user record and once at the end.
  deaggregator()(record.kinesis, true, (error, userRecords) => {
    if (error) failed = true;
    else result = userRecords;
  });
  return failed ? undefined : result;
}
