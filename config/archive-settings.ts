/**
 * The keys of an `archiver` consumer: `compression`, `bucketName`, `archivePrefix` and `archiveRetentionDays`,
 * read into one {@link ArchiveSettings} (defaults filled in), refused on any other handler; and the check that
 * two archivers writing to one bucket never share a prefix. Every problem recorded
 * (docs/aws-semantics.md#s3-archive-objects).
 */
import { bucketNameViolation, SAFE_KEY_CHARACTERS } from "../semantics/s3";
import { integer, oneOf, Problems, type RawObject } from "./rules";
import { ARCHIVE_SETTINGS } from "./schema/consumer-kinds";
import { bounds, defaultsOf, keysOf } from "./schema/kit";
import type { ArchiveSettings, ConsumerConfig } from "./types";

/** The keys only an archiver reads. */
export const ARCHIVE_KEYS = keysOf(ARCHIVE_SETTINGS);

/** Gzip objects, kept a year in the stack's bucket; the prefix defaults to `<consumer>/`. */
const DEFAULTS = defaultsOf(ARCHIVE_SETTINGS);

/**
 * The longest `archivePrefix`: its variable (with the bucket and compression ones, 245 bytes) fits the
 * environment bytes the program keeps for itself, and its keys stay far below S3's 1,024 bytes (the date
 * path and the shard and sequence name add at most about 330).
 */
const MAX_PREFIX_LENGTH = ARCHIVE_SETTINGS.archivePrefix.maxLength;

/**
 * An archiver's settings, or undefined for any other handler (each archive key it sets is then a problem).
 * `archiveRetentionDays` is refused with `bucketName`: the stack does not own that bucket's lifecycle.
 */
export function readArchive(
  p: Problems,
  path: string,
  name: string,
  handler: string | undefined,
  c: RawObject,
): ArchiveSettings | undefined {
  const at = (key: string) => `${path}.${key}`;
  if (handler !== "archiver") {
    for (const key of ARCHIVE_KEYS) {
      if (handler !== undefined && c[key] !== undefined)
        p.say(`\`${at(key)}\` applies only to handler archiver; ${JSON.stringify(handler)} does not read it`);
    }
    return undefined;
  }
  const before = p.list.length;
  const compression = oneOf(p, at("compression"), c.compression ?? DEFAULTS.compression, ARCHIVE_SETTINGS.compression.enum);
  const bucketName = c.bucketName === undefined ? undefined : readBucketName(p, at("bucketName"), c.bucketName);
  const prefix = readPrefix(p, at("archivePrefix"), c.archivePrefix ?? `${name}/`);
  let retentionDays: number | undefined;
  if (c.bucketName !== undefined && c.archiveRetentionDays !== undefined) {
    p.say(
      `\`${at("archiveRetentionDays")}\` cannot be set with \`${at("bucketName")}\`: the stack does not own that bucket's lifecycle rules; expire its objects there, or remove \`bucketName\` to archive into the stack's bucket`,
    );
  } else if (c.bucketName === undefined) {
    retentionDays = integer(
      p,
      at("archiveRetentionDays"),
      c.archiveRetentionDays ?? DEFAULTS.archiveRetentionDays,
      ...bounds(ARCHIVE_SETTINGS.archiveRetentionDays),
    );
  }
  if (p.list.length > before || compression === undefined || prefix === undefined) return undefined;
  return {
    compression,
    prefix,
    ...(bucketName === undefined ? {} : { bucketName }),
    ...(retentionDays === undefined ? {} : { retentionDays }),
  };
}

function readBucketName(p: Problems, at: string, value: unknown): string | undefined {
  if (typeof value !== "string") return p.add(at, "the name of an existing S3 bucket (a string)", value);
  const violation = bucketNameViolation(value);
  if (violation !== undefined)
    return p.say(
      `\`${at}\` is not an S3 bucket name: a bucket name ${violation} (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), got ${JSON.stringify(value)}`,
    );
  return value;
}

function readPrefix(p: Problems, at: string, value: unknown): string | undefined {
  if (typeof value !== "string") return p.add(at, "a key prefix ending with / (a string)", value);
  const segments = value.split("/").slice(0, -1);
  const problem =
    value.length > MAX_PREFIX_LENGTH
      ? `must be at most ${MAX_PREFIX_LENGTH} characters (it has ${value.length})`
      : !value.endsWith("/")
        ? "must end with / (the archive adds YYYY/MM/DD/HH/ after it)"
        : !SAFE_KEY_CHARACTERS.test(value)
          ? "may hold only the characters S3 calls safe in a key: letters, digits, `!-_.*'()` and `/`"
          : segments.some((s) => s === "" || s === "." || s === "..")
            ? "must not start with /, hold //, or have a `.` or `..` segment"
            : undefined;
  return problem === undefined ? value : p.say(`\`${at}\` ${problem}, got ${JSON.stringify(value)}`);
}

/**
 * Two archivers writing into one bucket (the stack's, or the same `bucketName`) must not share keys: a
 * prefix that starts with another's would mix their objects, and their lifecycle rules would overlap.
 */
export function checkArchivePrefixes(p: Problems, consumers: readonly ConsumerConfig[]): void {
  const archivers = consumers.filter((c) => c.archive !== undefined);
  for (const [i, a] of archivers.entries()) {
    for (const b of archivers.slice(i + 1)) {
      if (a.archive!.bucketName !== b.archive!.bucketName) continue;
      const [shorter, longer] = a.archive!.prefix.length <= b.archive!.prefix.length ? [a, b] : [b, a];
      if (!longer.archive!.prefix.startsWith(shorter.archive!.prefix)) continue;
      const bucket = a.archive!.bucketName === undefined ? "the stack's archive bucket" : `bucket ${a.archive!.bucketName}`;
      p.say(
        `\`consumers.${longer.name}.archivePrefix\` ${JSON.stringify(longer.archive!.prefix)} lies inside \`consumers.${shorter.name}.archivePrefix\` ${JSON.stringify(shorter.archive!.prefix)} in ${bucket}: each archiver needs a prefix of its own`,
      );
    }
  }
}
