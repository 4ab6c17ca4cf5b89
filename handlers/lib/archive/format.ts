/**
 * The archive's layout, shared by its writer (the `archiver` consumer) and its reader (`replay --from-archive`):
 * where an object goes, what it is called, and what each of its NDJSON lines holds.
 *
 * Object key: `<prefix>YYYY/MM/DD/HH/<shardId>-<first sequence>-<first sub>-<last sequence>-<last sub>.ndjson[.gz]`,
 * the hour (UTC) being the records' arrival hour: an object never holds records of two hours, so a reader
 * of a time range lists exactly the hours of that range. The name is a function of the records it holds, so
 * a retried batch writes the same key again (S3 replaces the object whole) instead of a second copy.
 *
 * Line: `{"shardId","sequenceNumber","subSequenceNumber","partitionKey","explicitHashKey"?,"arrivalTime","data"}`,
 * `arrivalTime` as ISO-8601 with milliseconds (Kinesis' approximateArrivalTimestamp), `data` the record's
 * exact bytes in base64 (any bytes round-trip, JSON or not).
 *
 * Metadata: the shard's parents (`parent-shards`), so a reader orders shards across a reshard.
 */
import type { ConsumerRecord } from "../consumer/types";

/** How an archive object's body is encoded. */
export type ArchiveCompression = "gzip" | "none";

/** One user record as the archive keeps it. */
export interface ArchivedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  /** When Kinesis accepted the record, in epoch milliseconds. */
  readonly arrivalTime: number;
  /** The record's exact bytes. */
  readonly data: Buffer;
}

/** The file extension of an object of that compression. */
function archiveExtension(compression: ArchiveCompression): string {
  return compression === "gzip" ? ".ndjson.gz" : ".ndjson";
}

/** `<prefix>YYYY/MM/DD/HH/` of an arrival time (epoch ms, UTC). */
export function archiveHourPrefix(prefix: string, arrivalTimeMs: number): string {
  const iso = new Date(arrivalTimeMs).toISOString(); // YYYY-MM-DDTHH:…Z
  return `${prefix}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`;
}

/** Whether two records arrived in different UTC hours, so an archive object must end between them. */
export function differentArrivalHours(a: ConsumerRecord, b: ConsumerRecord): boolean {
  return Math.floor((a.approximateArrivalTimestamp * 1000) / HOUR_MS) !== Math.floor((b.approximateArrivalTimestamp * 1000) / HOUR_MS);
}

const HOUR_MS = 3_600_000;

/** The key of the object holding `records` (in sequence order, one shard, one arrival hour). */
export function archiveObjectKey(prefix: string, records: readonly ConsumerRecord[], compression: ArchiveCompression): string {
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) throw new RangeError("An archive object holds at least one record.");
  const hour = archiveHourPrefix(prefix, first.approximateArrivalTimestamp * 1000);
  const name = `${first.shardId}-${first.sequenceNumber}-${first.subSequenceNumber}-${last.sequenceNumber}-${last.subSequenceNumber}`;
  return `${hour}${name}${archiveExtension(compression)}`;
}

/**
 * The user metadata (`x-amz-meta-parent-shards`) naming the parents of an object's shard: their ids joined by
 * commas, or `none` for a shard no reshard made. An object without it was written before lineage was kept.
 */
export const PARENT_SHARDS_METADATA = "parent-shards";

/** The {@link PARENT_SHARDS_METADATA} value for these parent ids. */
export function parentShardsValue(parentIds: readonly string[]): string {
  return parentIds.length === 0 ? "none" : parentIds.join(",");
}

/** The parent ids a {@link PARENT_SHARDS_METADATA} value names; undefined when the object has none recorded. */
export function parseParentShards(value: string | undefined): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  return value === "none" ? [] : value.split(",");
}

/** One NDJSON line (without the newline) for a record. */
export function archiveLine(record: ConsumerRecord): string {
  const line: Record<string, unknown> = {
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: record.subSequenceNumber,
    partitionKey: record.partitionKey,
    ...(record.explicitHashKey === undefined ? {} : { explicitHashKey: record.explicitHashKey }),
    arrivalTime: new Date(Math.round(record.approximateArrivalTimestamp * 1000)).toISOString(),
    data: record.data.toString("base64"),
  };
  return JSON.stringify(line);
}

/** A line of an archive object that is not an archived record: names the object and the line. */
export class ArchiveFormatError extends Error {
  constructor(
    readonly key: string,
    readonly line: number,
    problem: string,
  ) {
    super(`Archive object "${key}", line ${line}: ${problem}`);
    this.name = "ArchiveFormatError";
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads one line back; throws {@link ArchiveFormatError} naming `key` and `lineNumber` (1-based) when it is not one. */
export function parseArchiveLine(text: string, key: string, lineNumber: number): ArchivedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArchiveFormatError(key, lineNumber, "not a JSON document (a truncated object, or not NDJSON).");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ArchiveFormatError(key, lineNumber, "not a JSON object.");
  }
  const v = value as Record<string, unknown>;
  const field = (name: string): string => {
    const found = v[name];
    if (typeof found !== "string") throw new ArchiveFormatError(key, lineNumber, `"${name}" must be a string.`);
    return found;
  };
  const subSequenceNumber = v.subSequenceNumber;
  if (!Number.isInteger(subSequenceNumber) || (subSequenceNumber as number) < 0) {
    throw new ArchiveFormatError(key, lineNumber, `"subSequenceNumber" must be an integer of at least 0.`);
  }
  const arrivalTime = Date.parse(field("arrivalTime"));
  if (Number.isNaN(arrivalTime)) throw new ArchiveFormatError(key, lineNumber, `"arrivalTime" must be an ISO-8601 time.`);
  const data = field("data");
  if (data.length % 4 !== 0 || !BASE64.test(data)) throw new ArchiveFormatError(key, lineNumber, `"data" must be base64.`);
  const explicitHashKey = v.explicitHashKey === undefined ? undefined : field("explicitHashKey");
  return {
    shardId: field("shardId"),
    sequenceNumber: field("sequenceNumber"),
    subSequenceNumber: subSequenceNumber as number,
    partitionKey: field("partitionKey"),
    ...(explicitHashKey === undefined ? {} : { explicitHashKey }),
    arrivalTime,
    data: Buffer.from(data, "base64"),
  };
}
