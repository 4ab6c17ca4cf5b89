/**
 * What a record becomes as Step Functions input (at most 256 KiB of UTF-8: semantics/step-functions.ts). A
 * record whose data is a JSON object goes as its exact text; any other record goes in the wrapper
 * `{"dataBase64", "partitionKey", "sequenceNumber", "subSequenceNumber", "shardId", "arrivalTime"}`, as the
 * eventbridge kind sends it. An Express batch is `{"records":[<one such input a record>, …]}`.
 */
import type { ConsumerRecord } from "../consumer";
import { perRecord } from "../consumer/per-record";
import { jsonObjectDocument } from "../fanout/message";

/** One record's input text (built once per record: sized when a batch is cut, sent with it). */
export const recordInput = perRecord(jsonObjectDocument);

/** The bytes `{"records":[` and `]}` add to an Express batch's input. */
export const BATCH_ENVELOPE_BYTES = '{"records":[]}'.length;

/** A record's bytes inside a batch's input: its text and the comma before the next. */
export function batchEntryBytes(record: ConsumerRecord): number {
  return Buffer.byteLength(recordInput(record), "utf8") + 1;
}

/** The input of one Express execution over `records`, in their order. */
export function batchInput(records: readonly ConsumerRecord[]): string {
  return `{"records":[${records.map(recordInput).join(",")}]}`;
}
