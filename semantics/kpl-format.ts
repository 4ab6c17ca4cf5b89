/**
 * The KPL aggregated record format (amazon-kinesis-producer "aggregation-format.md";
 * docs/aws-semantics.md#kpl-aggregation), shared by its writer (`client/kpl-aggregate.ts`) and its reader
 * (`handlers/lib/consumer/kpl-deaggregate.ts`): the magic bytes, the MD5 trailer and the protobuf field
 * numbers of `AggregatedRecord` and `Record`.
 */

/** The first four bytes of every aggregated record. */
export const KPL_MAGIC: readonly number[] = [0xf3, 0x89, 0x9a, 0xc2];

/** The MD5 of the protobuf message, at the end. */
export const KPL_MD5_BYTES = 16;

/** `AggregatedRecord`'s fields: the key tables and the records. */
export const AGGREGATED_RECORD_FIELDS = { partitionKeyTable: 1, explicitHashKeyTable: 2, records: 3 } as const;

/** `Record`'s fields (tags, field 4, are neither written nor read). */
export const RECORD_FIELDS = { partitionKeyIndex: 1, explicitHashKeyIndex: 2, data: 3 } as const;

/** Protobuf wire types (protobuf "Encoding"). */
export const WIRE_TYPE = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** The tag byte of a field whose number is below 16: `(field << 3) | wireType`. */
export function fieldTag(field: number, wireType: number): number {
  return field * 8 + wireType;
}
