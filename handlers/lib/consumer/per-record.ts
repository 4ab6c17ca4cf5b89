/**
 * A value derived from a record once per record: a batch API's entry is built when the batched runtime sizes
 * the record to cut requests, and is needed again when the request is sent (and when a throttled entry is
 * sent again), so it is kept for as long as the record object lives (the batch), and no longer.
 */
import type { ConsumerRecord } from "./types";

/** `build`, run at most once for each record object. */
export function perRecord<T>(build: (record: ConsumerRecord) => T): (record: ConsumerRecord) => T {
  const built = new WeakMap<ConsumerRecord, T>();
  return (record) => {
    if (built.has(record)) return built.get(record) as T;
    const value = build(record);
    built.set(record, value);
    return value;
  };
}
