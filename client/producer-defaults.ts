/**
 * The producers' defaults, in a module of their own so that `kinesis-ingest send` can name them in its help
 * without loading the AWS SDK (it loads the Kinesis producer only for `--stream`).
 */
export const PRODUCER_DEFAULTS = {
  /** `HttpProducer`: requests in flight, and how long a partial batch waits for more records. */
  http: { maxInFlight: 8, lingerMs: 20 },
  /** `KinesisProducer`: PutRecords calls in flight, the wait of a partial batch, calls in flight per shard. */
  kinesis: { maxInFlight: 32, lingerMs: 50, maxInFlightPerShard: 2 },
  /** Both: a record not stored this long after `put()` fails with `RecordDeadlineError`. */
  recordTimeoutMs: 60_000,
} as const;
