/**
 * Partition keys for records sent without one.
 *
 * Kinesis maps a key to a shard by the MD5 hash of the key, so keys drawn uniformly at random land on
 * each shard in proportion to its hash-key range — an even spread for evenly split streams, with no
 * state. A per-process counter would hash just as evenly, but every cold start would begin at the same
 * count, so fresh instances would write their first records to the same shards at once; independent
 * random keys avoid that. 128 bits make collisions irrelevant, and base64url (22 characters) keeps the
 * key's share of the 1 MiB/s-per-shard write quota small (hex would take 32 bytes). Records without a key
 * carry no ordering promise, which is what a random key gives.
 */
import { randomFillSync } from "node:crypto";

/** Length of a derived key: 16 random bytes in unpadded base64url. */
export const DERIVED_PARTITION_KEY_LENGTH = 22;

/** Fills a buffer with random bytes; injectable so tests can make keys deterministic. */
export type RandomBytes = (size: number) => Buffer;

const KEY_BYTES = 16;

const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

/**
 * Default source of randomness: the OS CSPRNG, drawn 16 KiB at a time (each draw costs microseconds
 * whatever its size; a request's worth of keys is 8 KiB at most). Bytes are handed out once each.
 */
export const cryptoRandomBytes: RandomBytes = (size) => {
  if (size > POOL_SIZE) return randomFillSync(Buffer.allocUnsafe(size));
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += size;
  return pool.subarray(poolOffset - size, poolOffset);
};

/**
 * Returns `count` random partition keys (one random draw for the whole batch: far cheaper than one call each).
 *
 * @example
 * derivePartitionKeys(2) // ["q1Vd0qS6Gm3o8sQbYz0x9w", "N2W3oTt5m1hVZ1kLr0aP4g"]
 */
export function derivePartitionKeys(count: number, random: RandomBytes = cryptoRandomBytes): string[] {
  const bytes = random(count * KEY_BYTES);
  const keys = new Array<string>(count);
  for (let i = 0; i < count; i++) keys[i] = bytes.toString("base64url", i * KEY_BYTES, (i + 1) * KEY_BYTES);
  return keys;
}
