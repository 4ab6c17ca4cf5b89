/**
 * The Kinesis Data Streams and Lambda limits the code honours, in one place
 * (docs/aws-semantics.md#kinesis-data-streams-limits, docs/aws-semantics.md#lambda-limits-and-environment;
 * AWS pages "Quotas and limits" of the Kinesis Data Streams developer guide and "Lambda quotas").
 */

/** 1 MiB in bytes. */
export const MIB = 1024 * 1024;

/** One stored record: data bytes plus partition key bytes (Kinesis counts the key toward the record). */
export const MAX_RECORD_BYTES = 1 * MIB;

/** Records per PutRecords call. */
export const MAX_PUT_RECORDS_COUNT = 500;

/** Data plus partition keys of one PutRecords call. */
export const MAX_PUT_RECORDS_BYTES = 5 * MIB;

/** A partition key is 1 to 256 characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

/** Per-shard write throughput of a provisioned stream. */
export const SHARD_WRITE_LIMITS = { bytesPerSecond: 1 * MIB, recordsPerSecond: 1000 } as const;

/** Per-shard read throughput (shared GetRecords, not enhanced fan-out). */
export const SHARD_READ_LIMITS = { bytesPerSecond: 2 * MIB, callsPerSecond: 5 } as const;

/** Largest `Limit` a GetRecords call accepts. */
export const MAX_GET_RECORDS_LIMIT = 10_000;

/** The retention period a stream may be given, in hours (24 hours to 365 days). */
export const RETENTION_HOURS = { min: 24, max: 8760 } as const;

/** Lambda's synchronous invocation payload quota: 6 MB, counted as 6,291,456 bytes. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * MIB;
