/**
 * Reads one shard page by page from a start position to a bound: the shard's end, a record that arrived
 * after `until`, a sequence number past `endSequenceNumber`, or the tip (an empty page 0 ms behind).
 * Paced to the per-shard read limits; throttling is retried with backoff and an expired iterator is
 * re-acquired AFTER_SEQUENCE_NUMBER of the last record handed out, so nothing is skipped or repeated.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from "@aws-sdk/client-kinesis";
import { sleep } from "../semantics/backoff";
import { awsErrorName } from "../semantics/errors";
import { MAX_GET_RECORDS_LIMIT } from "../semantics/limits";
import { ReadFailedError } from "./errors";
import { ShardReadPacer } from "./pacing";
import { DEFAULT_RETRY, isRetriable, retryDelay, type RetryPolicy } from "./retry";
import { compareSequenceNumbers, type StartPosition, type StreamRecord } from "./types";

/** What to read and how. */
export interface ShardReadOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly shardId: string;
  readonly start: StartPosition;
  /** Stop before the first record that arrived after this instant. */
  readonly until?: Date;
  /** Stop after this sequence number (inclusive bound). */
  readonly endSequenceNumber?: string;
  /** Per-shard read budget. @default a fresh pacer with the Kinesis limits */
  readonly pacer?: ShardReadPacer;
  /** GetRecords `Limit`. @default 10000 */
  readonly limit?: number;
  readonly retry?: RetryPolicy;
  /** Told about each retried error (throttling, expired iterator) for progress and reports. */
  readonly onRetry?: (shardId: string, error: unknown) => void;
  /**
   * Emulator quirk: kinesalite never answers GetShardIterator AT_TIMESTAMP when the shard has no record at
   * or after the timestamp. When set, an AT_TIMESTAMP request unanswered for this long is read as "nothing
   * there yet" and the shard is read from LATEST, the position Kinesis would have returned. Off against AWS.
   */
  readonly atTimestampTimeoutMs?: number;
}

/** One GetRecords result, cut at the bound. */
export interface ShardPage {
  readonly records: StreamRecord[];
  /** How far this shard's reader is behind its tip. */
  readonly millisBehindLatest: number;
  /** True on the last page: the shard (or the requested range) was read to its end. */
  readonly last: boolean;
}

/** Yields the shard's pages in order; the caller handles each page before the next is read. */
export async function* readShard(options: ShardReadOptions): AsyncGenerator<ShardPage> {
  const pacer = options.pacer ?? new ShardReadPacer();
  const policy = options.retry ?? DEFAULT_RETRY;
  let lastHandedOut: string | undefined;
  const position = (): StartPosition => (lastHandedOut ? { type: "AFTER_SEQUENCE_NUMBER", sequenceNumber: lastHandedOut } : options.start);
  let iterator: string | undefined = await acquireIterator(options, position(), policy);
  let failures = 0;
  while (iterator) {
    await pacer.beforeCall();
    let response;
    try {
      response = await options.client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit ?? MAX_GET_RECORDS_LIMIT }),
      );
      failures = 0;
    } catch (error) {
      const expired = awsErrorName(error) === "ExpiredIteratorException";
      if ((!expired && !isRetriable(error)) || ++failures >= policy.maxAttempts) throw new ReadFailedError(options.shardId, error);
      options.onRetry?.(options.shardId, error);
      if (expired) iterator = await acquireIterator(options, position(), policy);
      else await sleep(retryDelay(failures, policy));
      continue;
    }
    const raw = response.Records ?? [];
    pacer.afterCall(raw.reduce((sum, r) => sum + (r.Data?.byteLength ?? 0) + Buffer.byteLength(r.PartitionKey ?? ""), 0));
    const records: StreamRecord[] = [];
    let reachedBound = false;
    for (const record of raw) {
      const converted = toStreamRecord(options.shardId, record);
      if (beyondBound(converted, options)) {
        reachedBound = true;
        break;
      }
      records.push(converted);
    }
    const millisBehindLatest = response.MillisBehindLatest ?? 0;
    iterator = response.NextShardIterator ?? undefined;
    const atTip = raw.length === 0 && millisBehindLatest === 0;
    const last = reachedBound || atTip || !iterator;
    if (records.length > 0 || last) yield { records, millisBehindLatest, last };
    const handedOut = records.at(-1);
    if (handedOut !== undefined) lastHandedOut = handedOut.sequenceNumber;
    if (last) return;
  }
}

async function acquireIterator(options: ShardReadOptions, start: StartPosition, policy: RetryPolicy): Promise<string | undefined> {
  const quirkTimeout = start.type === "AT_TIMESTAMP" ? options.atTimestampTimeoutMs : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const signal = quirkTimeout === undefined ? undefined : AbortSignal.timeout(quirkTimeout);
      const response = await options.client.send(
        new GetShardIteratorCommand({
          StreamName: options.streamName,
          ShardId: options.shardId,
          ShardIteratorType: start.type,
          Timestamp: start.type === "AT_TIMESTAMP" ? start.timestamp : undefined,
          StartingSequenceNumber:
            start.type === "AT_SEQUENCE_NUMBER" || start.type === "AFTER_SEQUENCE_NUMBER" ? start.sequenceNumber : undefined,
        }),
        { abortSignal: signal },
      );
      return response.ShardIterator;
    } catch (error) {
      if (quirkTimeout !== undefined && awsErrorName(error) === "AbortError") return acquireIterator(options, { type: "LATEST" }, policy);
      if (!isRetriable(error) || attempt >= policy.maxAttempts) throw error;
      options.onRetry?.(options.shardId, error);
      await sleep(retryDelay(attempt, policy));
    }
  }
}

function beyondBound(record: StreamRecord, options: ShardReadOptions): boolean {
  if (options.until && record.approximateArrivalTimestamp.getTime() > options.until.getTime()) return true;
  return options.endSequenceNumber !== undefined && compareSequenceNumbers(record.sequenceNumber, options.endSequenceNumber) > 0;
}

function toStreamRecord(shardId: string, record: _Record): StreamRecord {
  return {
    shardId,
    sequenceNumber: record.SequenceNumber ?? "",
    partitionKey: record.PartitionKey ?? "",
    data: record.Data ?? new Uint8Array(),
    approximateArrivalTimestamp: record.ApproximateArrivalTimestamp ?? new Date(0),
  };
}
