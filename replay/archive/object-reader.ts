/**
 * Reads one archive object back, streaming: GetObject, gunzip when the key ends `.gz` or the object says
 * `Content-Encoding: gzip`, split into lines one chunk at a time (memory per object: one chunk and one
 * partial line), each line read with the format's `parseArchiveLine`; and checks an object before any of it
 * is delivered, keeping the records of an object of ordinary size so it is fetched once.
 */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { ArchiveFormatError, parseArchiveLine, type ArchivedRecord } from "../../handlers/lib/archive/format";
import { comparePositions, type ArchivePosition } from "./position";
import type { ArchiveObject } from "./listing";

/** One record of an object, with the line it came from. */
export interface ObjectRecord {
  readonly record: ArchivedRecord;
  readonly position: ArchivePosition;
}

/** Yields the object's records in file order; throws {@link ArchiveFormatError} naming the key and line. */
async function* readArchiveObject(s3: S3Client, bucket: string, key: string): AsyncGenerator<ObjectRecord> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body as Readable | undefined;
  if (body === undefined) return;
  const gzipped = key.endsWith(".gz") || /\bgzip\b/i.test(response.ContentEncoding ?? "");
  const input: Readable = gzipped ? body.pipe(createGunzip()) : body;
  if (gzipped) body.on("error", (error) => input.destroy(error));
  let lineNumber = 0;
  let carry = "";
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of input) {
      const text = carry + decoder.decode(chunk as Buffer, { stream: true });
      const lines = text.split("\n");
      carry = lines.pop() as string;
      for (const line of lines) {
        lineNumber++;
        yield toObjectRecord(parseArchiveLine(line, key, lineNumber), key, lineNumber);
      }
    }
  } catch (error) {
    if (error instanceof ArchiveFormatError) throw error;
    // A gzip stream cut short (`unexpected end of file`) or not gzip at all: the object is truncated.
    throw new ArchiveFormatError(key, lineNumber + 1, `cannot be read to its end (${(error as Error).message}): a truncated object.`);
  } finally {
    input.destroy();
    body.destroy();
  }
  carry += decoder.decode();
  // The last line needs no newline; an empty remainder is the newline after the last line.
  if (carry !== "") yield toObjectRecord(parseArchiveLine(carry, key, lineNumber + 1), key, lineNumber + 1);
}

/**
 * Objects whose records hold at most this many data bytes are kept in memory after their check, so they are
 * fetched from S3 once; larger ones are fetched again to be delivered, keeping memory bounded. The archiver
 * writes at most one invocation's payload (6 MB) per object, so its objects are always kept.
 */
const KEEP_CHECKED_DATA_BYTES = 64 * 1024 * 1024;

/** A checked object: why it cannot be replayed, or its records in file order. */
export type CheckedObject = { readonly problem: string } | { readonly records: () => AsyncGenerator<ObjectRecord> };

/**
 * Reads the whole object once and checks what the reader relies on: every line an archived record of the
 * shard its name says, in strictly ascending (sequence, sub-sequence) order, within the named range. A
 * problem is one sentence naming the key and line.
 */
export async function checkArchiveObject(s3: S3Client, bucket: string, object: ArchiveObject): Promise<CheckedObject> {
  const range = object.range;
  if (range === undefined) {
    return { problem: `Archive object "${object.key}": its name is not <shardId>-<firstSeq>-<firstSub>-<lastSeq>-<lastSub>.ndjson[.gz].` };
  }
  let previous: ArchivePosition | undefined;
  let line = 0;
  let kept: ObjectRecord[] | undefined = [];
  let keptBytes = 0;
  try {
    for await (const read of readArchiveObject(s3, bucket, object.key)) {
      const { record, position } = read;
      line++;
      const problem =
        record.shardId !== range.shardId
          ? `holds a record of ${record.shardId}, not of ${range.shardId} as its name says.`
          : previous !== undefined && comparePositions(position, previous) <= 0
            ? "is not in ascending sequence order."
            : comparePositions(position, range.first) < 0 || comparePositions(position, range.last) > 0
              ? "holds a record outside the sequence range its name says."
              : undefined;
      if (problem !== undefined) return { problem: `Archive object "${object.key}", line ${line}: ${problem}` };
      previous = position;
      keptBytes += record.data.length;
      if (kept !== undefined && keptBytes <= KEEP_CHECKED_DATA_BYTES) kept.push(read);
      else kept = undefined;
    }
  } catch (error) {
    if (error instanceof ArchiveFormatError) return { problem: error.message };
    throw error;
  }
  const records = kept;
  return { records: records === undefined ? () => readArchiveObject(s3, bucket, object.key) : () => inMemory(records) };
}

async function* inMemory(records: readonly ObjectRecord[]): AsyncGenerator<ObjectRecord> {
  yield* records;
}

function toObjectRecord(record: ArchivedRecord, key: string, lineNumber: number): ObjectRecord {
  if (!/^\d+$/.test(record.sequenceNumber)) throw new ArchiveFormatError(key, lineNumber, `"sequenceNumber" must be decimal digits.`);
  return { record, position: { sequenceNumber: BigInt(record.sequenceNumber), subSequenceNumber: record.subSequenceNumber } };
}
