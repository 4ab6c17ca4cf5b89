/**
 * Reads one shard for the mapping: GetRecords in a loop, dealing the records into the shard's lanes, until
 * the shard is closed (NextShardIterator null) and every record read is processed, or the mapping stops.
 * Expired iterators and throttling (ProvisionedThroughputExceededException, e.g. from the local limits proxy)
 * are retried with backoff; they never reach the function and never count as retries.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from "@aws-sdk/client-kinesis";
import type { ShardCheckpoint } from "./checkpoint";
import { KeyRouter } from "./key-router";
import { Lane } from "./lane";
import type { RecordFilter } from "../../semantics/event-filter";
import type { MappingCounters } from "./stats";
import { backoffDelay, sleep } from "../../semantics/backoff";
import { kinesisEventRecord, type EventSource } from "../../semantics/lambda-event";
import { MAX_GET_RECORDS_LIMIT, MAX_INVOKE_PAYLOAD_BYTES } from "../../semantics/limits";
import { Signal } from "./signal";
import type { ShardWindows } from "./tumbling-window";
import type { MappingSettings, ShardRecord } from "./types";

/** Where a shard's reading begins. */
export type ShardStart =
  | { readonly type: "AFTER_SEQUENCE_NUMBER"; readonly sequenceNumber: string }
  | { readonly type: "LATEST" }
  /** From the oldest record, delivering only records that arrived at or after `notBeforeMs` when set. */
  | { readonly type: "TRIM_HORIZON"; readonly notBeforeMs?: number };

export interface ShardPollerOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly shardId: string;
  readonly start: ShardStart;
  readonly settings: MappingSettings;
  readonly pollIntervalMs: number;
  readonly source: EventSource;
  readonly counters: MappingCounters;
  readonly checkpoint: ShardCheckpoint;
  /** Takes one batch to completion, reporting finished runs to `onDone`. */
  readonly processBatch: (records: readonly ShardRecord[], onDone: (done: readonly ShardRecord[]) => void) => Promise<void>;
  /** Aborted when the mapping stops or is disabled. */
  readonly signal: AbortSignal;
  readonly onError?: (error: unknown, during: string) => void;
  /** The mapping's filter criteria: records it drops are checkpointed past without an invocation. */
  readonly filter?: RecordFilter;
  /** The shard's tumbling windows: batches then never span two windows and run one at a time (one state per shard). */
  readonly windows?: ShardWindows;
}

export class ShardPoller {
  private readonly lanes: Lane[];
  private readonly router: KeyRouter;
  private readonly progress = new Signal();
  /** Read-ahead bounds: enough for a full batch in every lane and one more, in records and in bytes. */
  private readonly maxBufferedRecords: number;
  private readonly maxBufferedBytes: number;

  constructor(private readonly options: ShardPollerOptions) {
    const { settings, checkpoint } = options;
    const { windows } = options;
    this.lanes = Array.from(
      { length: windows ? 1 : settings.parallelizationFactor },
      () =>
        new Lane({
          batchSize: settings.batchSize,
          windowMs: settings.batchWindowSeconds * 1000,
          batchKey: windows && ((record) => windows.windowOf(record)),
          run: (records) =>
            options.processBatch(records, (done) => {
              this.router.release(done);
              checkpoint.complete(done);
            }),
          onBatchDone: () => this.progress.notify(),
          onError: options.onError,
        }),
    );
    this.router = new KeyRouter(this.lanes);
    this.maxBufferedRecords = Math.max(1000, settings.batchSize * (settings.parallelizationFactor + 1));
    this.maxBufferedBytes = MAX_INVOKE_PAYLOAD_BYTES * (settings.parallelizationFactor + 1);
  }

  /** Reads until the shard is closed and drained (true) or the mapping stops (false). */
  async run(): Promise<boolean> {
    const { signal } = this.options;
    const wake = (): void => this.progress.notify();
    signal.addEventListener("abort", wake, { once: true });
    try {
      return await this.readShard();
    } finally {
      signal.removeEventListener("abort", wake);
      await Promise.all(this.lanes.map((lane) => lane.stop()));
    }
  }

  private async readShard(): Promise<boolean> {
    const { kinesis, shardId, signal, start, counters, checkpoint, filter, windows } = this.options;
    const notBeforeMs = start.type === "TRIM_HORIZON" ? start.notBeforeMs : undefined;
    let iterator = await this.shardIterator(start);
    let lastRead: string | undefined;
    let failures = 0;
    while (iterator !== undefined && !signal.aborted) {
      while (this.bufferFull() && !signal.aborted) await this.progress.wait();
      if (signal.aborted) break;
      let response;
      const readStartedAt = Date.now();
      try {
        response = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.readLimit() }));
        failures = 0;
      } catch (error) {
        this.options.onError?.(error, `reading ${shardId}`);
        if ((error as Error).name === "ExpiredIteratorException") {
          // Re-position where reading stopped; nothing read is lost or read twice.
          iterator = await this.shardIterator(lastRead ? { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: lastRead } : start);
        }
        await sleep(backoffDelay(failures++), signal);
        continue;
      }
      const read = (response.Records ?? []).map((record) => toShardRecord(record, shardId, this.options.source));
      if (read.length > 0) lastRead = (read[read.length - 1] as ShardRecord).sequenceNumber;
      const records = notBeforeMs === undefined ? read : read.filter((record) => record.arrivalMs >= notBeforeMs);
      checkpoint.track(records);
      const dropped: ShardRecord[] = [];
      for (const record of records) {
        if (!filter || filter(Buffer.from(record.event.kinesis.data, "base64"))) this.router.route(record).push(record);
        else dropped.push(record);
      }
      for (const lane of this.lanes) lane.pump();
      // Filtered-out records are done as soon as they are read: the checkpoint moves past them.
      if (dropped.length > 0) checkpoint.complete(dropped);

      if (response.NextShardIterator === undefined || response.NextShardIterator === null) {
        for (const lane of this.lanes) lane.flush();
        while (!this.lanes.every((lane) => lane.idle) && !signal.aborted) await this.progress.wait();
        // "When the shard ends, Lambda considers the window closed."
        if (windows && !signal.aborted) await windows.close(false);
        if (!signal.aborted) counters.forgetShard(shardId);
        return !signal.aborted;
      }
      iterator = response.NextShardIterator;
      if (read.length === 0) {
        if (this.lanes.every((lane) => lane.idle)) {
          counters.idlePolls += 1;
          counters.setIteratorAge(shardId, 0);
          await windows?.closeIfDue(readStartedAt);
        }
        await sleep(this.options.pollIntervalMs, signal);
      }
    }
    return false;
  }

  /** GetShardIterator, retried with backoff; undefined once the mapping stops. */
  private async shardIterator(start: ShardStart): Promise<string | undefined> {
    const { kinesis, streamName, shardId, signal } = this.options;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const { ShardIterator } = await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: start.type,
            StartingSequenceNumber: start.type === "AFTER_SEQUENCE_NUMBER" ? start.sequenceNumber : undefined,
          }),
        );
        if (ShardIterator) return ShardIterator;
        throw new Error(`GetShardIterator returned no iterator for ${shardId}`);
      } catch (error) {
        this.options.onError?.(error, `positioning on ${shardId}`);
        await sleep(backoffDelay(attempt), signal);
      }
    }
    return undefined;
  }

  private bufferFull(): boolean {
    let records = 0;
    let bytes = 0;
    for (const lane of this.lanes) {
      records += lane.buffered;
      bytes += lane.bufferedBytes;
    }
    return records >= this.maxBufferedRecords || bytes >= this.maxBufferedBytes;
  }

  private readLimit(): number {
    const buffered = this.lanes.reduce((sum, lane) => sum + lane.buffered, 0);
    return Math.max(1, Math.min(MAX_GET_RECORDS_LIMIT, this.maxBufferedRecords - buffered));
  }
}

/** Turns a GetRecords record into the engine's {@link ShardRecord}, building its event entry once. */
function toShardRecord(record: _Record, shardId: string, source: EventSource): ShardRecord {
  const sequenceNumber = required(record.SequenceNumber, "SequenceNumber");
  const partitionKey = required(record.PartitionKey, "PartitionKey");
  const arrival = required(record.ApproximateArrivalTimestamp, "ApproximateArrivalTimestamp");
  const event = kinesisEventRecord(
    { shardId, sequenceNumber, partitionKey, data: record.Data ?? new Uint8Array(), approximateArrivalTimestamp: arrival },
    source,
  );
  return {
    shardId,
    sequenceNumber,
    partitionKey,
    arrivalMs: arrival.getTime(),
    event,
    eventBytes: Buffer.byteLength(JSON.stringify(event)) + 1,
  };
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`GetRecords returned a record without ${field}`);
  return value;
}
