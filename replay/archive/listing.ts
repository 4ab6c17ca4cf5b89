/**
 * Lists the archive objects of a time range: only the hour prefixes (`<prefix>YYYY/MM/DD/HH/`) from the
 * range's first hour to its last, each with ListObjectsV2 followed page by page (at most 1,000 keys a page),
 * and reads each key's name back into its shard and sequence range.
 */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { archiveHourPrefix } from "../../handlers/lib/archive/format";
import { awsErrorName } from "../../semantics/errors";
import { ArchiveBucketError } from "../errors";
import type { ArchiveLocation } from "./location";
import type { ArchivePosition } from "./position";

/** One listed object and what its name says it holds. */
export interface ArchiveObject {
  readonly key: string;
  /** Absent when the name is not an archive object's name (the object is reported as bad). */
  readonly range?: { readonly shardId: string; readonly first: ArchivePosition; readonly last: ArchivePosition };
}

const HOUR_MS = 3_600_000;

/** `<shardId>-<first seq>-<first sub>-<last seq>-<last sub>.ndjson[.gz]`; the shard id itself holds a `-`. */
const OBJECT_NAME = /^(.+)-(\d+)-(\d+)-(\d+)-(\d+)\.ndjson(?:\.gz)?$/;

/** The hour prefixes covering arrival times in [from, to). */
function hourPrefixes(prefix: string, from: Date, to: Date): string[] {
  const prefixes: string[] = [];
  for (let hour = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; hour < to.getTime(); hour += HOUR_MS) {
    prefixes.push(archiveHourPrefix(prefix, hour));
  }
  return prefixes;
}

/** Every object under the range's hour prefixes. `where` completes the bucket errors (`in us-east-1 at …`). */
export async function listArchiveObjects(
  s3: S3Client,
  location: ArchiveLocation,
  from: Date,
  to: Date,
  where: string,
): Promise<ArchiveObject[]> {
  const objects: ArchiveObject[] = [];
  for (const hourPrefix of hourPrefixes(location.prefix, from, to)) {
    let token: string | undefined;
    do {
      const page = await listPage(s3, location, hourPrefix, token, where);
      for (const entry of page.Contents ?? []) {
        if (entry.Key !== undefined) objects.push({ key: entry.Key, range: rangeOf(entry.Key.slice(hourPrefix.length)) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return objects;
}

async function listPage(s3: S3Client, location: ArchiveLocation, prefix: string, token: string | undefined, where: string) {
  try {
    return await s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix, ContinuationToken: token }));
  } catch (error) {
    const name = awsErrorName(error);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === "NoSuchBucket") {
      throw new ArchiveBucketError(
        location.bucket,
        `Archive bucket "${location.bucket}" does not exist ${where}. Check --from-archive, --region and --endpoint.`,
      );
    }
    if (name === "AccessDenied" || status === 403) {
      throw new ArchiveBucketError(
        location.bucket,
        `Access to archive bucket "${location.bucket}" was denied ${where}: reading the archive needs s3:ListBucket on the bucket ` +
          `and s3:GetObject on "${location.prefix}*".`,
      );
    }
    throw error;
  }
}

function rangeOf(name: string): ArchiveObject["range"] {
  const [, shardId, firstSequence, firstSub, lastSequence, lastSub] = OBJECT_NAME.exec(name) ?? [];
  if (shardId === undefined || firstSequence === undefined || firstSub === undefined || lastSequence === undefined || lastSub === undefined)
    return undefined;
  if (name.includes("/")) return undefined;
  return {
    shardId,
    first: { sequenceNumber: BigInt(firstSequence), subSequenceNumber: Number(firstSub) },
    last: { sequenceNumber: BigInt(lastSequence), subSequenceNumber: Number(lastSub) },
  };
}
