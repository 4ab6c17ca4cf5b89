/** What the plan's numbers cannot promise: each warning names the limit behind it and what to do. */
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { LAMBDA_MAX_RECORD_BYTES, LARGE_RECORD_TRAFFIC_SHARE } from "../semantics/large-records";
import { MAX_RECORD_BYTES, MIB, SHARD_READ_LIMITS, SHARD_WRITE_LIMITS } from "../semantics/limits";
import { defaultShardQuota, ON_DEMAND_INITIAL_WRITE, onDemandMaxWriteBytesPerSecond } from "../semantics/stream-capacity";
import { keyRate, type ConsumerSettings } from "./consumers";
import { peakBytesPerSecond, type ShardNeed } from "./shards";
import type { Readers, Traffic } from "./types";

/** The facts the warnings are drawn from. */
export interface WarningFacts {
  readonly traffic: Traffic;
  readonly readers: Readers;
  readonly need: ShardNeed;
  readonly consumers: ConsumerSettings;
  readonly recordMs?: number;
  readonly region: string;
}

/** Every warning that applies, most pressing first. */
export function planWarnings(facts: WarningFacts): string[] {
  return [
    ...consumerWarnings(facts),
    ...hotKeyWarnings(facts),
    ...largeRecordWarnings(facts),
    ...payloadWarnings(facts),
    ...readerWarnings(facts),
    ...quotaWarnings(facts),
    ...onDemandWarnings(facts),
  ];
}

function consumerWarnings({ consumers, traffic }: WarningFacts): string[] {
  if (consumers.keepsUp !== false) return [];
  if (consumers.maxBatchByTimeout === 0)
    return ["one record takes longer than half the function timeout: raise the timeout or speed the processor up"];
  return [
    `consumers fall behind: at parallelization factor ${ESM_RANGES.parallelizationFactor.max} an invocation per slot processes ` +
      `${fmt(consumers.invocationRecordsPerSecond! * ESM_RANGES.parallelizationFactor.max)} records/s per shard, and each shard ` +
      `receives ${fmt(consumers.perShardRecordsPerSecond)} at the peak of ${fmt(traffic.peak)}: use ${consumers.shardsToKeepUp} shards ` +
      "or speed the processor up",
  ];
}

/** One partition key lands on one shard (and one consumer lane): its ceilings hold whatever the shard count. */
function hotKeyWarnings({ traffic, recordMs }: WarningFacts): string[] {
  const keyRecords = Math.min(SHARD_WRITE_LIMITS.recordsPerSecond, SHARD_WRITE_LIMITS.bytesPerSecond / traffic.recordBytes);
  const warnings: string[] = [];
  if (keyRecords < traffic.peak) {
    warnings.push(
      `hot key: one partition key writes to one shard, at most ${SHARD_WRITE_LIMITS.recordsPerSecond.toLocaleString("en-US")} records/s ` +
        `and 1 MiB/s (${fmt(keyRecords)} records/s of ${traffic.recordBytes} bytes) whatever the shard count: ` +
        `no key may carry more than ${pct(keyRecords / traffic.peak)} of the peak`,
    );
  }
  if (recordMs !== undefined && keyRate(recordMs) < Math.min(keyRecords, traffic.peak)) {
    warnings.push(
      `hot key: a key's records are processed one after another, ${fmt(keyRate(recordMs))} records/s at ${recordMs} ms each, ` +
        "whatever the parallelization factor: a key busier than that falls behind",
    );
  }
  return warnings;
}

/** Records above 1 MiB: what the stream must allow, and that Kinesis means them to be intermittent. */
function largeRecordWarnings({ traffic }: WarningFacts): string[] {
  if (traffic.recordBytes <= MAX_RECORD_BYTES) return [];
  const kib = Math.ceil(traffic.recordBytes / 1024);
  const warnings = [
    `large records: ${traffic.recordBytes.toLocaleString("en-US")} bytes is above Kinesis's default 1 MiB, so the stream needs ` +
      `\`stream.maxRecordSizeKiB\` of at least ${kib.toLocaleString("en-US")}; a shard still writes 1 MiB/s and takes a large record by ` +
      `bursting, meant for large records under ${pct(LARGE_RECORD_TRAFFIC_SHARE)} of the traffic, not a steady flow of them: size ` +
      "for the baseline of smaller records and treat these shards as a floor",
  ];
  if (traffic.recordBytes > LAMBDA_MAX_RECORD_BYTES)
    warnings.push(
      `large records: no Lambda consumer can be handed a record over ${(LAMBDA_MAX_RECORD_BYTES / MIB).toFixed(1)} MiB ` +
        "(the 6 MB invoke payload carries it base64-encoded)",
    );
  return warnings;
}

function payloadWarnings({ traffic, consumers }: WarningFacts): string[] {
  // No record fits at all: the large-record warning says so.
  if (consumers.maxBatchByPayload >= ESM_RANGES.batchSize.max || consumers.maxBatchByPayload === 0) return [];
  return [
    `6 MB invoke payload: a batch holds at most ${consumers.maxBatchByPayload.toLocaleString("en-US")} records of ` +
      `${traffic.recordBytes} bytes (base64 in the event); Lambda cuts a larger batch size there`,
  ];
}

/** Shared readers poll every shard about once a second each (Lambda's base rate), from 5 GetRecords calls/s per shard. */
function readerWarnings({ readers }: WarningFacts): string[] {
  if (readers.efo || readers.consumers <= SHARD_READ_LIMITS.callsPerSecond) return [];
  return [
    `${readers.consumers} shared-throughput consumers poll each shard about once a second each, and a shard serves ` +
      `${SHARD_READ_LIMITS.callsPerSecond} GetRecords calls/s: reads will be throttled; use enhanced fan-out (--efo)`,
  ];
}

function quotaWarnings({ need, region }: WarningFacts): string[] {
  const quota = defaultShardQuota(region);
  if (need.shards <= quota) return [];
  return [
    `shard quota: ${need.shards} shards exceed the default account quota in ${region} (${quota.toLocaleString("en-US")}): ` +
      "check yours with `kinesis-ingest doctor` and request more (Service Quotas) before deploying",
  ];
}

function onDemandWarnings({ traffic, region }: WarningFacts): string[] {
  const bytes = peakBytesPerSecond(traffic);
  const warnings: string[] = [];
  if (bytes > onDemandMaxWriteBytesPerSecond(region)) {
    warnings.push(`on-demand: the peak of ${fmt(bytes / MIB)} MiB/s is above what an on-demand stream writes in ${region} by default`);
  }
  if (bytes > ON_DEMAND_INITIAL_WRITE.bytesPerSecond || traffic.peak > ON_DEMAND_INITIAL_WRITE.recordsPerSecond) {
    warnings.push(
      "on-demand: a new stream writes 4 MB/s and 4,000 records/s and adapts to twice its peak of the last 30 days; " +
        "a new stream, or a jump past twice the last peak, is throttled until it scales (On-demand Advantage can warm it ahead)",
    );
  }
  return warnings;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function pct(share: number): string {
  return `${(share * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
}
