/**
 * Cutting records into the requests of a batch API (the ingest function's PutRecords calls, and a consumer's
 * HTTP batch, SendMessageBatch, PublishBatch, PutEvents or S3 object): in order, each request within a count
 * and a byte bound.
 */

/** The bounds of one request of a target's batch API. */
export interface ChunkLimits {
  /** Most records in one request (≥ 1). */
  readonly maxRecords: number;
  /** Most bytes in one request, as counted by `sizeOf` (≥ 1). */
  readonly maxBytes: number;
}

/** The records of one request (indices into the batch's records, in order), or one record too big for any. */
export type Chunk =
  | { readonly kind: "request"; readonly indices: readonly number[] }
  | { readonly kind: "oversize"; readonly index: number; readonly bytes: number };

/**
 * Cuts `indices` (in sequence order) into consecutive requests, each holding at most `maxRecords` records and
 * `maxBytes` bytes. A record whose own size exceeds `maxBytes` can never be sent: it becomes an `oversize`
 * chunk at its place, so it fails as a record (and ends in the on-failure destination) without holding up
 * the records around it more than any failure does. `splitBetween` may end a request early between two
 * consecutive records (an archive cuts its objects at the hour of arrival). `limits` are checked once, by
 * {@link checkChunkLimits}, when the consumer is built.
 */
export function planChunks(
  indices: readonly number[],
  sizeOf: (index: number) => number,
  limits: ChunkLimits,
  splitBetween: (previous: number, next: number) => boolean = () => false,
): Chunk[] {
  const chunks: Chunk[] = [];
  let current: number[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length > 0) chunks.push({ kind: "request", indices: current });
    current = [];
    bytes = 0;
  };
  for (const index of indices) {
    const size = sizeOf(index);
    if (size > limits.maxBytes) {
      flush();
      chunks.push({ kind: "oversize", index, bytes: size });
      continue;
    }
    const previous = current.at(-1);
    if (
      current.length === limits.maxRecords ||
      bytes + size > limits.maxBytes ||
      (previous !== undefined && splitBetween(previous, index))
    ) {
      flush();
    }
    current.push(index);
    bytes += size;
  }
  flush();
  return chunks;
}

/** Throws a RangeError naming the bound that is not an integer of at least 1. */
export function checkChunkLimits(limits: ChunkLimits): void {
  for (const key of ["maxRecords", "maxBytes"] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${key} must be an integer of at least 1, got ${String(value)}.`);
  }
}
