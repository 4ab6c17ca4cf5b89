/** The NDJSON lines `--to-file` writes for each record. */
import type { StreamRecord } from "../types";
import { userRecordsOf } from "../user-records";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The lines (without line breaks) for one Kinesis record: one per user record, so a KPL aggregate is written unpacked (with the
 * consumer runtime's de-aggregation), each line carrying its own partition key and sub-sequence number.
 * The data is spliced in as its own text, never parsed and re-serialised: JSON.stringify would round
 * `12345678901234567890.123456789` and turn `1.0` into `1`, so the file would no longer hold what the
 * stream holds. A line holds `data` (the bytes verbatim when they are one line of strict UTF-8 JSON text)
 * or `dataBase64`, then `partitionKey`, `sequenceNumber`, `subSequenceNumber` (only on records that were
 * aggregated), `shardId` and `approximateArrivalTimestamp` (ISO 8601).
 *
 * @example
 * {"data":{"big":12345678901234567890.123456789,"f":1.0},"partitionKey":"k","sequenceNumber":"4960…","shardId":"shardId-000000000000","approximateArrivalTimestamp":"2024-05-01T00:00:00.000Z"}
 */
export function toReplayFileLines(record: StreamRecord): string[] {
  return userRecordsOf(record).map((user) => {
    const text = oneLineJsonText(user.data);
    const data = text === undefined ? `"dataBase64":${JSON.stringify(user.data.toString("base64"))}` : `"data":${text}`;
    const rest = JSON.stringify({
      partitionKey: user.partitionKey,
      sequenceNumber: record.sequenceNumber,
      ...(user.aggregated ? { subSequenceNumber: user.subSequenceNumber } : {}),
      shardId: record.shardId,
      approximateArrivalTimestamp: record.approximateArrivalTimestamp.toISOString(),
    });
    return `{${data},${rest.slice(1)}`;
  });
}

/** The bytes as text when they are strict UTF-8 JSON on one line (an NDJSON line cannot hold a line break). */
function oneLineJsonText(data: Uint8Array): string | undefined {
  if (data.length === 0) return undefined;
  try {
    const text = utf8.decode(data);
    if (/[\r\n]/.test(text)) return undefined;
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}
