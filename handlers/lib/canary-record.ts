/**
 * The record the canary (handlers/canary.ts) posts on each run, and the event filter clause that keeps it from a
 * consumer. Lambda filters a Kinesis mapping on the record's `data` only, never on its partition key
 * (docs/aws-semantics.md#event-filtering), so the record carries a marker field in its data besides its
 * partition key `canary`: the key keeps it on one shard and shows it in the partition-key rankings, the marker
 * lets a filter drop it.
 */

/** The canary record's partition key. */
export const CANARY_PARTITION_KEY = "canary";

/** The field of the canary record's data that marks it: `true`, a leaf value, which `exists` can test. */
export const CANARY_MARKER_FIELD = "kinesisIngestCanary";

/** The clause, inside a pattern's `data` object, that matches every JSON record but the canary's. */
export const CANARY_EXCLUSION_CLAUSE = `"${CANARY_MARKER_FIELD}":[{"exists":false}]`;

/** The filter pattern that, alone on a mapping, keeps every JSON record but the canary's. */
export const CANARY_EXCLUSION_PATTERN = `{"data":{${CANARY_EXCLUSION_CLAUSE}}}`;

/** The data of one canary record. */
export interface CanaryRecordData {
  readonly [CANARY_MARKER_FIELD]: true;
  /** The stack that sent it. */
  readonly stack: string;
  /** When the run sent it, ISO 8601. */
  readonly sentAt: string;
}

/**
 * The `POST /records` body of one run: one record, partition key `canary`.
 * @example canaryRecordsBody("dev", new Date(0)) // '{"records":[{"partitionKey":"canary","data":{"kinesisIngestCanary":true,...}}]}'
 */
export function canaryRecordsBody(stack: string, now: Date): string {
  const data: CanaryRecordData = { [CANARY_MARKER_FIELD]: true, stack, sentAt: now.toISOString() };
  return JSON.stringify({ records: [{ partitionKey: CANARY_PARTITION_KEY, data }] });
}
