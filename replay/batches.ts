/** Splits records into delivery batches bounded by count and by bytes (Lambda's 6 MB invoke payload). */
import type { StreamRecord } from "./types";

/**
 * Consecutive batches of at most `maxRecords` records and `maxBytes` of data each (a single record larger
 * than `maxBytes` travels alone). Order is kept.
 */
export function* deliveryBatches(records: readonly StreamRecord[], maxRecords: number, maxBytes = Infinity): Generator<StreamRecord[]> {
  let batch: StreamRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (batch.length > 0 && (batch.length === maxRecords || bytes + record.data.byteLength > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += record.data.byteLength;
  }
  if (batch.length > 0) yield batch;
}
