/**
 * The DynamoDB rules the idempotency store relies on (docs/aws-semantics.md#dynamodb-batch-operations-and-ttl).
 */

/** BatchGetItem reads at most 100 keys (and 16 MB) a call; more keys is a ValidationException. */
export const BATCH_GET_ITEM_MAX_KEYS = 100;

/** BatchWriteItem takes at most 25 put or delete requests (and 16 MB) a call. */
export const BATCH_WRITE_ITEM_MAX_ITEMS = 25;

/**
 * TTL deletes an expired item in the background, typically within two days of its expiry: until then it is
 * still returned by reads, so a reader must compare the TTL attribute (epoch seconds) with the clock itself.
 */
export function isExpired(ttlEpochSeconds: number, nowMs: number): boolean {
  return ttlEpochSeconds * 1000 <= nowMs;
}

/** Splits `items` into consecutive chunks of at most `size` (a batch API's per-call limit). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
