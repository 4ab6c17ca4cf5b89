/**
 * Whether a stack keeps up with a traffic: its stream (shards for the writes and the shared reads, or an
 * on-demand stream's ceiling) and each consumer (parallelization factor, batch size and timeout for the
 * per-record time), on the model of `consumers.ts`.
 */
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { MAX_INVOKE_PAYLOAD_BYTES, SHARD_READ_LIMITS } from "../semantics/limits";
import { onDemandMaxWriteBytesPerSecond } from "../semantics/stream-capacity";
import { batchByPayload, invocationRate } from "./consumers";
import { DEFAULT_CONCURRENCY } from "../handlers/lib/consumer/consumer";
import { peakBytesPerSecond, shardsFor } from "./shards";
import type { Traffic } from "./types";

/** What the check reads of a stack. */
export interface StackCapacity {
  readonly name: string;
  readonly mode: "provisioned" | "on-demand";
  readonly shards: number;
  /** `stream.maxRecordSizeKiB`: a larger record is refused whatever the capacity. */
  readonly maxRecordSizeKiB: number;
  readonly consumers: readonly StackConsumer[];
}

/** What the check reads of one consumer. */
export interface StackConsumer {
  readonly name: string;
  readonly fanOut: boolean;
  readonly parallelizationFactor: number;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly enabled: boolean;
}

/** A verdict: keeps up (true), does not (false), or cannot be judged (null), and why. */
export interface Verdict {
  readonly keepsUp: boolean | null;
  readonly detail: readonly string[];
}

/** The stack's verdicts. */
export interface StackVerdict {
  readonly name: string;
  readonly mode: StackCapacity["mode"];
  readonly shards: number;
  /** False when the stream or any enabled consumer does not keep up. */
  readonly keepsUp: boolean;
  readonly stream: Verdict;
  readonly consumers: ReadonlyArray<Verdict & { readonly name: string }>;
}

/** Checks `stack` against `traffic`; `recordMs` (per record) is what the consumers are judged by. */
export function checkStack(stack: StackCapacity, traffic: Traffic, region: string, recordMs?: number): StackVerdict {
  const enabled = stack.consumers.filter((c) => c.enabled);
  const shared = enabled.filter((c) => !c.fanOut).length;
  const planned = shardsFor(traffic, { consumers: shared, efo: false });
  const stream = withRecordSize(
    stack.maxRecordSizeKiB,
    traffic,
    stack.mode === "provisioned" ? provisionedStream(stack.shards, planned) : onDemandStream(traffic, region),
  );
  // An on-demand stream picks its own shard count, scaling on writes: at least what the writes need, and its
  // consumers face at most that per shard.
  const shards = stack.mode === "provisioned" ? stack.shards : Math.max(1, planned.forWriteBytes, planned.forWriteRecords);
  const consumers = stack.consumers.map((c) => ({ name: c.name, ...consumerVerdict(c, traffic, shards, recordMs) }));
  const keepsUp = stream.keepsUp !== false && consumers.every((c) => c.keepsUp !== false);
  return { name: stack.name, mode: stack.mode, shards: stack.shards, keepsUp, stream, consumers };
}

/** The stream's verdict, failed when its maximum record size refuses the traffic's records. */
function withRecordSize(maxRecordSizeKiB: number, traffic: Traffic, verdict: Verdict): Verdict {
  if (traffic.recordBytes <= maxRecordSizeKiB * 1024) return verdict;
  return {
    keepsUp: false,
    detail: [
      `stream.maxRecordSizeKiB ${maxRecordSizeKiB} refuses records of ${traffic.recordBytes} bytes: raise it to at least ` +
        `${Math.ceil(traffic.recordBytes / 1024)}`,
      ...verdict.detail,
    ],
  };
}

function provisionedStream(shards: number, need: ReturnType<typeof shardsFor>): Verdict {
  const writes = Math.max(need.forWriteBytes, need.forWriteRecords);
  return {
    keepsUp: shards >= writes && shards >= need.forReads,
    detail: [
      `writes need ${writes} shards at the peak (${need.forWriteBytes} for bytes, ${need.forWriteRecords} for records; ` +
        `${need.aggregatedShards} with KPL aggregation); the stack has ${shards}`,
      `shared-throughput reads need ${need.forReads} shards (${SHARD_READ_LIMITS.bytesPerSecond / 1024 / 1024} MiB/s a shard, ` +
        "shared by the consumers without a fan-out consumer)",
    ],
  };
}

function onDemandStream(traffic: Traffic, region: string): Verdict {
  const ok = peakBytesPerSecond(traffic) <= onDemandMaxWriteBytesPerSecond(region);
  return {
    keepsUp: ok,
    detail: [
      ok
        ? "on-demand: scales itself to the peak (see the warnings for a new stream)"
        : `on-demand: the peak is above ${region}'s default ceiling`,
    ],
  };
}

function consumerVerdict(consumer: StackConsumer, traffic: Traffic, shards: number, recordMs: number | undefined): Verdict {
  if (!consumer.enabled) return { keepsUp: null, detail: ["paused (enabled: false): reads nothing"] };
  const perShard = traffic.peak / shards;
  const payloadCap = batchByPayload(traffic.recordBytes);
  const batch = Math.min(consumer.batchSize, payloadCap);
  const detail: string[] = [];
  if (consumer.batchSize > payloadCap) {
    detail.push(`batchSize ${consumer.batchSize} is cut to ${payloadCap} records by the ${MAX_INVOKE_PAYLOAD_BYTES} bytes invoke payload`);
  }
  if (recordMs === undefined) {
    detail.push("pass --record-ms to judge its processing");
    return { keepsUp: null, detail };
  }
  const capacity = invocationRate(recordMs) * consumer.parallelizationFactor;
  const batchSeconds = (Math.ceil(batch / DEFAULT_CONCURRENCY) * recordMs) / 1000;
  const fast = capacity >= perShard;
  const factor = Math.ceil(perShard / invocationRate(recordMs));
  const remedy =
    factor <= ESM_RANGES.parallelizationFactor.max ? `parallelizationFactor ${factor}` : "more shards (see the plan's consumers)";
  const fits = batchSeconds <= consumer.timeoutSeconds;
  detail.push(
    `parallelizationFactor ${consumer.parallelizationFactor} processes ${round(capacity)} records/s per shard; ` +
      `each shard receives ${round(perShard)} at the peak${fast ? "" : `: needs ${remedy}`}`,
    `a full batch of ${batch} takes about ${round(batchSeconds)} s of its ${consumer.timeoutSeconds} s timeout${fits ? "" : ": it times out"}`,
  );
  return { keepsUp: fast && fits, detail };
}

function round(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 1 });
}
