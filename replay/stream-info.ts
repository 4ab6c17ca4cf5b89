/** Reads the source stream's description and shard graph, turning "not found" into a clear error. */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type Shard,
} from "@aws-sdk/client-kinesis";
import { awsErrorName } from "../semantics/errors";
import { listShards, listShardsWith } from "../semantics/list-shards";
import { StreamNotFoundError } from "./errors";
import type { ShardInfo, StreamDescription, StreamRecord } from "./types";

/** Describes the stream and lists every shard still within retention (parents included). */
export async function describeStream(
  client: KinesisClient,
  streamName: string,
  where = "in the configured region and endpoint",
): Promise<StreamDescription> {
  try {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const streamArn = summary.StreamDescriptionSummary?.StreamARN ?? "";
    const shards: ShardInfo[] = (await listShards(listShardsWith(client), streamName)).map(toShardInfo);
    return { streamName, streamArn, shards };
  } catch (error) {
    throw notFoundOr(error, streamName, where);
  }
}

/** Fetches the one record at `sequenceNumber` of a shard (used to place `--from-sequence` in time). */
export async function readRecordAt(
  client: KinesisClient,
  streamName: string,
  shardId: string,
  sequenceNumber: string,
  where = "in the configured region and endpoint",
): Promise<StreamRecord | undefined> {
  try {
    const iterator = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        StartingSequenceNumber: sequenceNumber,
      }),
    );
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: 1 }));
    const first = page.Records?.[0];
    if (!first || first.SequenceNumber !== sequenceNumber) return undefined;
    return {
      shardId,
      sequenceNumber,
      partitionKey: first.PartitionKey ?? "",
      data: first.Data ?? new Uint8Array(),
      approximateArrivalTimestamp: first.ApproximateArrivalTimestamp ?? new Date(0),
    };
  } catch (error) {
    throw notFoundOr(error, streamName, where);
  }
}

function toShardInfo(shard: Shard): ShardInfo {
  return {
    shardId: shard.ShardId ?? "",
    parentShardId: shard.ParentShardId,
    adjacentParentShardId: shard.AdjacentParentShardId,
    startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber ?? "0",
    endingSequenceNumber: shard.SequenceNumberRange?.EndingSequenceNumber,
  };
}

function notFoundOr(error: unknown, streamName: string, where: string): unknown {
  return awsErrorName(error) === "ResourceNotFoundException" ? new StreamNotFoundError(streamName, where) : error;
}
