/**
 * Size limits of the ingest API contract (DESIGN.md "API contract"), which are Kinesis Data Streams'
 * own limits (AWS-FACTS.md "Kinesis Data Streams limits"), in one place.
 */

/** 1 MiB in bytes. */
export const MIB = 1024 * 1024;

/** Records per request, and per PutRecords call. */
export const MAX_RECORDS_PER_REQUEST = 500;

/** One stored record: data bytes plus partition key bytes (Kinesis counts the key toward the record). */
export const MAX_RECORD_BYTES = 1 * MIB;

/** One request body (after base64 transport decoding), and one PutRecords call's data plus keys. */
export const MAX_REQUEST_BYTES = 5 * MIB;

/** A partition key is 1–256 characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;
