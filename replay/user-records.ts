/** The user records a Kinesis record carries: itself, or the records of a KPL aggregate, unpacked. */
import { decodeKinesisEvent } from "../handlers/lib/consumer/decode";
import { kinesisEvent, kinesisEventRecord } from "../semantics/lambda-event";
import type { ConsumerRecord } from "../handlers/lib/consumer/types";
import type { StreamRecord } from "./types";

/** Only the record's own fields matter to the decoder; where the event came from does not. */
const NO_SOURCE = { streamArn: "", region: "", invokeIdentityArn: "" };

/** Decoded with the consumer runtime's decoder, so the tools see exactly what a consumer sees. */
export function userRecordsOf(record: StreamRecord): ConsumerRecord[] {
  return decodeKinesisEvent(kinesisEvent([kinesisEventRecord(record, NO_SOURCE)])).records;
}
