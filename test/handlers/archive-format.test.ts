import { expect } from "chai";
import type { ConsumerRecord } from "../../handlers/lib/consumer";
import {
  ArchiveFormatError,
  archiveLine,
  archiveObjectKey,
  differentArrivalHours,
  parseArchiveLine,
} from "../../handlers/lib/archive/format";

const record = (over: Partial<ConsumerRecord> = {}): ConsumerRecord => ({
  data: Buffer.from([0x7b, 0x22, 0xff, 0x00]),
  partitionKey: "user-1",
  explicitHashKey: undefined,
  sequenceNumber: "49650000000000000000000000000000000000000000000000000001",
  subSequenceNumber: 0,
  aggregated: false,
  shardId: "shardId-000000000003",
  eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
  approximateArrivalTimestamp: 1_780_000_000.123, // 2026-05-28T20:26:40.123Z
  idempotencyKey: "shardId-000000000003:49650000000000000000000000000000000000000000000000000001:0",
  ...over,
});

describe("archive layout: object keys and NDJSON lines", () => {
  it("keys an object by its first record's arrival hour and names it by shard and sequence range", () => {
    const last = record({ sequenceNumber: "49650000000000000000000000000000000000000000000000000009", subSequenceNumber: 2 });
    expect(archiveObjectKey("orders/", [record(), last], "gzip")).to.equal(
      "orders/2026/05/28/20/shardId-000000000003-49650000000000000000000000000000000000000000000000000001-0-49650000000000000000000000000000000000000000000000000009-2.ndjson.gz",
    );
    expect(archiveObjectKey("", [record()], "none")).to.match(/^2026\/05\/28\/20\/shardId-000000000003-.*\.ndjson$/);
  });

  it("splits between records of different UTC hours only", () => {
    expect(differentArrivalHours(record(), record({ approximateArrivalTimestamp: 1_780_000_000.9 }))).to.equal(false);
    expect(differentArrivalHours(record(), record({ approximateArrivalTimestamp: 1_780_002_000 }))).to.equal(true);
  });

  it("keeps every byte of the data, the coordinates and the arrival time through a line", () => {
    const original = record({ explicitHashKey: "170141183460469231731687303715884105728", subSequenceNumber: 4 });
    const back = parseArchiveLine(archiveLine(original), "k", 1);
    expect(back).to.deep.equal({
      shardId: original.shardId,
      sequenceNumber: original.sequenceNumber,
      subSequenceNumber: 4,
      partitionKey: "user-1",
      explicitHashKey: "170141183460469231731687303715884105728",
      arrivalTime: 1_780_000_000_123,
      data: Buffer.from([0x7b, 0x22, 0xff, 0x00]),
    });
    expect(archiveLine(record())).to.not.include("explicitHashKey");
  });

  it("names the object and the line of a line that is not an archived record", () => {
    const line = archiveLine(record());
    expect(() => parseArchiveLine(line.slice(0, 40), "a/b.ndjson", 7)).to.throw(
      ArchiveFormatError,
      'Archive object "a/b.ndjson", line 7: not a JSON document',
    );
    expect(() => parseArchiveLine("[1]", "k", 2)).to.throw(ArchiveFormatError, "line 2: not a JSON object.");
    expect(() => parseArchiveLine(line.replace(/"data":"[^"]*"/, '"data":"***"'), "k", 3)).to.throw(
      ArchiveFormatError,
      '"data" must be base64.',
    );
    expect(() => parseArchiveLine(line.replace('"subSequenceNumber":0', '"subSequenceNumber":-1'), "k", 4)).to.throw(
      ArchiveFormatError,
      "subSequenceNumber",
    );
    expect(() => parseArchiveLine(line.replace(/"arrivalTime":"[^"]*"/, '"arrivalTime":"yesterday"'), "k", 5)).to.throw(
      ArchiveFormatError,
      "ISO-8601",
    );
    expect(() => parseArchiveLine(line.replace(/"partitionKey":"[^"]*",/, ""), "k", 6)).to.throw(
      ArchiveFormatError,
      '"partitionKey" must be a string.',
    );
  });
});
