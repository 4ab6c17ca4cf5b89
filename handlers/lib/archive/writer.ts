/**
 * Writes one archive object: a request's records (one shard, one arrival hour, in sequence order) as NDJSON,
 * gzip-compressed or not, in one PutObject under the key `archiveObjectKey` names. S3 adds an object whole
 * or not at all, and the same records always make the same key, so a retried request replaces the object
 * instead of adding a second copy (docs/aws-semantics.md#s3-archive-objects).
 */
import { gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ConsumerRecord, ErrorWithLogFields } from "../consumer/types";
import { archiveLine, archiveObjectKey, PARENT_SHARDS_METADATA, parentShardsValue, type ArchiveCompression } from "./format";

/** Where and how the archive is written. */
export interface ArchiveTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Ends with `/`. */
  readonly prefix: string;
  readonly compression: ArchiveCompression;
}

/** The media type of an NDJSON object (the encoding, gzip or none, is the object's ContentEncoding). */
const NDJSON_CONTENT_TYPE = "application/x-ndjson";

/** An object body: NDJSON lines, each ending with a newline, compressed as asked. */
function archiveBody(records: readonly ConsumerRecord[], compression: ArchiveCompression): Buffer {
  const text = Buffer.from(records.map((record) => `${archiveLine(record)}\n`).join(""), "utf8");
  return compression === "gzip" ? gzipSync(text) : text;
}

/** A PutObject that did not succeed: the request's records fail, and the mapping retries them. */
class ArchiveWriteError extends Error implements ErrorWithLogFields {
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(
    readonly bucket: string,
    readonly key: string,
    cause: unknown,
  ) {
    const s3Error = cause instanceof Error ? cause.name : String(cause);
    const httpStatus = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    super(`S3 did not store archive object s3://${bucket}/${key} (${s3Error}); its records fail and are retried.`, { cause });
    this.name = "ArchiveWriteError";
    this.logFields = { bucket, key, s3Error, ...(httpStatus === undefined ? {} : { httpStatus }) };
  }
}

/**
 * Puts the object holding `records`, recording `parentShardIds` (their shard's parents) in its metadata;
 * resolves with its key, or throws {@link ArchiveWriteError}.
 */
export async function writeArchiveObject(
  target: ArchiveTarget,
  records: readonly ConsumerRecord[],
  parentShardIds: readonly string[],
): Promise<string> {
  const key = archiveObjectKey(target.prefix, records, target.compression);
  const body = archiveBody(records, target.compression);
  try {
    await target.s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: body,
        ContentType: NDJSON_CONTENT_TYPE,
        Metadata: { [PARENT_SHARDS_METADATA]: parentShardsValue(parentShardIds) },
        ...(target.compression === "gzip" ? { ContentEncoding: "gzip" } : {}),
      }),
    );
  } catch (error) {
    throw new ArchiveWriteError(target.bucket, key, error);
  }
  return key;
}
