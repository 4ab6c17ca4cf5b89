/** `--from-archive s3://BUCKET/PREFIX`: the archive's bucket and key prefix. */
import { UsageError } from "../errors";

/** Where an archive is. `prefix` is empty or ends with `/`, as the writer's hour prefixes expect. */
export interface ArchiveLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://BUCKET/PREFIX` (the prefix may be empty). A prefix not ending in `/` gets one: the archive
 * is laid out as `<prefix>YYYY/MM/DD/HH/`, so `s3://b/orders` and `s3://b/orders/` name the same archive.
 */
export function parseArchiveLocation(text: string): ArchiveLocation {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  const bucket = match?.[1];
  if (!match || bucket === undefined || !BUCKET_NAME.test(bucket)) {
    throw new UsageError(`--from-archive must look like s3://BUCKET/PREFIX (a valid bucket name), got "${text}".`);
  }
  const prefix = match[2] ?? "";
  return { bucket, prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/` };
}

/** `s3://bucket/prefix` for reports and the checkpoint scope. */
export function describeArchive(location: ArchiveLocation): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
