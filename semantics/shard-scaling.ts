/**
 * What UpdateShardCount allows a provisioned stream, one named rule each
 * (docs/aws-semantics.md#kinesis-updateshardcount; Kinesis API reference, "UpdateShardCount"). The scaler
 * (handlers/stream-scaler.ts) decides within them and the validator (config/autoscaling-settings.ts) bounds
 * `stream.autoscaling` by them: a request beyond them fails with `LimitExceededException` or
 * `ValidationException`, so the scaler never sends one.
 */

/** "Scale up to more than double your current shard count for a stream": at most ×2 per call. */
const MAX_SCALE_OUT_FACTOR = 2;

/** "Scale down below half your current shard count for a stream": at least ×½ per call (rounded up). */
const MIN_SCALE_IN_FACTOR = 0.5;

/** "Scale more than ten times per rolling 24-hour period per stream". */
export const MAX_SCALINGS_PER_WINDOW = 10;

/** The rolling window of {@link MAX_SCALINGS_PER_WINDOW}. */
export const SCALING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** "Scale up to more than 10000 shards in a stream". */
export const MAX_SHARDS_PER_STREAM = 10_000;

/**
 * The only scaling type UpdateShardCount has: every resulting shard covers an equal part of the hash key
 * space, so per-key order is kept by the parent/child shard lineage (a mapping reads parents first).
 */
export const SCALING_TYPE = "UNIFORM_SCALING";

/** The status a stream has while a reshard runs: UpdateShardCount then fails with `ResourceInUseException`. */
export const STREAM_STATUS_ACTIVE = "ACTIVE";

/** The most shards one call may leave `current` with. */
export function maxShardsAfterOneCall(current: number): number {
  return Math.min(current * MAX_SCALE_OUT_FACTOR, MAX_SHARDS_PER_STREAM);
}

/** The fewest shards one call may leave `current` with (half, rounded up: never below half). */
export function minShardsAfterOneCall(current: number): number {
  return Math.max(1, Math.ceil(current * MIN_SCALE_IN_FACTOR));
}
