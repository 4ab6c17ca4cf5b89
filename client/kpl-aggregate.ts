/**
 * The KPL aggregated record format (amazon-kinesis-producer `aggregation-format.md`, read by KCL, by
 * `aws-kinesis-agg` and by the consumer runtime): magic bytes f3 89 9a c2, a protobuf `AggregatedRecord`
 * (partition key table, explicit hash key table, records with their key indexes and data), then the MD5 of
 * the protobuf bytes.
 * Encoded by hand rather than with aws-kinesis-agg's `RecordAggregator`: `bench/kpl-aggregate.bench.ts`
 * measures the library 1.1–2.6× slower per record (runs differ), and its size check leaves out the outer partition key, so
 * most aggregates it fills near the limit exceed Kinesis' 1 MiB record (data plus key) and would be refused.
 */
import { createHash } from "node:crypto";
import { AGGREGATED_RECORD_FIELDS, fieldTag, KPL_MAGIC, KPL_MD5_BYTES, RECORD_FIELDS, WIRE_TYPE } from "../semantics/kpl-format";
import { MAX_RECORD_BYTES } from "../semantics/limits";

const MAGIC = Buffer.from(KPL_MAGIC);
const { lengthDelimited, varint } = WIRE_TYPE;
const TAG_PARTITION_KEY_TABLE = fieldTag(AGGREGATED_RECORD_FIELDS.partitionKeyTable, lengthDelimited);
const TAG_EXPLICIT_HASH_KEY_TABLE = fieldTag(AGGREGATED_RECORD_FIELDS.explicitHashKeyTable, lengthDelimited);
const TAG_RECORDS = fieldTag(AGGREGATED_RECORD_FIELDS.records, lengthDelimited);
const TAG_KEY_INDEX = fieldTag(RECORD_FIELDS.partitionKeyIndex, varint);
const TAG_HASH_KEY_INDEX = fieldTag(RECORD_FIELDS.explicitHashKeyIndex, varint);
const TAG_DATA = fieldTag(RECORD_FIELDS.data, lengthDelimited);

/** One user record to aggregate. */
export interface UserRecord {
  readonly partitionKey: string;
  /** The decimal hash key a KPL producer set for this user record instead of its partition key's. */
  readonly explicitHashKey?: string;
  readonly data: Buffer;
}

/** One string table (partition keys or explicit hash keys): each distinct value once, by first use. */
class KeyTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  indexOf(value: string): number | undefined {
    return this.index.get(value);
  }

  /** The index `value` has, or gets when added. */
  nextIndexFor(value: string): number {
    return this.index.get(value) ?? this.values.length;
  }

  add(value: string): number {
    let at = this.index.get(value);
    if (at === undefined) {
      at = this.values.length;
      this.index.set(value, at);
      this.values.push(value);
    }
    return at;
  }
}

/** Protobuf bytes of one table entry (tag, length, UTF-8 text). */
function tableEntrySize(value: string): number {
  const bytes = Buffer.byteLength(value);
  return 1 + varintSize(bytes) + bytes;
}

/** Protobuf bytes of a Record's body with these indexes and data. */
function recordBodySize(keyIndex: number, hashKeyIndex: number | undefined, dataLength: number): number {
  return (
    1 + varintSize(keyIndex) + (hashKeyIndex === undefined ? 0 : 1 + varintSize(hashKeyIndex)) + 1 + varintSize(dataLength) + dataLength
  );
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size += 1;
  }
  return size;
}

function writeVarint(buffer: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    buffer[offset++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buffer[offset++] = value;
  return offset;
}

/**
 * Builds one aggregated record, tracking its exact encoded size so that it never exceeds the 1 MiB Kinesis
 * record limit (data + the outer partition key).
 *
 * @example
 * const builder = new AggregateBuilder();
 * if (builder.fits(record)) builder.add(record);
 * const { data, partitionKey } = builder.build();
 */
export class AggregateBuilder {
  private readonly keys = new KeyTable();
  private readonly hashKeys = new KeyTable();
  private readonly records: Array<{ keyIndex: number; hashKeyIndex: number | undefined; data: Buffer; innerSize: number }> = [];
  private protobufSize = 0;

  constructor(private readonly maxBytes = MAX_RECORD_BYTES) {}

  get count(): number {
    return this.records.length;
  }

  /** Size of the Kinesis record `build()` would return now: data + outer partition key. */
  get size(): number {
    return this.records.length === 0 ? 0 : MAGIC.length + this.protobufSize + KPL_MD5_BYTES + Buffer.byteLength(this.outerKey);
  }

  /** Whether `record` can be added without the aggregate exceeding the limit. */
  fits(record: UserRecord): boolean {
    const outerKey = Buffer.byteLength(this.records.length === 0 ? record.partitionKey : this.outerKey);
    return MAGIC.length + this.protobufSize + this.growth(record) + KPL_MD5_BYTES + outerKey <= this.maxBytes;
  }

  add(record: UserRecord): void {
    const growth = this.growth(record);
    const keyIndex = this.keys.add(record.partitionKey);
    const hashKeyIndex = record.explicitHashKey === undefined ? undefined : this.hashKeys.add(record.explicitHashKey);
    const innerSize = recordBodySize(keyIndex, hashKeyIndex, record.data.length);
    this.records.push({ keyIndex, hashKeyIndex, data: record.data, innerSize });
    this.protobufSize += growth;
  }

  /** The aggregated record: its data, and the first user record's key as its partition key. */
  build(): { data: Buffer; partitionKey: string } {
    const out = Buffer.allocUnsafe(MAGIC.length + this.protobufSize + KPL_MD5_BYTES);
    MAGIC.copy(out, 0);
    let offset = MAGIC.length;
    const writeTable = (tag: number, values: readonly string[]) => {
      for (const value of values) {
        out[offset++] = tag;
        offset = writeVarint(out, offset, Buffer.byteLength(value));
        offset += out.write(value, offset, "utf8");
      }
    };
    writeTable(TAG_PARTITION_KEY_TABLE, this.keys.values);
    writeTable(TAG_EXPLICIT_HASH_KEY_TABLE, this.hashKeys.values);
    for (const record of this.records) {
      out[offset++] = TAG_RECORDS;
      offset = writeVarint(out, offset, record.innerSize);
      out[offset++] = TAG_KEY_INDEX;
      offset = writeVarint(out, offset, record.keyIndex);
      if (record.hashKeyIndex !== undefined) {
        out[offset++] = TAG_HASH_KEY_INDEX;
        offset = writeVarint(out, offset, record.hashKeyIndex);
      }
      out[offset++] = TAG_DATA;
      offset = writeVarint(out, offset, record.data.length);
      offset += record.data.copy(out, offset);
    }
    createHash("md5").update(out.subarray(MAGIC.length, offset)).digest().copy(out, offset);
    return { data: out, partitionKey: this.outerKey };
  }

  /** The first user record's partition key, which the aggregate carries as its own. */
  private get outerKey(): string {
    const key = this.keys.values[0];
    if (key === undefined) throw new Error("AggregateBuilder: an aggregate needs at least one record; add() one first.");
    return key;
  }

  /** Protobuf bytes that adding `record` would add: new table entries and the record. */
  private growth(record: UserRecord): number {
    const { partitionKey, explicitHashKey } = record;
    let bytes = this.keys.indexOf(partitionKey) === undefined ? tableEntrySize(partitionKey) : 0;
    let hashKeyIndex: number | undefined;
    if (explicitHashKey !== undefined) {
      if (this.hashKeys.indexOf(explicitHashKey) === undefined) bytes += tableEntrySize(explicitHashKey);
      hashKeyIndex = this.hashKeys.nextIndexFor(explicitHashKey);
    }
    const innerSize = recordBodySize(this.keys.nextIndexFor(partitionKey), hashKeyIndex, record.data.length);
    return bytes + 1 + varintSize(innerSize) + innerSize;
  }
}
