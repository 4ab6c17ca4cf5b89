/**
 * The archiver's variables (handlers/archiver.ts): `ARCHIVE_BUCKET` (required), `ARCHIVE_PREFIX` (required,
 * ends with `/`), `ARCHIVE_COMPRESSION` (`gzip` | `none`, default gzip).
 */
import { NAME_LIMITS } from "../../../semantics/name-limits";
import type { ArchiveCompression } from "../archive/format";
import type { ConsumerKind } from "./consumer";
import { longest, type EnvironmentSource, type Variables } from "./variables";

const ARCHIVER_VARIABLES = { bucket: "ARCHIVE_BUCKET", prefix: "ARCHIVE_PREFIX", compression: "ARCHIVE_COMPRESSION" } as const;

/** Where an archiver writes; `V` is the bucket name's type (a Pulumi Input in the program). */
export interface ArchiverSettings<V = string> {
  readonly bucket: V;
  /** What every key starts with; ends with `/`. */
  readonly prefix: string;
  readonly compression: ArchiveCompression;
}

/** The longest `archivePrefix` (the stack file's schema reads it from here). */
export const ARCHIVE_PREFIX_MAX_LENGTH = 128;

export function archiverEnvironment<V>(settings: ArchiverSettings<V>): Variables<V> {
  const v = ARCHIVER_VARIABLES;
  return { [v.bucket]: settings.bucket, [v.prefix]: settings.prefix, [v.compression]: settings.compression };
}

/** The archiver's settings from its environment, with errors naming the variable. */
export function archiverOptionsFromEnv(env: EnvironmentSource): ArchiverSettings {
  const v = ARCHIVER_VARIABLES;
  const bucket = env[v.bucket];
  if (!bucket) throw new Error(`${v.bucket} is not set; it must name the archive's S3 bucket.`);
  const prefix = env[v.prefix];
  if (!prefix?.endsWith("/")) throw new Error(`${v.prefix} must be a key prefix ending with /, got ${JSON.stringify(prefix ?? "")}.`);
  const compression = env[v.compression] || "gzip";
  if (compression !== "gzip" && compression !== "none") {
    throw new Error(`${v.compression} must be gzip or none, got ${JSON.stringify(compression)}.`);
  }
  return { bucket, prefix, compression };
}

export const archiverKind: ConsumerKind = {
  variables: Object.values(ARCHIVER_VARIABLES),
  longest: () =>
    archiverEnvironment({
      bucket: longest(NAME_LIMITS.s3Bucket.maxLength),
      prefix: longest(ARCHIVE_PREFIX_MAX_LENGTH),
      compression: "gzip",
    }),
};
