/**
 * Turns archived user records back into the Kinesis records a stream replay delivers. The archive keeps
 * user records (KPL aggregates unpacked); the user records of one aggregate share its sequence number.
 * A record that stood alone is handed on as it was; the user records of an aggregate are packed into one
 * KPL aggregate again, in sub-sequence order, so a consumer de-aggregating it sees each user record at
 * its archived sub-sequence number (and idempotency key `shard:sequence:sub`) with its exact bytes, partition
 * key and explicit hash key.
 */
import { AggregateBuilder } from "../../client/kpl-aggregate";
import type { ArchivedRecord } from "../../handlers/lib/archive/format";
import type { StreamRecord } from "../types";

/** The Kinesis record for the user records of one sequence number (in sub-sequence order). */
export function kinesisRecordOf(users: readonly ArchivedRecord[]): StreamRecord {
  const first = users[0];
  if (first === undefined) throw new RangeError("kinesisRecordOf: no user records to make a Kinesis record of.");
  const common = { shardId: first.shardId, sequenceNumber: first.sequenceNumber, approximateArrivalTimestamp: new Date(first.arrivalTime) };
  if (users.length === 1 && first.subSequenceNumber === 0) return { ...common, partitionKey: first.partitionKey, data: first.data };
  const builder = new AggregateBuilder();
  for (const user of users) {
    const entry = { partitionKey: user.partitionKey, explicitHashKey: user.explicitHashKey, data: user.data };
    // The producer's aggregate held these records within the 1 MiB record limit; this encoding is no larger.
    if (!builder.fits(entry)) throw new RangeError(`Record ${first.shardId}:${first.sequenceNumber} does not fit one aggregate again.`);
    builder.add(entry);
  }
  const { data, partitionKey } = builder.build();
  return { ...common, partitionKey, data };
}
