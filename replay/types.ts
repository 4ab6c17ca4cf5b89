/** The shapes the replay and redrive tools pass around. */

/** One Kinesis record as read from a shard. */
export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly approximateArrivalTimestamp: Date;
}

/** A shard of the source stream and the shards it was split or merged from. */
export interface ShardInfo {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
  /** Set once the shard is closed (split or merged away); closed shards end. */
  readonly endingSequenceNumber?: string;
  readonly startingSequenceNumber: string;
}

/** The source stream as the replay sees it when it starts. */
export interface StreamDescription {
  readonly streamName: string;
  readonly streamArn: string;
  readonly shards: readonly ShardInfo[];
}

/** Where reading a shard begins. */
export type StartPosition =
  | { readonly type: "TRIM_HORIZON" | "LATEST" }
  | { readonly type: "AT_TIMESTAMP"; readonly timestamp: Date }
  | { readonly type: "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER"; readonly sequenceNumber: string };

/** Compares two Kinesis sequence numbers (decimal strings up to 128 bits): negative, 0 or positive. */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
