/**
 * The S3 rules the archive relies on (docs/aws-semantics.md#s3-archive-objects): what a general purpose
 * bucket may be called, and which characters a key may use without special handling (a key is at most
 * 1,024 bytes; `config/archive-settings.ts` keeps archive keys far below that).
 */

/**
 * The characters S3 calls safe in a key: letters, digits and `!-_.*'()`, with `/` as the prefix
 * delimiter (S3 guide, "Object key naming guidelines").
 */
export const SAFE_KEY_CHARACTERS = /^[A-Za-z0-9!_.*'()/-]*$/;

const BUCKET_CHARACTERS = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap"];

/**
 * Why `name` cannot be a general purpose bucket's name, or undefined when it can: 3 to 63 characters,
 * lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit, no `..`, not an IP
 * address, none of the reserved prefixes and suffixes (S3 guide, "General purpose bucket naming rules").
 * @example bucketNameViolation("My_Bucket") // "may hold only lowercase letters, digits, `.` and `-`, ..."
 */
export function bucketNameViolation(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (it has ${name.length})`;
  if (!BUCKET_CHARACTERS.test(name))
    return "may hold only lowercase letters, digits, `.` and `-`, and must start and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (IP_ADDRESS.test(name)) return "must not be formatted as an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `must not start with the reserved prefix \`${prefix}\``;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `must not end with the reserved suffix \`${suffix}\``;
  return undefined;
}

/** A lifecycle rule's expiration is a non-zero positive number of days (S3 API, LifecycleExpiration). */
export const MIN_EXPIRATION_DAYS = 1;
