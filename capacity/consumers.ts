/**
 * The Lambda settings that let a consumer keep up with a stream, for a per-record processing time.
 *
 * The model: Lambda runs one batch at a time per shard and parallelization slot (ParallelizationFactor 1–10,
 * keys kept in order). The consumer runtime (handlers/lib/consumer) runs a batch's records of one partition
 * key one after another and up to `DEFAULT_CONCURRENCY` keys at once, so, with keys spread evenly and at
 * least that many in a batch, one invocation processes `DEFAULT_CONCURRENCY × 1000 / recordMs` records/s; a
 * single key never more than `1000 / recordMs`. A batch must fit Lambda's 6 MB invoke payload and finish in
 * half the function timeout (the other half absorbs a slow downstream; a batch that times out is retried whole).
 */
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { EVENT_ENVELOPE_BYTES, kinesisEventRecord } from "../semantics/lambda-event";
import { MAX_INVOKE_PAYLOAD_BYTES, MAX_PARTITION_KEY_LENGTH } from "../semantics/limits";
import { DEFAULT_CONCURRENCY } from "../handlers/lib/consumer/consumer";
import type { Traffic } from "./types";

/** Share of the function timeout one batch may take. */
const BATCH_TIME_SHARE = 0.5;

/** What a consumer needs. */
export interface ConsumerInput {
  readonly traffic: Traffic;
  /** Shards it reads. */
  readonly shards: number;
  /** Milliseconds one record takes to process; without it only the payload bounds the batch. */
  readonly recordMs?: number;
  readonly timeoutSeconds: number;
}

/** The settings that keep up, per consumer. */
export interface ConsumerSettings {
  readonly runtimeConcurrency: number;
  readonly perShardRecordsPerSecond: number;
  /** Records/s one invocation processes (null without a record time). */
  readonly invocationRecordsPerSecond: number | null;
  /** The smallest that keeps up, or the largest (10) when none does; 1 without a record time. */
  readonly parallelizationFactor: number;
  readonly batchSize: number;
  readonly maxBatchByPayload: number;
  readonly maxBatchByTimeout: number | null;
  /** Concurrent invocations of one consumer's function: shards × parallelization factor. */
  readonly lambdaConcurrency: number;
  /** Null without a record time (nothing to judge by). */
  readonly keepsUp: boolean | null;
  /** Shards that would let parallelization factor 10 keep up, when it does not. */
  readonly shardsToKeepUp: number | null;
}

/** The settings for one consumer of `input.shards` shards. */
export function consumerSettings(input: ConsumerInput): ConsumerSettings {
  const perShard = input.traffic.peak / input.shards;
  const maxBatchByPayload = batchByPayload(input.traffic.recordBytes);
  const base = { runtimeConcurrency: DEFAULT_CONCURRENCY, perShardRecordsPerSecond: perShard, maxBatchByPayload };
  if (input.recordMs === undefined) {
    return {
      ...base,
      invocationRecordsPerSecond: null,
      parallelizationFactor: 1,
      batchSize: Math.min(ESM_RANGES.batchSize.max, maxBatchByPayload),
      maxBatchByTimeout: null,
      lambdaConcurrency: input.shards,
      keepsUp: null,
      shardsToKeepUp: null,
    };
  }
  const invocation = invocationRate(input.recordMs);
  const maxBatchByTimeout = batchByTimeout(input.recordMs, input.timeoutSeconds);
  const needed = Math.max(1, Math.ceil(perShard / invocation));
  const factor = Math.min(needed, ESM_RANGES.parallelizationFactor.max);
  const keepsUp = needed <= ESM_RANGES.parallelizationFactor.max && maxBatchByTimeout >= 1;
  return {
    ...base,
    invocationRecordsPerSecond: invocation,
    parallelizationFactor: factor,
    batchSize: Math.max(1, Math.min(ESM_RANGES.batchSize.max, maxBatchByPayload, maxBatchByTimeout)),
    maxBatchByTimeout,
    lambdaConcurrency: input.shards * factor,
    keepsUp,
    shardsToKeepUp: needed > factor ? Math.ceil(input.traffic.peak / (invocation * ESM_RANGES.parallelizationFactor.max)) : null,
  };
}

/** Records/s one invocation processes: `DEFAULT_CONCURRENCY` keys at once, each one record per `recordMs`. */
export function invocationRate(recordMs: number): number {
  return (DEFAULT_CONCURRENCY * 1000) / recordMs;
}

/** Records/s one partition key is processed at, whatever the parallelization factor. */
export function keyRate(recordMs: number): number {
  return 1000 / recordMs;
}

/** Most records whose batch takes at most half of `timeoutSeconds`, keys spread over the runtime's concurrency. */
function batchByTimeout(recordMs: number, timeoutSeconds: number): number {
  return Math.floor((timeoutSeconds * 1000 * BATCH_TIME_SHARE) / recordMs) * DEFAULT_CONCURRENCY;
}

/** Most records of `recordBytes` in one invoke payload, each entry measured as Lambda writes it, conservatively. */
export function batchByPayload(recordBytes: number): number {
  const entry = eventEntryBytes(recordBytes) + 1; // the comma between entries
  return Math.max(0, Math.floor((MAX_INVOKE_PAYLOAD_BYTES - EVENT_ENVELOPE_BYTES) / entry));
}

/**
 * Bytes of one event entry for a record of `recordBytes` data: base64 data, the longest partition key, a
 * 56-digit sequence number, a 128-character stream name and a 64-character role name (every field at its
 * longest, so a real entry is no larger).
 */
export function eventEntryBytes(recordBytes: number): number {
  const entry = kinesisEventRecord(
    {
      shardId: "shardId-000000000000",
      sequenceNumber: "9".repeat(56),
      partitionKey: "k".repeat(MAX_PARTITION_KEY_LENGTH),
      data: new Uint8Array(recordBytes),
      approximateArrivalTimestamp: new Date(1_700_000_000_123),
    },
    {
      streamArn: `arn:aws:kinesis:ap-southeast-3:123456789012:stream/${"s".repeat(128)}`,
      invokeIdentityArn: `arn:aws:iam::123456789012:role/${"r".repeat(64)}`,
    },
  );
  return Buffer.byteLength(JSON.stringify(entry));
}
