/**
 * The stream scaler's decision, pure: the open shard count, the last minutes' write load, the scalings of the
 * last 24 hours and the stack's `stream.autoscaling` in; whether to call UpdateShardCount, and with what
 * target, out. Every AWS rule it keeps is a constant of semantics/shard-scaling.ts; every choice of its own
 * (how far back it looks, the scalings it saves for scale-out) is a constant here, with its reason.
 * The deployed scaler (handlers/stream-scaler.ts) and a local one run this same function.
 */
import { SHARD_WRITE_LIMITS } from "../../../semantics/limits";
import {
  MAX_SCALINGS_PER_WINDOW,
  maxShardsAfterOneCall,
  minShardsAfterOneCall,
  SCALING_WINDOW_MS,
  STREAM_STATUS_ACTIVE,
} from "../../../semantics/shard-scaling";

/** The bounds and pace the stack sets (config `stream.autoscaling`, cooldowns in ms). */
export interface ScalingPolicy {
  readonly minShards: number;
  readonly maxShards: number;
  /** The share of a shard's write limit each shard should carry at the peak, in (0, 1]. */
  readonly targetUtilization: number;
  readonly scaleOutCooldownMs: number;
  readonly scaleInCooldownMs: number;
}

/** One minute of the stream's writes, as CloudWatch sums them (`AWS/Kinesis`, by `StreamName`). */
export interface MinuteSample {
  readonly bytes: number;
  readonly records: number;
  /** Records refused with `ProvisionedThroughputExceededException` (`WriteProvisionedThroughputExceeded`). */
  readonly throttled: number;
}

/** One UpdateShardCount the scaler made. */
export interface ScalingEvent {
  readonly atMs: number;
  readonly from: number;
  readonly to: number;
}

export interface ScalingInput {
  readonly nowMs: number;
  /** `StreamStatus` of DescribeStreamSummary. */
  readonly status: string;
  /** `OpenShardCount` of DescribeStreamSummary. */
  readonly openShards: number;
  /** Complete minutes, oldest first, the newest last; a minute without writes may be missing or zero. */
  readonly minutes: readonly MinuteSample[];
  /** The scaler's own scalings, any order; older than 24 hours are ignored. */
  readonly history: readonly ScalingEvent[];
  readonly policy: ScalingPolicy;
}

export type ScalingDecision =
  | { readonly action: "hold"; readonly reason: string }
  | { readonly action: "scale"; readonly targetShards: number; readonly reason: string };

/**
 * Scale-out looks at the newest minutes only, so it reacts within minutes; scale-in at every minute the scaler
 * reads (it asks for {@link SCALE_IN_MINUTES}), so one quiet spell does not shrink a stream that is busy again.
 */
const SCALE_OUT_MINUTES = 3;
export const SCALE_IN_MINUTES = 15;

/**
 * Scalings of the 24-hour budget that scale-in may not spend: a stream that shrank ten times in a day could
 * not grow again until the oldest left the window, and a full stream throttles producers while a big one only costs.
 */
export const SCALINGS_KEPT_FOR_SCALE_OUT = 2;

/** The scaler's minute: the period of the metrics it reads (one sample a minute) and of its cooldowns. */
export const SECONDS_PER_MINUTE = 60;
export const MINUTE_MS = SECONDS_PER_MINUTE * 1000;

/**
 * The starts (ms) of the minutes a run at `nowMs` reads, oldest first: the last {@link SCALE_IN_MINUTES} complete
 * minutes, since the current one is still filling.
 */
export function scaledMinutes(nowMs: number): number[] {
  const end = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  return Array.from({ length: SCALE_IN_MINUTES }, (_, i) => end - (SCALE_IN_MINUTES - i) * MINUTE_MS);
}

/** The shards that carry `sample`'s peak at `target` of each shard's write limits (bytes and records alike). */
export function shardsFor(samples: readonly MinuteSample[], targetUtilization: number): number {
  const need = (sample: MinuteSample) =>
    Math.max(
      sample.bytes / SECONDS_PER_MINUTE / (SHARD_WRITE_LIMITS.bytesPerSecond * targetUtilization),
      sample.records / SECONDS_PER_MINUTE / (SHARD_WRITE_LIMITS.recordsPerSecond * targetUtilization),
    );
  // Rounded to 9 places first: 0.7 × 1000 × 3 / 2100 is not exactly 1 in floating point.
  return Math.ceil(Number(Math.max(0, ...samples.map(need)).toFixed(9)));
}

/** Decides one run of the scaler. */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const { openShards: current, policy, nowMs } = input;
  if (input.status !== STREAM_STATUS_ACTIVE)
    return hold(`the stream is ${input.status}: UpdateShardCount needs it ACTIVE (a reshard is running)`);
  const recent = input.history.filter((e) => nowMs - e.atMs < SCALING_WINDOW_MS);
  const wanted = wantedShards(input);
  if (wanted === current) return hold(`${current} shards carry the load at the target utilization`);
  const out = wanted > current;
  const target = out ? Math.min(wanted, maxShardsAfterOneCall(current)) : Math.max(wanted, minShardsAfterOneCall(current));
  const left = MAX_SCALINGS_PER_WINDOW - recent.length;
  if (left <= 0)
    return hold(
      `${MAX_SCALINGS_PER_WINDOW} scalings in the last 24 hours: UpdateShardCount allows no more until the oldest is 24 hours old`,
    );
  if (!out && left <= SCALINGS_KEPT_FOR_SCALE_OUT)
    return hold(`scale-in to ${target} waits: the last ${left} scalings of the 24-hour budget are kept for scale-out`);
  const outOfBounds = current < policy.minShards || current > policy.maxShards;
  const last = Math.max(...recent.map((e) => e.atMs));
  const cooldown = out ? policy.scaleOutCooldownMs : policy.scaleInCooldownMs;
  if (!outOfBounds && nowMs - last < cooldown)
    return hold(
      `scale-${out ? "out" : "in"} to ${target} waits for its cooldown (${Math.ceil((last + cooldown - nowMs) / 60_000)} min left)`,
    );
  const why = outOfBounds ? `the bounds are ${policy.minShards}–${policy.maxShards}` : `the load needs ${wanted}`;
  return { action: "scale", targetShards: target, reason: `${current} → ${target} shards: ${why}` };
}

/** The count the load asks for, within the stack's bounds; a throttled write asks for at least one more shard. */
function wantedShards(input: ScalingInput): number {
  const { minutes, policy, openShards } = input;
  const newest = minutes.slice(-SCALE_OUT_MINUTES);
  const forPeak = shardsFor(newest, policy.targetUtilization);
  // A throttled write below the target means a burst shorter than a minute or a hot key: one more shard helps the
  // first, none helps the second, so throttling asks for one shard more at a time.
  const throttled = newest.some((m) => m.throttled > 0) ? openShards + 1 : 0;
  let wanted = Math.max(forPeak, throttled);
  if (wanted < openShards) wanted = Math.max(wanted, shardsFor(minutes, policy.targetUtilization));
  return Math.min(policy.maxShards, Math.max(policy.minShards, wanted));
}

function hold(reason: string): ScalingDecision {
  return { action: "hold", reason };
}
