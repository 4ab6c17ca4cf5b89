/**
 * A record's bytes and size, computed once at `put()` by the same rule the API and Kinesis apply:
 * data bytes + partition key bytes.
 */
import { MAX_PARTITION_KEY_LENGTH, MAX_RECORD_BYTES } from "../semantics/limits";
import { partitionKeyHash } from "../semantics/partition-key";
import type { ProducerRecord } from "./types";
import { RecordRejectedError } from "./errors";

/** A record checked and encoded for sending. */
export interface EncodedRecord {
  /** The bytes Kinesis stores. */
  readonly data: Buffer;
  /** The partition key the caller gave, if any. */
  readonly partitionKey: string | undefined;
  /** data bytes + partition key bytes. */
  readonly size: number;
}

/**
 * Checks a record against the API contract and encodes its data; throws `RecordRejectedError` (status 0:
 * refused before sending) naming what is wrong and what is allowed. `maxRecordBytes` is the stream's record
 * limit (1 MiB unless its `stream.maxRecordSizeKiB` raised it).
 */
export function encodeRecord(record: ProducerRecord, maxRecordBytes: number = MAX_RECORD_BYTES): EncodedRecord {
  if (record === null || typeof record !== "object") {
    throw new RecordRejectedError(`A record must be an object with \`data\` or \`dataBase64\`, got ${typeof record}.`, 0, "InvalidRecord");
  }
  const given = [record.data, record.dataJson, record.dataBase64].filter((field) => field !== undefined).length;
  if (given !== 1) {
    throw new RecordRejectedError(
      "A record must have exactly one of `data` (any JSON value), `dataJson` (JSON text) or `dataBase64` (a base64 string).",
      0,
      "InvalidRecord",
    );
  }
  let data: Buffer;
  if (record.dataBase64 !== undefined) {
    if (typeof record.dataBase64 !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(record.dataBase64) || record.dataBase64.length % 4 !== 0) {
      throw new RecordRejectedError("`dataBase64` must be a padded base64 string.", 0, "InvalidRecord");
    }
    data = Buffer.from(record.dataBase64, "base64");
  } else if (record.dataJson !== undefined) {
    if (typeof record.dataJson !== "string" || !isJsonText(record.dataJson)) {
      throw new RecordRejectedError("`dataJson` must be the text of one JSON value.", 0, "InvalidRecord");
    }
    data = Buffer.from(record.dataJson, "utf8");
  } else {
    data = Buffer.from(JSON.stringify(record.data), "utf8");
  }
  const key = record.partitionKey;
  if (key !== undefined && (typeof key !== "string" || key.length < 1 || key.length > MAX_PARTITION_KEY_LENGTH)) {
    throw new RecordRejectedError(`\`partitionKey\` must be a string of 1 to ${MAX_PARTITION_KEY_LENGTH} characters.`, 0, "InvalidRecord");
  }
  const size = data.length + (key === undefined ? 0 : Buffer.byteLength(key, "utf8"));
  if (data.length === 0 || size > maxRecordBytes) {
    throw new RecordRejectedError(
      `A record's data plus partition key must be 1 to ${maxRecordBytes} bytes (the stream's maximum record size), got ${size}.`,
      0,
      "RecordTooLarge",
    );
  }
  return { data, partitionKey: key, size };
}

/** Whether `text` is one JSON value (the API embeds it in a request body as it is). */
function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * {@link partitionKeyHash} for recently seen keys. Producers tend to reuse keys, and an MD5 plus a BigInt per
 * record is a measurable part of the direct producer's CPU; the cache is emptied when full, so it stays bounded.
 */
export class PartitionKeyHashes {
  private readonly hashes = new Map<string, bigint>();

  constructor(private readonly maxKeys = 10_000) {}

  of(partitionKey: string): bigint {
    let hash = this.hashes.get(partitionKey);
    if (hash === undefined) {
      if (this.hashes.size >= this.maxKeys) this.hashes.clear();
      hash = partitionKeyHash(partitionKey);
      this.hashes.set(partitionKey, hash);
    }
    return hash;
  }
}
