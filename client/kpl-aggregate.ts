/**
 * The KPL aggregated record format (amazon-kinesis-producer `aggregation-format.md`, read by KCL, by
 * `aws-kinesis-agg` and by the consumer runtime): magic bytes f3 89 9a c2, a protobuf `AggregatedRecord`
 * (partition key table, records with a key index and data), then the MD5 of the protobuf bytes.
 * Encoded by hand rather than with aws-kinesis-agg's `RecordAggregator`: `bench/kpl-aggregate.bench.ts`
 * measures the library 1.1–2.6× slower per record (runs differ), and its size check leaves out the outer partition key, so
 * most aggregates it fills near the limit exceed Kinesis' 1 MiB record (data plus key) and would be refused.
 */
import { createHash } from "node:crypto";
import { MAX_RECORD_BYTES } from "../semantics/limits";

const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const MD5_BYTES = 16;
/** Field tags: (field number << 3) | wire type 2 (length-delimited) or 0 (varint). */
const TAG_PARTITION_KEY_TABLE = 0x0a; // AggregatedRecord.partition_key_table = 1
const TAG_RECORDS = 0x1a; // AggregatedRecord.records = 3
const TAG_KEY_INDEX = 0x08; // Record.partition_key_index = 1
const TAG_DATA = 0x1a; // Record.data = 3

/** One user record to aggregate. */
export interface UserRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
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
  private readonly keyIndex = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly records: Array<{ keyIndex: number; data: Buffer; innerSize: number }> = [];
  private protobufSize = 0;

  constructor(private readonly maxBytes = MAX_RECORD_BYTES) {}

  get count(): number {
    return this.records.length;
  }

  /** Size of the Kinesis record `build()` would return now: data + outer partition key. */
  get size(): number {
    return this.records.length === 0 ? 0 : MAGIC.length + this.protobufSize + MD5_BYTES + Buffer.byteLength(this.keys[0]);
  }

  /** Whether `record` can be added without the aggregate exceeding the limit. */
  fits(record: UserRecord): boolean {
    const outerKey = this.records.length === 0 ? Buffer.byteLength(record.partitionKey) : Buffer.byteLength(this.keys[0]);
    return MAGIC.length + this.protobufSize + this.growth(record) + MD5_BYTES + outerKey <= this.maxBytes;
  }

  add(record: UserRecord): void {
    let index = this.keyIndex.get(record.partitionKey);
    const growth = this.growth(record);
    if (index === undefined) {
      index = this.keys.length;
      this.keyIndex.set(record.partitionKey, index);
      this.keys.push(record.partitionKey);
    }
    const innerSize = 1 + varintSize(index) + 1 + varintSize(record.data.length) + record.data.length;
    this.records.push({ keyIndex: index, data: record.data, innerSize });
    this.protobufSize += growth;
  }

  /** The aggregated record: its data, and the first user record's key as its partition key. */
  build(): { data: Buffer; partitionKey: string } {
    const out = Buffer.allocUnsafe(MAGIC.length + this.protobufSize + MD5_BYTES);
    MAGIC.copy(out, 0);
    let offset = MAGIC.length;
    for (const key of this.keys) {
      out[offset++] = TAG_PARTITION_KEY_TABLE;
      offset = writeVarint(out, offset, Buffer.byteLength(key));
      offset += out.write(key, offset, "utf8");
    }
    for (const record of this.records) {
      out[offset++] = TAG_RECORDS;
      offset = writeVarint(out, offset, record.innerSize);
      out[offset++] = TAG_KEY_INDEX;
      offset = writeVarint(out, offset, record.keyIndex);
      out[offset++] = TAG_DATA;
      offset = writeVarint(out, offset, record.data.length);
      offset += record.data.copy(out, offset);
    }
    createHash("md5").update(out.subarray(MAGIC.length, offset)).digest().copy(out, offset);
    return { data: out, partitionKey: this.keys[0] };
  }

  /** Protobuf bytes that adding `record` would add. */
  private growth(record: UserRecord): number {
    let bytes = 0;
    let index = this.keyIndex.get(record.partitionKey);
    if (index === undefined) {
      const keyBytes = Buffer.byteLength(record.partitionKey);
      bytes += 1 + varintSize(keyBytes) + keyBytes;
      index = this.keys.length;
    }
    const innerSize = 1 + varintSize(index) + 1 + varintSize(record.data.length) + record.data.length;
    return bytes + 1 + varintSize(innerSize) + innerSize;
  }
}
