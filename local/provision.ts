/**
 * Creates what the stack's resources would be on AWS, inside the emulators: the stream with its shards,
 * one on-failure queue per consumer, the consumers' tables and the archivers' buckets. Idempotent, so a restart against a running emulator works.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, ResourceInUseException, type KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { consumerTableName, idempotencyTableName, type StackNames } from "../config/names";
import type { ConsumerConfig, StackConfig, StreamConfig } from "../config/types";
import { createIdempotencyTable, createTable } from "./dynamodb";

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
async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Where the stack's resources are created. */
export interface ProvisionClients {
  /** The emulator itself, not the limits proxy: creating the stream is not traffic. */
  readonly kinesis: KinesisClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
}

/** What the stack's resources are called once created. */
export interface ProvisionedStack {
  readonly streamArn: string;
  /** Each consumer's on-failure queue. */
  readonly queues: ReadonlyMap<string, LocalQueue>;
  /** Each consumer's `tables`: table key → physical name. */
  readonly tables: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The bucket an archiver writes to: its `bucketName` (created here, as it exists on AWS) or the stack's bucket. */
  readonly archiveBucketOf: (consumer: ConsumerConfig) => string;
}

/** Creates, side by side, the stream, every consumer's queue and tables, and the archivers' buckets. */
export async function provisionStack(
  config: StackConfig,
  names: StackNames,
  stack: string,
  clients: ProvisionClients,
): Promise<ProvisionedStack> {
  const consumers = Object.values(config.consumers);
  const { sqs, s3, dynamodb } = clients;
  const tables = Object.fromEntries(
    consumers.map((c) => [c.name, Object.fromEntries(Object.keys(c.tables).map((t) => [t, consumerTableName(stack, c.name, t)]))]),
  );
  const archiveBucketOf = (c: ConsumerConfig) => c.archive?.bucketName ?? names.archiveBucket;
  const buckets = new Set(consumers.filter((c) => c.archive !== undefined).map(archiveBucketOf));
  const [streamArn, queues] = await Promise.all([
    createStream(clients.kinesis, names.stream, localShardCount(config.stream), config.stream.maxRecordSizeKiB),
    Promise.all(consumers.map((c) => createQueue(sqs, names.consumers[c.name]!.queue))),
    ...[...buckets].map((bucket) => createBucket(s3, bucket)),
    ...consumers.flatMap((c) => Object.entries(c.tables).map(([t, spec]) => createTable(dynamodb, tables[c.name]![t]!, spec))),
    ...consumers
      .filter((c) => c.idempotency === "dynamodb")
      .map((c) => createIdempotencyTable(dynamodb, idempotencyTableName(stack, c.name))),
  ]);
  return { streamArn, queues: new Map(consumers.map((c, i) => [c.name, queues[i]!])), tables, archiveBucketOf };
}
