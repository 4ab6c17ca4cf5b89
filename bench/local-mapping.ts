/**
 * Driving the local event source mapping engine in a benchmark: the settings the benchmarks' mappings share,
 * the ARNs it names, and running it until the shard's checkpoint reaches the last record written.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../local/emulators";
import type { EventSourceMapping, MappingSettings } from "../local/esm";
import { sleep } from "../semantics/backoff";

/** A mapping reading batches of `batchSize` from the start as soon as they are there, one batch at a time. */
export function benchMappingSettings(batchSize: number): MappingSettings {
  return {
    batchSize,
    batchWindowSeconds: 0,
    startingPosition: "TRIM_HORIZON",
    parallelizationFactor: 1,
    bisectOnError: true,
    maxRecordAgeSeconds: 3600,
    maxRetryAttempts: 3,
    enabled: true,
  };
}

/** The stream and function ARNs a mapping of `streamName` to `functionName` reports, as the local stack names them. */
export function localArns(streamName: string, functionName: string): { streamArn: string; functionArn: string } {
  return {
    streamArn: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`,
    functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
  };
}

/**
 * Starts `mapping`, waits until its one shard (`shardId-000000000000`) is checkpointed at `lastSequenceNumber`,
 * stops it, and says how long that took; after `deadlineMs` stops it and throws a {@link MappingDeadlineError}
 * naming `what`.
 */
export async function runToCheckpoint(
  mapping: EventSourceMapping,
  lastSequenceNumber: string | undefined,
  what: string,
  deadlineMs: number,
): Promise<number> {
  const started = Date.now();
  mapping.start();
  while (mapping.checkpoint("shardId-000000000000") !== lastSequenceNumber) {
    if (Date.now() - started > deadlineMs) {
      // Stopped first, so that a caller that goes on to its next run does not share the CPU with this one.
      await mapping.stop();
      throw new MappingDeadlineError(`${what}: the mapping did not finish within ${deadlineMs} ms`);
    }
    await sleep(5);
  }
  const elapsedMs = Date.now() - started;
  await mapping.stop();
  return elapsedMs;
}

/** A mapping that did not reach its checkpoint in time; a benchmark may report the cell as unfinished and go on. */
export class MappingDeadlineError extends Error {}
