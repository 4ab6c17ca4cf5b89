/** A user record's place in its shard: the Kinesis sequence number, then the position inside a KPL aggregate. */

/** Ordered by `sequenceNumber` (a 128-bit decimal, compared as BigInt), then `subSequenceNumber`. */
export interface ArchivePosition {
  readonly sequenceNumber: bigint;
  readonly subSequenceNumber: number;
}

/** Negative, 0 or positive as `a` is before, at or after `b`. */
export function comparePositions(a: ArchivePosition, b: ArchivePosition): number {
  if (a.sequenceNumber !== b.sequenceNumber) return a.sequenceNumber < b.sequenceNumber ? -1 : 1;
  return a.subSequenceNumber - b.subSequenceNumber;
}
