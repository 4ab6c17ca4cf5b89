/**
 * Deterministic ZIP archives with fflate: entries sorted by name, every timestamp fixed and the same Unix
 * mode on every entry, so the same files always give the same bytes (and so the same hash in Pulumi's
 * state: no spurious diff on `pulumi up`).
 */
import { zipSync, type Zippable } from "fflate";

/**
 * 1980-01-01 00:00, the earliest time a ZIP entry can carry. Built from local-time fields because fflate
 * writes the DOS timestamp from local-time fields: the archive is the same in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Regular file, rw-r--r--, in the high 16 bits of the external attributes (Unix "made by"). */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

/**
 * Packs `files` (relative path → contents) into a ZIP archive with deflate compression.
 * @example deterministicZip({ "index.js": Buffer.from("exports.handler = async () => 1;") })
 */
export function deterministicZip(files: Readonly<Record<string, Buffer>>): Buffer {
  const entries: Zippable = {};
  // Names are unique keys, so the comparator never meets two equal ones; `<` is the default sort's code-unit order.
  for (const [name, data] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name.startsWith("/") || name.includes("\\") || name.split("/").includes("..")) {
      throw new Error(`zip entry names must be relative POSIX paths, got ${JSON.stringify(name)}`);
    }
    entries[name] = [data, { level: 9, mtime: FIXED_MTIME, os: 3, attrs: FILE_ATTRIBUTES }];
  }
  return Buffer.from(zipSync(entries));
}
