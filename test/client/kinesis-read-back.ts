/** Reads every record of a stream back (every shard, closed ones too, from TRIM_HORIZON), for tests and benches. */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { MAX_GET_RECORDS_LIMIT } from "../../semantics/limits";
import { listShards, listShardsWith } from "../../semantics/list-shards";

export interface ReadRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

export async function readAll(client: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for (const shard of await listShards(listShardsWith(client), streamName)) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: "TRIM_HORIZON" }),
    );
    while (iterator !== undefined) {
      const page = await getRecords(client, iterator);
      for (const record of page.Records ?? []) {
        out.push({
          shardId: shard.ShardId!,
          sequenceNumber: record.SequenceNumber!,
          partitionKey: record.PartitionKey!,
          data: Buffer.from(record.Data!),
        });
      }
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

/** GetRecords, waiting out read throttles (5 calls/s per shard behind the limits layer, shared with consumers). */
async function getRecords(client: KinesisClient, iterator: string) {
  for (;;) {
    try {
      return await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: MAX_GET_RECORDS_LIMIT }));
    } catch (error) {
      if ((error as Error).name !== "ProvisionedThroughputExceededException") throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
