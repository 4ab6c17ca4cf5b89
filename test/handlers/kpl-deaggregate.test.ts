/**
 * The consumer runtime's KPL reader (amazon-kinesis-producer "aggregation-format.md") against aggregates
 * built by aws-kinesis-agg's RecordAggregator (the awslabs library KCL-compatible producers use) and by
 * the client's own encoder: every user record's partition key, explicit hash key and exact bytes, in order;
 * anything that does not check out is not an aggregate, as the KCL treats it.
 */
import { createHash } from "node:crypto";
import { expect } from "chai";
import { AggregateBuilder } from "../../client/kpl-aggregate";
import { deaggregate } from "../../handlers/lib/consumer/kpl-deaggregate";

const { RecordAggregator } = require("aws-kinesis-agg") as {
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer };
  };
};

const MAGIC = Buffer.from("f3899ac2", "hex");
/** An aggregate around any protobuf bytes, with their correct MD5. */
const framed = (protobuf: Buffer) => Buffer.concat([MAGIC, protobuf, createHash("md5").update(protobuf).digest()]);
const readable = (records: ReturnType<typeof deaggregate>) =>
  records?.map((r) => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: r.data.toString("utf8") }));

describe("consumer runtime: KPL de-aggregation", () => {
  it("reads aws-kinesis-agg's aggregates: keys, explicit hash keys and exact data, in sub-sequence order", () => {
    const users = [
      { partitionKey: "a", explicitHashKey: "170141183460469231731687303715884105728", data: '{"big":12345678901234567890.5}' },
      { partitionKey: "b", explicitHashKey: "85070591730234615865843651857942052864", data: "é ünïcode" },
      { partitionKey: "a", explicitHashKey: "85070591730234615865843651857942052864", data: "x".repeat(300) },
    ];
    // Hash keys above 2^32 - 2 only: RecordAggregator keeps its table in a plain object, whose key order puts
    // array-index-like strings ("1") first, so it writes such keys' table out of step with their indexes.
    const aggregator = new RecordAggregator();
    for (const u of users) aggregator.addUserRecord({ ...u, data: Buffer.from(u.data) });
    expect(readable(deaggregate(aggregator.build().data))).to.deep.equal(users);
  });

  it("gives a record without an explicit hash key none, even beside records that have one", () => {
    const builder = new AggregateBuilder();
    builder.add({ partitionKey: "with", explicitHashKey: "42", data: Buffer.from("1") });
    builder.add({ partitionKey: "without", data: Buffer.from("2") });
    expect(readable(deaggregate(builder.build().data))).to.deep.equal([
      { partitionKey: "with", explicitHashKey: "42", data: "1" },
      { partitionKey: "without", explicitHashKey: undefined, data: "2" },
    ]);
  });

  it("skips fields it does not use (a record's tags) and reads an aggregate of no records as none", () => {
    // partition_key_table "k"; record { key index 0, data "d", tag (field 4) { key "t" } }
    const tag = Buffer.from([0x0a, 0x01, 0x74]);
    const record = Buffer.concat([Buffer.from([0x08, 0x00, 0x1a, 0x01, 0x64, 0x22, tag.length]), tag]);
    const message = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x1a, record.length]), record]);
    expect(readable(deaggregate(framed(message)))).to.deep.equal([{ partitionKey: "k", explicitHashKey: undefined, data: "d" }]);
    expect(deaggregate(framed(Buffer.alloc(0)))).to.deep.equal([]);
  });

  it("is not an aggregate without the magic, with a wrong MD5, or with a body that does not parse, like the KCL", () => {
    const good = new AggregateBuilder();
    good.add({ partitionKey: "k", data: Buffer.from("d") });
    const { data } = good.build();
    const wrongMd5 = Buffer.from(data);
    wrongMd5[wrongMd5.length - 1]! ^= 0xff;
    const cases = {
      "no magic": Buffer.concat([Buffer.from("00000000", "hex"), data.subarray(4)]),
      "wrong MD5": wrongMd5,
      "too short for the trailer": MAGIC,
      "a length past the end": framed(Buffer.from([0x0a, 0x05, 0x6b])),
      "a key index outside the table": framed(Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x05, 0x08, 0x01, 0x1a, 0x01, 0x64])),
      "an explicit hash key index outside the table": framed(
        Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x07, 0x08, 0x00, 0x10, 0x00, 0x1a, 0x01, 0x64]),
      ),
      "a record without data": framed(Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x02, 0x08, 0x00])),
      "a group wire type": framed(Buffer.from([0x0b])),
    };
    for (const [name, bytes] of Object.entries(cases)) expect(deaggregate(bytes), name).to.equal(undefined);
  });
});
