/** The NDJSON lines `--to-file` writes for each record. */
import type { StreamRecord } from "../types";
import { parseJson } from "../filters";
import { userRecordsOf } from "../user-records";

/** One line of a replay file: one user record, its data as JSON when it parses, else as base64. */
export interface ReplayFileLine {
  readonly data?: unknown;
  readonly dataBase64?: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  /** Position inside a KPL aggregate; only on records that were aggregated. */
  readonly subSequenceNumber?: number;
  readonly shardId: string;
  /** ISO 8601. */
  readonly approximateArrivalTimestamp: string;
}

/**
 * The lines for one Kinesis record: one per user record, so a KPL aggregate is written unpacked (with the
 * consumer runtime's de-aggregation), each line carrying its own partition key and sub-sequence number.
 */
export function toReplayFileLines(record: StreamRecord): ReplayFileLine[] {
  return userRecordsOf(record).map((user) => {
    const json = parseJson(user.data);
    return {
      ...(json === undefined ? { dataBase64: user.data.toString("base64") } : { data: json }),
      partitionKey: user.partitionKey,
      sequenceNumber: record.sequenceNumber,
      ...(user.aggregated ? { subSequenceNumber: user.subSequenceNumber } : {}),
      shardId: record.shardId,
      approximateArrivalTimestamp: record.approximateArrivalTimestamp.toISOString(),
    };
  });
}
