/**
 * How Kinesis maps a partition key onto the hash key space: MD5 of the key's UTF-8 bytes, read as an
 * unsigned 128-bit integer (docs/aws-semantics.md#partition-keys-and-shards).
 */
import { createHash } from "node:crypto";

/** MD5 of the partition key as an unsigned 128-bit integer: the hash Kinesis places a record by. */
export function partitionKeyHash(partitionKey: string): bigint {
  const digest = createHash("md5").update(partitionKey, "utf8").digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

/**
 * The hash a PutRecord(s) entry is placed by: its `ExplicitHashKey` when given, else the partition key's hash;
 * undefined when the explicit hash key is not a decimal integer of at most 39 digits (Kinesis rejects it).
 */
export function entryHash(partitionKey: string, explicitHashKey?: string): bigint | undefined {
  if (explicitHashKey === undefined) return partitionKeyHash(partitionKey);
  return /^\d{1,39}$/.test(explicitHashKey) ? BigInt(explicitHashKey) : undefined;
}
