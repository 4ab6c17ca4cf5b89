/**
 * Reads a KPL aggregated record back into its user records (amazon-kinesis-producer "aggregation-format.md",
 * the reader's side of `client/kpl-aggregate.ts`): magic bytes f3 89 9a c2, a protobuf `AggregatedRecord`,
 * and the MD5 of the protobuf bytes. Read by hand rather than with aws-kinesis-agg: that library turns every
 * user record's data into base64 and back and builds a protobufjs schema at load, which cost the consumer
 * runtime about 3.6 µs a user record (bench/consumer.bench.ts), and it reads a record without an explicit
 * hash key index as index 0, giving it another record's key. Like the KCL, anything that does not check out
 * (a wrong MD5, a protobuf that does not parse, an index outside its table) is not an aggregate: the caller
 * takes the record as a plain one.
 */
import { createHash } from "node:crypto";
import { AGGREGATED_RECORD_FIELDS, KPL_MAGIC, KPL_MD5_BYTES, RECORD_FIELDS, WIRE_TYPE } from "../../../semantics/kpl-format";

/** One user record of an aggregate. `data` is a view into the aggregate's bytes. */
export interface AggregatedUserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Buffer;
}

const { varint: VARINT, fixed64: FIXED64, lengthDelimited: LENGTH_DELIMITED, fixed32: FIXED32 } = WIRE_TYPE;

/** Thrown inside the reader for bytes that are not a well-formed message; never leaves this module. */
class MalformedAggregate extends Error {}

/** A cursor over protobuf bytes. */
class ProtobufReader {
  private pos = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** A varint as a number (exact up to 2^53, far beyond any index or length here). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) throw new MalformedAggregate();
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new MalformedAggregate();
  }

  /** A length-delimited field's bytes, as a view. */
  lengthDelimited(): Buffer {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.bytes.length) throw new MalformedAggregate();
    const view = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return view;
  }

  /** Skips a field this reader does not use (tags, fields of later format versions). */
  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === LENGTH_DELIMITED) this.lengthDelimited();
    else if (wireType === FIXED64 || wireType === FIXED32) {
      this.pos += wireType === FIXED64 ? 8 : 4;
      if (this.pos > this.bytes.length) throw new MalformedAggregate();
    } else throw new MalformedAggregate(); // groups (3, 4) are not part of the format
  }
}

/** Whether `data` starts with the aggregate magic and is long enough to hold the MD5 trailer. */
function hasKplMagic(data: Buffer): boolean {
  return (
    data.length >= KPL_MAGIC.length + KPL_MD5_BYTES &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

/** The user records of `data` in sub-sequence order, or undefined when it is not a valid aggregate. */
export function deaggregate(data: Buffer): AggregatedUserRecord[] | undefined {
  if (!hasKplMagic(data)) return undefined;
  const body = data.subarray(KPL_MAGIC.length, data.length - KPL_MD5_BYTES);
  if (
    !createHash("md5")
      .update(body)
      .digest()
      .equals(data.subarray(data.length - KPL_MD5_BYTES))
  )
    return undefined;
  try {
    return userRecords(body);
  } catch (error) {
    if (error instanceof MalformedAggregate) return undefined;
    throw error;
  }
}

/** `AggregatedRecord`: partition_key_table = 1, explicit_hash_key_table = 2, records = 3. */
function userRecords(body: Buffer): AggregatedUserRecord[] {
  const keys: string[] = [];
  const hashKeys: string[] = [];
  const records: Buffer[] = [];
  const reader = new ProtobufReader(body);
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === LENGTH_DELIMITED && field === AGGREGATED_RECORD_FIELDS.partitionKeyTable)
      keys.push(reader.lengthDelimited().toString("utf8"));
    else if (wireType === LENGTH_DELIMITED && field === AGGREGATED_RECORD_FIELDS.explicitHashKeyTable)
      hashKeys.push(reader.lengthDelimited().toString("utf8"));
    else if (wireType === LENGTH_DELIMITED && field === AGGREGATED_RECORD_FIELDS.records) records.push(reader.lengthDelimited());
    else reader.skip(wireType);
  }
  return records.map((record) => userRecord(record, keys, hashKeys));
}

/** `Record`: partition_key_index = 1 (required), explicit_hash_key_index = 2 (optional), data = 3 (required). */
function userRecord(bytes: Buffer, keys: readonly string[], hashKeys: readonly string[]): AggregatedUserRecord {
  let keyIndex: number | undefined;
  let hashKeyIndex: number | undefined;
  let data: Buffer | undefined;
  const reader = new ProtobufReader(bytes);
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === VARINT && field === RECORD_FIELDS.partitionKeyIndex) keyIndex = reader.varint();
    else if (wireType === VARINT && field === RECORD_FIELDS.explicitHashKeyIndex) hashKeyIndex = reader.varint();
    else if (wireType === LENGTH_DELIMITED && field === RECORD_FIELDS.data) data = reader.lengthDelimited();
    else reader.skip(wireType);
  }
  const partitionKey = keyIndex === undefined ? undefined : keys[keyIndex];
  if (partitionKey === undefined || data === undefined) throw new MalformedAggregate();
  const explicitHashKey = hashKeyIndex === undefined ? undefined : hashKeys[hashKeyIndex];
  if (hashKeyIndex !== undefined && explicitHashKey === undefined) throw new MalformedAggregate();
  return { partitionKey, explicitHashKey, data };
}
