/**
 * Creates what the stack's resources would be on AWS, inside the emulators: the stream with its shards,
 * one on-failure queue per consumer and the archivers' buckets. Idempotent, so a restart against a running emulator works.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, ResourceInUseException, type KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { StreamConfig } from "../config/types";

/** Shards an on-demand stream gets locally: the emulators have no on-demand mode. */
const ON_DEMAND_LOCAL_SHARDS = 4;

/** The shard count to create locally for a stream's configuration. */
export function localShardCount(stream: StreamConfig): number {
  return stream.mode === "on-demand" ? ON_DEMAND_LOCAL_SHARDS : stream.shards;
}

/**
 * Creates `streamName` with `shardCount` shards and the stream's maximum record size (or keeps the existing one)
 * and waits until it is ACTIVE. kinesis-local takes `MaxRecordSizeInKiB` and then stores records up to it;
 * kinesalite ignores it (the limits proxy enforces the size in front of either).
 */
export async function createStream(
  kinesis: KinesisClient,
  streamName: string,
  shardCount: number,
  maxRecordSizeKiB?: number,
): Promise<string> {
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount, MaxRecordSizeInKiB: maxRecordSizeKiB }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return waitForStreamActive(kinesis, streamName);
}

/** Polls DescribeStreamSummary every 50 ms until the stream is ACTIVE; returns its ARN. */
async function waitForStreamActive(kinesis: KinesisClient, streamName: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary?.StreamStatus === "ACTIVE" && summary.StreamARN) return summary.StreamARN;
    if (Date.now() > deadline) {
      throw new Error(`Stream ${streamName} is still ${summary?.StreamStatus} after ${timeoutMs} ms; expected ACTIVE.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A created on-failure queue. */
export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
}

/** Creates (or finds) the SQS queue `queueName` (a FIFO queue when `fifo`; its name then ends `.fifo`). */
export async function createQueue(sqs: SQSClient, queueName: string, fifo = false): Promise<LocalQueue> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName, Attributes: fifo ? { FifoQueue: "true" } : undefined }),
  );
  if (!QueueUrl) throw new Error(`CreateQueue ${queueName} returned no QueueUrl.`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? "" };
}

/** Creates the S3 bucket `bucket` (CreateBucket is idempotent on fauxqs). */
export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}
