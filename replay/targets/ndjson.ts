/** The NDJSON line `--to-file` writes for each record. */
import type { StreamRecord } from "../types";
import { parseJson } from "../filters";

/** One line of a replay file: the data as JSON when it parses, else as base64. */
export interface ReplayFileLine {
  readonly data?: unknown;
  readonly dataBase64?: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly shardId: string;
  /** ISO 8601. */
  readonly approximateArrivalTimestamp: string;
}

/** The line for a record, without the trailing newline. */
export function toReplayFileLine(record: StreamRecord): ReplayFileLine {
  const json = parseJson(record.data);
  return {
    ...(json === undefined ? { dataBase64: Buffer.from(record.data).toString("base64") } : { data: json }),
    partitionKey: record.partitionKey,
    sequenceNumber: record.sequenceNumber,
    shardId: record.shardId,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp.toISOString(),
  };
}
