/**
 * Realistic Lambda Kinesis events for the consumer and forwarder tests, shaped exactly as the event source
 * mapping delivers them (base64 `data`, `eventID` `shardId-…:<seq>`, `approximateArrivalTimestamp` in epoch
 * seconds): built in memory (`InMemoryKinesisEvents`, for unit tests), or written to kinesalite and read back
 * with GetRecords (`KinesisEventSource`, for tests that also call the stream). test/handlers/kinesis-events.test.ts
 * holds the two to the same shape. KPL aggregates are produced with aws-kinesis-agg's own aggregator.
 */
import type { KinesisStreamEvent } from "aws-lambda";
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { LOCAL_ACCOUNT, LOCAL_REGION, localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { kinesisEvent, kinesisEventRecord } from "../../semantics/lambda-event";
import { MAX_GET_RECORDS_LIMIT } from "../../semantics/limits";

/** A record to write: bytes (or a string, UTF-8) under a partition key. */
export interface PlainEntry {
  readonly partitionKey: string;
  readonly data: string | Buffer;
}

/** A KPL aggregate to write: its user records, each with its own partition key. */
export interface AggregateEntry {
  readonly aggregate: readonly PlainEntry[];
}

export type StreamEntry = PlainEntry | AggregateEntry;

interface EncodedAggregate {
  readonly partitionKey: string;
  readonly data: Buffer;
}
interface RecordAggregatorInstance {
  addUserRecord(record: { partitionKey: string; data: Buffer }): void;
  build(): EncodedAggregate;
}
// RecordAggregator is exported by aws-kinesis-agg but missing from its type declarations.

const { RecordAggregator } = require("aws-kinesis-agg") as { RecordAggregator: new () => RecordAggregatorInstance };

/** KPL-aggregates user records into one Kinesis record body with aws-kinesis-agg. */
export function kplAggregate(userRecords: readonly PlainEntry[]): EncodedAggregate {
  const aggregator = new RecordAggregator();
  for (const user of userRecords) {
    aggregator.addUserRecord({ partitionKey: user.partitionKey, data: Buffer.from(user.data) });
  }
  return aggregator.build();
}

/**
 * Events of one-shard streams built in memory: what `KinesisEventSource` reads back from kinesalite, without
 * an emulator. Sequence numbers have Kinesis's form (56 decimal digits, increasing in write order).
 */
export class InMemoryKinesisEvents {
  private streamCount = 0;
  private nextSequence = 49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

  /** The entries, in order, as one Lambda event of a fresh one-shard stream. */
  eventOf(entries: readonly StreamEntry[]): Promise<KinesisStreamEvent> {
    const streamName = `consumer-test-${++this.streamCount}`;
    const source = {
      streamArn: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`,
      invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/consumer-test`,
      region: LOCAL_REGION,
    };
    const records = entries.map((entry) => {
      const { partitionKey, data } = "aggregate" in entry ? kplAggregate(entry.aggregate) : entry;
      // Kinesis leaves gaps between a shard's sequence numbers; consumers may rely only on their order.
      this.nextSequence += 1_000_000_000n;
      const shardRecord = {
        shardId: "shardId-000000000000",
        sequenceNumber: this.nextSequence.toString(),
        partitionKey,
        data: Buffer.from(data),
        approximateArrivalTimestamp: new Date(),
      };
      return kinesisEventRecord(shardRecord, source);
    });
    return Promise.resolve(kinesisEvent(records));
  }
}

/** A one-shard kinesalite stream that turns written entries into the event Lambda would receive. */
export class KinesisEventSource {
  private streamCount = 0;

  private constructor(
    private readonly emulator: RunningEmulator,
    /** A client of the emulator the events' streams live on (their shards can be listed or split). */
    readonly client: KinesisClient,
  ) {}

  static async start(): Promise<KinesisEventSource> {
    const emulator = await startKinesalite();
    return new KinesisEventSource(emulator, localKinesisClient(emulator.endpoint));
  }

  /** Writes the entries in order to a fresh one-shard stream and returns them as one Lambda event. */
  async eventOf(entries: readonly StreamEntry[]): Promise<KinesisStreamEvent> {
    const streamName = `consumer-test-${++this.streamCount}`;
    await this.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    const described = await this.waitActive(streamName);
    for (const entry of entries) {
      const { partitionKey, data } = "aggregate" in entry ? kplAggregate(entry.aggregate) : entry;
      await this.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: partitionKey, Data: Buffer.from(data) }));
    }
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: described.shardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    const read = await this.client.send(new GetRecordsCommand({ ShardIterator, Limit: MAX_GET_RECORDS_LIMIT }));
    const source = {
      streamArn: described.streamArn,
      invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/consumer-test`,
      region: LOCAL_REGION,
    };
    const records = (read.Records ?? []).map((record) =>
      kinesisEventRecord(
        {
          shardId: described.shardId,
          sequenceNumber: record.SequenceNumber!,
          partitionKey: record.PartitionKey!,
          data: record.Data!,
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp!,
        },
        source,
      ),
    );
    if (records.length !== entries.length) {
      throw new Error(`Read back ${records.length} records from ${streamName}, wrote ${entries.length}.`);
    }
    return kinesisEvent(records);
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await this.emulator.stop();
  }

  private async waitActive(streamName: string): Promise<{ shardId: string; streamArn: string }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamName: streamName }));
      if (StreamDescription?.StreamStatus === "ACTIVE") {
        return { shardId: StreamDescription.Shards![0]!.ShardId!, streamArn: StreamDescription.StreamARN! };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`Stream ${streamName} did not become ACTIVE.`);
  }
}

/** The sequence numbers of an event's records, in order. */
export function sequenceNumbers(event: KinesisStreamEvent): string[] {
  return event.Records.map((record) => record.kinesis.sequenceNumber);
}
