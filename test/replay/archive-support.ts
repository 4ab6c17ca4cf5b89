/** Test support for `replay --from-archive`: archive objects written exactly as the archiver writes them, on fauxqs S3. */
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  archiveLine,
  archiveObjectKey,
  PARENT_SHARDS_METADATA,
  parentShardsValue,
  type ArchiveCompression,
} from "../../handlers/lib/archive/format";
import type { ConsumerRecord } from "../../handlers/lib/consumer/types";
import { LOCAL_REGION } from "../../local/emulators";

/** An S3 client for fauxqs (path-style: bucket names do not resolve as host names on 127.0.0.1). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** A user record as the consumer runtime hands it to the archiver. */
export function userRecord(
  shard: number,
  sequenceNumber: string,
  arrival: Date,
  data: Buffer | string,
  over: Partial<ConsumerRecord> = {},
): ConsumerRecord {
  const shardId = `shardId-${String(shard).padStart(12, "0")}`;
  const subSequenceNumber = over.subSequenceNumber ?? 0;
  return {
    data: Buffer.isBuffer(data) ? data : Buffer.from(data),
    partitionKey: "k",
    explicitHashKey: undefined,
    sequenceNumber,
    subSequenceNumber,
    aggregated: false,
    shardId,
    eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/orders",
    approximateArrivalTimestamp: arrival.getTime() / 1000,
    idempotencyKey: `${shardId}:${sequenceNumber}:${subSequenceNumber}`,
    ...over,
  };
}

/** The object body the archiver writes: one line per record, each ending in a newline, gzip by default. */
export function archiveBody(records: readonly ConsumerRecord[], compression: ArchiveCompression = "gzip"): Buffer {
  const text = records.map((record) => archiveLine(record) + "\n").join("");
  return compression === "gzip" ? gzipSync(text) : Buffer.from(text);
}

/**
 * Writes one archive object; resolves with its key. `body` overrides the content (truncated, not NDJSON);
 * `parentShards` records the shard's lineage as the archiver does (left out: an object from before lineage).
 */
export async function putArchiveObject(
  s3: S3Client,
  bucket: string,
  prefix: string,
  records: readonly ConsumerRecord[],
  options: { compression?: ArchiveCompression; body?: Buffer; parentShards?: readonly string[] } = {},
): Promise<string> {
  const compression = options.compression ?? "gzip";
  const key = archiveObjectKey(prefix, records, compression);
  const metadata =
    options.parentShards === undefined ? {} : { Metadata: { [PARENT_SHARDS_METADATA]: parentShardsValue(options.parentShards) } };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: options.body ?? archiveBody(records, compression), ...metadata }));
  return key;
}

/** Creates a bucket. */
export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** 2026-05-28T20:00Z plus `minutes`: the fixtures' arrival times. */
export function at(minutes: number): Date {
  return new Date(Date.parse("2026-05-28T20:00:00.000Z") + minutes * 60_000);
}

/** The JSON data of fixture record (shard, seq, sub). */
export function json(shard: number, seq: number, sub = 0): string {
  return JSON.stringify({ shard, seq, sub });
}
