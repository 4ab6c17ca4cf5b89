/**
 * What the limits proxy saw written to a stream, counted as CloudWatch counts a stream's `AWS/Kinesis` metrics:
 * `IncomingBytes` and `IncomingRecords` for the records stored, `WriteProvisionedThroughputExceeded` for the records
 * refused over a shard's budget. The bytes are data plus partition key, what the shard's 1 MiB/s is charged with.
 * The local stream scaler (local/stream-scaler.ts) sums them into minutes, as CloudWatch does for the deployed one.
 */

/** One answered PutRecords or PutRecord. */
export interface WriteCounts {
  readonly bytes: number;
  readonly records: number;
  readonly throttled: number;
}

/** Told of every write call the proxy answered, with the stream's name. */
export type WriteObserver = (stream: string, counts: WriteCounts) => void;

/** A record as PutRecords and PutRecord carry it (`Data` base64). */
interface WrittenEntry {
  readonly Data: string;
  readonly PartitionKey: string;
}

/** Bytes a record uses of the shard's write budget: data plus partition key. */
export function writeBytes(entry: WrittenEntry): number {
  return Buffer.byteLength(entry.Data, "base64") + Buffer.byteLength(entry.PartitionKey, "utf8");
}

/**
 * The entries stored, given each entry's {@link writeBytes} (their result, by index, has a sequence number), and
 * `throttled` as given.
 */
export function countWrites(sizes: readonly number[], results: readonly unknown[], throttled: number): WriteCounts {
  let bytes = 0;
  let records = 0;
  sizes.forEach((size, i) => {
    if ((results[i] as { SequenceNumber?: unknown } | undefined)?.SequenceNumber === undefined) return;
    bytes += size;
    records++;
  });
  return { bytes, records, throttled };
}

/** The per-entry results of a successful PutRecords answer's body. */
export function putResults(body: Buffer): unknown[] {
  try {
    const records = (JSON.parse(body.toString("utf8")) as { Records?: unknown }).Records;
    return Array.isArray(records) ? records : [];
  } catch {
    return [];
  }
}
