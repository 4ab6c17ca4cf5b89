/**
 * Stream set-up and read-back against a real Kinesis emulator, so tests prove what was (or was not)
 * written with GetRecords rather than by trusting the handler's answer.
 */
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from "@aws-sdk/client-kinesis";
import { MAX_GET_RECORDS_LIMIT } from "../../../semantics/limits";
import { listShards, listShardsWith } from "../../../semantics/list-shards";

/** A record as read back from the stream. */
export interface StoredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

let streams = 0;

/** Creates a uniquely named stream with `shards` shards and waits until it is ACTIVE. */
export async function createTestStream(client: KinesisClient, shards = 1, prefix = "ingest-test"): Promise<string> {
  const name = `${prefix}-${process.pid}-${++streams}`;
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: name }));
    if (StreamDescription?.StreamStatus === "ACTIVE") return name;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Stream ${name} did not become ACTIVE.`);
}

/** Every record in the stream, shard by shard from TRIM_HORIZON, in sequence order within a shard. */
export async function readAllRecords(client: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for (const shard of await listShards(listShardsWith(client), streamName)) {
    const shardId = shard.ShardId!;
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: MAX_GET_RECORDS_LIMIT }));
      const records = page.Records ?? [];
      for (const r of records) {
        out.push({ shardId, sequenceNumber: r.SequenceNumber!, partitionKey: r.PartitionKey!, data: Buffer.from(r.Data!) });
      }
      if (records.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}
