/**
 * The event source mapping: finds the stream's shards, reads each with a {@link ShardPoller} (children of a
 * resharding only once their parents are fully processed), keeps the checkpoints across disable/enable, and
 * counts what happened. Semantics follow "Using Lambda with Kinesis" and "Kinesis event source mapping
 * parameters" in the AWS Lambda developer guide; filter criteria and tumbling windows those of "Lambda event
 * filtering" and "Using tumbling windows with Lambda".
 */
import type { Shard } from "@aws-sdk/client-kinesis";
import { backoffDelay, sleep } from "../../semantics/backoff";
import type { EventSource } from "../../semantics/lambda-event";
import { listShards, listShardsWith } from "../../semantics/list-shards";
import { processBatch, type BatchProcessorContext } from "./batch-processor";
import { ShardCheckpoint } from "./checkpoint";
import { compileFilterCriteria, type RecordFilter } from "../../semantics/event-filter";
import { ShardPoller, type ShardStart } from "./shard-poller";
import { MappingCounters } from "./stats";
import { ShardWindows, type OpenWindow } from "./tumbling-window";
import type { EventSourceMappingOptions, EventSourceMappingStats } from "./types";
import { validateMappingSettings } from "./validate";

/**
 * Polls a Kinesis stream and invokes a function with batches of its records, like a Lambda event source mapping.
 *
 * @example
 * const mapping = new EventSourceMapping({ kinesis, sqs, streamName, streamArn, consumer, functionArn, dlqUrl,
 *   invoke: async (event, { requestId }) => ({ payload: await handler(event, { awsRequestId: requestId }) }) });
 * mapping.start();
 * // … mapping.stats().invocations, await mapping.setEnabled(false), …
 * await mapping.stop();
 */
export class EventSourceMapping {
  private readonly counters = new MappingCounters();
  private readonly checkpoints = new Map<string, string>();
  private readonly finishedShards = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly source: EventSource;
  /** The compiled `filterPatterns`; undefined when there are none (every record goes to the function). */
  private readonly filter: RecordFilter | undefined;
  /** Each shard's open tumbling window and its state, kept across disable/enable like the checkpoints. */
  private readonly openWindows = new Map<string, OpenWindow>();
  /** Shards present when the mapping first polled; the starting position applies to them only. */
  private initialShards: Set<string> | undefined;
  /** When the mapping first polled, for LATEST shards first read later (a child waiting on its parent, a re-enable). */
  private firstPolledAtMs = 0;
  private knownShards: Shard[] = [];
  /** True while the shards found at the first poll are being started: only they may take a LATEST iterator. */
  private firstPass = false;
  private abort: AbortController | undefined;
  private discovery: Promise<void> | undefined;
  private started = false;
  private enabledNow: boolean;

  constructor(private readonly options: EventSourceMappingOptions) {
    validateMappingSettings(options.consumer);
    this.enabledNow = options.consumer.enabled;
    const patterns = options.consumer.filterPatterns ?? [];
    this.filter = patterns.length > 0 ? compileFilterCriteria(patterns) : undefined;
    this.source = {
      streamArn: options.streamArn,
      invokeIdentityArn: options.invokeIdentityArn ?? assumedExecutionRoleArn(options.functionArn),
    };
  }

  /** Begins polling (unless disabled: then it waits for `setEnabled(true)`). */
  start(): void {
    this.started = true;
    if (this.enabledNow) this.activate();
  }

  /** Stops polling and waits for the batches in flight; checkpoints are kept, so `start()` resumes. */
  async stop(): Promise<void> {
    this.started = false;
    await this.deactivate();
  }

  /** `Enabled` of the mapping: false pauses polling and keeps the checkpoints; true resumes from them. */
  async setEnabled(enabled: boolean): Promise<void> {
    this.enabledNow = enabled;
    if (!this.started) return;
    if (enabled) this.activate();
    else await this.deactivate();
  }

  get enabled(): boolean {
    return this.enabledNow;
  }

  stats(): EventSourceMappingStats {
    return this.counters.snapshot();
  }

  /** The sequence number a shard resumes after, if any record of it was processed. */
  checkpoint(shardId: string): string | undefined {
    return this.checkpoints.get(shardId);
  }

  private activate(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.discovery = this.discoverShards(abort.signal);
  }

  private async deactivate(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    await this.discovery;
    await Promise.all(this.running.values());
    this.abort = undefined;
    // Re-enabled (or restarted) while this stop was under way.
    if (this.started && this.enabledNow) this.activate();
  }

  /** ListShards now and then, to pick up the children of a split or merge. */
  private async discoverShards(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted;) {
      try {
        this.knownShards = await listShards(listShardsWith(this.options.kinesis), this.options.streamName);
        failures = 0;
      } catch (error) {
        this.options.onError?.(error, `listing the shards of ${this.options.streamName}`);
        await sleep(backoffDelay(failures++), signal);
        continue;
      }
      this.startReadyShards(signal);
      await sleep(this.options.shardDiscoveryIntervalMs ?? 1000, signal);
    }
  }

  /** Starts a poller for every unfinished shard whose parents are finished (or gone from the stream). */
  private startReadyShards(signal: AbortSignal): void {
    const known = new Set(this.knownShards.map((shard) => shard.ShardId ?? ""));
    this.firstPass = !this.initialShards;
    if (!this.initialShards) {
      this.initialShards = known;
      this.firstPolledAtMs = Date.now();
    }
    for (const shard of this.knownShards) {
      const shardId = shard.ShardId;
      if (!shardId || this.finishedShards.has(shardId) || this.running.has(shardId)) continue;
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId];
      if (parents.some((parent) => parent && known.has(parent) && !this.finishedShards.has(parent))) continue;
      this.running.set(shardId, this.readShard(shardId, this.startOf(shardId), signal));
    }
    this.firstPass = false;
  }

  private async readShard(shardId: string, start: ShardStart, signal: AbortSignal): Promise<void> {
    const { options } = this;
    const windowSeconds = options.consumer.tumblingWindowSeconds ?? 0;
    const retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    const windows =
      windowSeconds > 0
        ? new ShardWindows({
            shardId,
            streamArn: options.streamArn,
            windowSeconds,
            invoke: options.invoke,
            counters: this.counters,
            retryBaseDelayMs,
            signal,
            load: () => this.openWindows.get(shardId),
            save: (window) => (window ? this.openWindows.set(shardId, window) : this.openWindows.delete(shardId)),
            onError: options.onError,
          })
        : undefined;
    const context: BatchProcessorContext = {
      settings: options.consumer,
      reportBatchItemFailures: options.reportBatchItemFailures ?? true,
      invoke: options.invoke,
      sqs: options.sqs,
      dlqUrl: options.dlqUrl,
      functionArn: options.functionArn,
      streamArn: options.streamArn,
      counters: this.counters,
      clock: options.clock ?? Date.now,
      retryBaseDelayMs,
      signal,
      onError: options.onError,
      windows,
    };
    const poller = new ShardPoller({
      kinesis: options.kinesis,
      streamName: options.streamName,
      shardId,
      start,
      settings: options.consumer,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      source: this.source,
      counters: this.counters,
      checkpoint: new ShardCheckpoint(this.checkpoints.get(shardId), (sequence) => this.checkpoints.set(shardId, sequence)),
      processBatch: (records, onDone) => processBatch(records, context, onDone),
      signal,
      onError: options.onError,
      filter: this.filter,
      windows,
    });
    let closed = false;
    try {
      closed = await poller.run();
    } catch (error) {
      options.onError?.(error, `reading ${shardId}`);
    }
    this.running.delete(shardId);
    if (closed) {
      this.finishedShards.add(shardId);
      if (!signal.aborted) this.startReadyShards(signal);
    }
  }

  /**
   * The checkpoint when there is one. Otherwise the configured starting position for the shards the mapping
   * found when it first polled, and TRIM_HORIZON for shards created after (a resharding's children). LATEST
   * and AT_TIMESTAMP read from the oldest record and skip what arrived earlier: kinesalite answers an
   * AT_TIMESTAMP GetShardIterator past the last record never, and a LATEST shard read late must not miss
   * the records written since the mapping started.
   */
  private startOf(shardId: string): ShardStart {
    const checkpoint = this.checkpoints.get(shardId);
    if (checkpoint) return { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: checkpoint };
    if (!this.initialShards?.has(shardId)) return { type: "TRIM_HORIZON" };
    const { startingPosition, startingPositionTimestamp } = this.options.consumer;
    if (startingPosition === "TRIM_HORIZON") return { type: "TRIM_HORIZON" };
    if (startingPosition === "AT_TIMESTAMP") return { type: "TRIM_HORIZON", notBeforeMs: Date.parse(startingPositionTimestamp ?? "") };
    return this.firstPass ? { type: "LATEST" } : { type: "TRIM_HORIZON", notBeforeMs: this.firstPolledAtMs };
  }
}

/**
 * The `invokeIdentityArn` of the events when none is given: a role named for the function
 * (`arn:aws:iam::ACCOUNT:role/NAME-role`), standing in for the execution role a deployed mapping reports.
 */
function assumedExecutionRoleArn(functionArn: string): string {
  const [, , , , account, , name] = functionArn.split(":");
  if (!account || !name) {
    throw new Error(`functionArn ${functionArn} is not arn:aws:lambda:REGION:ACCOUNT:function:NAME`);
  }
  return `arn:aws:iam::${account}:role/${name}-role`;
}
