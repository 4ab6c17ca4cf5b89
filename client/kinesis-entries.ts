/**
 * Turns pending records into PutRecords entries — one entry per record, or KPL aggregates per shard — and
 * entries into calls within the PutRecords limits (500 entries, 5 MiB).
 */
import { AggregateBuilder } from "./kpl-aggregate";
import type { PendingRecord } from "./batching-producer";
import { MAX_PUT_RECORDS_BYTES, MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import type { ShardMap } from "../semantics/shard-map";

/** A record the direct producer holds: with its key's hash, for routing. */
export interface KinesisPendingRecord extends PendingRecord {
  readonly partitionKey: string;
  readonly hash: bigint;
}

/** One PutRecords entry and the user records it carries (more than one when aggregated). */
export interface PutEntry {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  /** The shard the entry is meant for, by the shard map at send time. */
  readonly shardId: string;
  readonly members: KinesisPendingRecord[];
  readonly aggregated: boolean;
  /** data + partition key: what the shard's byte limit counts. */
  readonly size: number;
}

/** One entry per record. */
export function plainEntries(records: readonly KinesisPendingRecord[], map: ShardMap): PutEntry[] {
  return records.map((record) => ({
    data: record.encoded.data,
    partitionKey: record.partitionKey,
    shardId: map.shardFor(record.hash).shardId,
    members: [record],
    aggregated: false,
    size: record.size,
  }));
}

/**
 * KPL aggregates of ≤ 1 MiB, grouped by the shard each record belongs to now. The explicit hash key is the
 * first member's hash, so the aggregate lands on the shard its members belong to (and where KCL, which
 * drops user records outside the shard's range, expects them). A lone record is sent plain.
 */
export function aggregatedEntries(records: readonly KinesisPendingRecord[], map: ShardMap): PutEntry[] {
  const byShard = new Map<string, KinesisPendingRecord[]>();
  for (const record of records) {
    const shardId = map.shardFor(record.hash).shardId;
    const group = byShard.get(shardId);
    if (group === undefined) byShard.set(shardId, [record]);
    else group.push(record);
  }
  const entries: PutEntry[] = [];
  for (const [shardId, group] of byShard) {
    let builder = new AggregateBuilder();
    let members: KinesisPendingRecord[] = [];
    const close = () => {
      if (members.length === 1) entries.push(...plainEntries(members, map));
      else if (members.length > 1) {
        const { data, partitionKey } = builder.build();
        const size = data.length + Buffer.byteLength(partitionKey);
        entries.push({ data, partitionKey, explicitHashKey: members[0]!.hash.toString(), shardId, members, aggregated: true, size });
      }
      builder = new AggregateBuilder();
      members = [];
    };
    for (const record of group) {
      const user = { partitionKey: record.partitionKey, data: record.encoded.data };
      if (!builder.fits(user)) close();
      // A record too large to aggregate even alone is sent plain.
      if (!builder.fits(user)) entries.push(...plainEntries([record], map));
      else {
        builder.add(user);
        members.push(record);
      }
    }
    close();
  }
  return entries;
}

/** Splits entries into PutRecords calls of ≤ 500 entries and ≤ 5 MiB. */
export function putRecordsCalls(entries: readonly PutEntry[]): PutEntry[][] {
  const calls: PutEntry[][] = [];
  let call: PutEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (call.length === MAX_PUT_RECORDS_COUNT || (call.length > 0 && bytes + entry.size > MAX_PUT_RECORDS_BYTES)) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(entry);
    bytes += entry.size;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}
