/**
 * The producer interface shared by the HTTP API client and the direct Kinesis producer, so callers (and the
 * `kinesis-ingest send` command) can switch between them without changing code.
 */

/**
 * One record as the API contract defines it: `data` (any JSON value, stored as its JSON text), `dataJson`
 * (JSON text, stored byte for byte) or `dataBase64` (raw bytes), and an optional partition key (1–256
 * characters).
 */
export interface ProducerRecord {
  /** Any JSON value; stored as the UTF-8 bytes of `JSON.stringify(data)`. Exactly one of the three data fields. */
  readonly data?: unknown;
  /**
   * A JSON value as text, stored exactly as written (its numbers, spacing and key order unchanged): what the
   * API stores for a request's `data`. Exactly one of the three data fields.
   */
  readonly dataJson?: string;
  /** Raw bytes, base64 encoded. Exactly one of the three data fields. */
  readonly dataBase64?: string;
  /** Kinesis partition key. Without one, a key is derived so that records spread evenly over shards. */
  readonly partitionKey?: string;
}

/** Where a record was stored. `subSequenceNumber` is set when the record travelled inside a KPL aggregate. */
export interface PutResult {
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly subSequenceNumber?: number;
}

/** Latency from `put()` to the record's result, in milliseconds. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** Counters since the producer was created. */
export interface ProducerStats {
  /** Records stored. */
  readonly sent: number;
  /** Bytes stored (data bytes + partition key, the Kinesis sizing rule). */
  readonly sentBytes: number;
  /** Record retries (one record retried three times counts three). */
  readonly retried: number;
  /** Records given up on (rejected, or their deadline passed). */
  readonly failed: number;
  /** Records accepted by `put()` and not yet settled. */
  readonly pending: number;
  /** Requests (HTTP) or PutRecords calls (Kinesis) made, including retries. */
  readonly requests: number;
  readonly latencyMs: LatencyPercentiles;
}

/** A batching, retrying producer. */
export interface Producer {
  /**
   * Queues one record and resolves with where it was stored, or rejects with a `ProducerError` once it can
   * no longer be stored (rejected by the service, or its deadline passed). When the buffer is full the
   * record waits for room; to keep memory flat while streaming, `await ready()` before each `put`.
   */
  put(record: ProducerRecord): Promise<PutResult>;
  /** Resolves when the buffer has room for another record (immediately when it has). */
  ready(): Promise<void>;
  /** Sends everything queued so far and resolves once every record queued before the call has settled. */
  flush(): Promise<void>;
  /** Flushes, then releases connections and timers. `put` after `close` rejects. */
  close(): Promise<void>;
  stats(): ProducerStats;
}
