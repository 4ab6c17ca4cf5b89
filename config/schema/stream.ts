/** `kinesis-ingest:stream`: the stream's capacity, retention, enhanced fan-out consumers and scaler. */
import { Type } from "@sinclair/typebox";
import { MAX_REGISTERED_CONSUMERS } from "../../semantics/enhanced-fan-out";
import { RECORD_SIZE_KIB, WARM_THROUGHPUT_MIN_MIBPS } from "../../semantics/large-records";
import { RETENTION_HOURS } from "../../semantics/limits";
import { MAX_SHARDS_PER_STREAM } from "../../semantics/shard-scaling";
import { choice, int, list, num, section, text } from "./kit";

/** A day in minutes: the longest a scaler's cooldown may be. */
const DAY_MINUTES = 1440;

/** `stream.autoscaling`: the stream scaler's bounds and pace (handlers/stream-scaler.ts). */
export const AUTOSCALING = section(
  {
    minShards: int({ minimum: 1, maximum: MAX_SHARDS_PER_STREAM, default: 1, description: "The fewest shards the scaler leaves." }),
    maxShards: Type.Optional(
      int({ minimum: 1, maximum: MAX_SHARDS_PER_STREAM, description: "The most shards the scaler makes (UpdateShardCount's ceiling)." }),
      false,
    ),
    targetUtilization: num({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.7,
      description: "The share of each shard's write limits (1 MiB/s, 1,000 records/s) the scaler sizes the stream for at the peak minute.",
    }),
    scaleOutCooldownMinutes: int({
      minimum: 0,
      maximum: DAY_MINUTES,
      default: 5,
      description: "Minutes after any scaling before the scaler scales out.",
    }),
    // Scale-in only saves money and spends the same 24-hour budget of ten: it waits an hour of quiet.
    scaleInCooldownMinutes: int({
      minimum: 0,
      maximum: DAY_MINUTES,
      default: 60,
      description: "Minutes after any scaling before the scaler scales in.",
    }),
  },
  { description: "The stream scaler's bounds and pace; provisioned streams only (`shards` is then the initial count)." },
);

export const STREAM = section(
  {
    mode: choice(["provisioned", "on-demand"], { default: "provisioned", description: "Capacity mode." }),
    shards: int({
      minimum: 1,
      maximum: MAX_SHARDS_PER_STREAM,
      default: 1,
      description: "Provisioned shard count (provisioned streams only).",
    }),
    retentionHours: int({
      minimum: RETENTION_HOURS.min,
      maximum: RETENTION_HOURS.max,
      default: 24,
      description: "How long the stream keeps records, in hours.",
    }),
    fanOutConsumers: list(text({ pattern: "^[a-zA-Z0-9_.-]{1,128}$", description: "An enhanced fan-out consumer's name." }), {
      maxItems: MAX_REGISTERED_CONSUMERS,
      default: [],
      description: "Enhanced fan-out consumers registered on the stream, for consumers' `fanOutConsumer`.",
    }),
    autoscaling: Type.Optional(AUTOSCALING),
    maxRecordSizeKiB: int({
      minimum: RECORD_SIZE_KIB.min,
      maximum: RECORD_SIZE_KIB.max,
      default: RECORD_SIZE_KIB.default,
      description: "The stream's largest record (data plus partition key), in KiB, at most what the front and Lambda carry.",
    }),
    warmThroughputMiBps: int({
      minimum: WARM_THROUGHPUT_MIN_MIBPS,
      description: "On-demand Advantage's warm throughput in MiB/s (on-demand only), up to the Region's on-demand write ceiling.",
    }),
  },
  { description: "The Kinesis data stream." },
);
