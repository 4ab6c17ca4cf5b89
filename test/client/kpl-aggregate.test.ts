/**
 * The hand-written KPL aggregate encoder (amazon-kinesis-producer "aggregation-format.md"): what it builds
 * is read back by aws-kinesis-agg, the de-aggregator KCL-compatible consumers use, with every user record's
 * partition key, explicit hash key and exact data; its size is exact, so `fits` keeps an aggregate within
 * Kinesis' 1 MiB record (data plus the outer partition key).
 */
import { expect } from "chai";
import { AggregateBuilder, type UserRecord } from "../../client/kpl-aggregate";
import { kinesisRecordOf } from "../../replay/archive/kinesis-records";

const { deaggregateSync } = require("aws-kinesis-agg") as {
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (error: Error | null, records?: Array<{ partitionKey: string; explicitPartitionKey?: string; data: string }>) => void,
  ): void;
};

/** The user records aws-kinesis-agg reads from an aggregate (checksum verified). */
function readBack(data: Buffer, partitionKey: string): Array<{ partitionKey: string; explicitHashKey?: string; data: string }> {
  let out: Array<{ partitionKey: string; explicitHashKey?: string; data: string }> = [];
  deaggregateSync({ data: data.toString("base64"), partitionKey, sequenceNumber: "1" }, true, (error, records) => {
    if (error) throw error;
    out = records!.map((r) => ({
      partitionKey: r.partitionKey,
      ...(r.explicitPartitionKey === undefined ? {} : { explicitHashKey: r.explicitPartitionKey }),
      data: Buffer.from(r.data, "base64").toString("utf8"),
    }));
  });
  return out;
}

const user = (partitionKey: string, data: string, explicitHashKey?: string): UserRecord => ({
  partitionKey,
  data: Buffer.from(data),
  ...(explicitHashKey === undefined ? {} : { explicitHashKey }),
});

describe("client: KPL aggregate encoder", () => {
  it("is read back by aws-kinesis-agg: keys shared through the table, explicit hash keys where set, data exact", () => {
    // aws-kinesis-agg reads a record without an explicit hash key index as index 0 when the table is not
    // empty, so each aggregate here has hash keys on all its records or on none.
    const withHashKeys = [
      user("a", "1", "170141183460469231731687303715884105728"),
      user("b", "2", "170141183460469231731687303715884105728"),
      user("a", "3", "1"),
      user("c", '{"big":12345678901234567890.5}', "1"),
    ];
    const without = [user("a", "1"), user("b", "2"), user("a", "3")];
    for (const users of [withHashKeys, without]) {
      const builder = new AggregateBuilder();
      for (const u of users) builder.add(u);
      const { data, partitionKey } = builder.build();
      expect(partitionKey).to.equal("a");
      expect(readBack(data, partitionKey)).to.deep.equal(
        users.map((u) => ({
          partitionKey: u.partitionKey,
          ...(u.explicitHashKey ? { explicitHashKey: u.explicitHashKey } : {}),
          data: u.data.toString(),
        })),
      );
      expect(builder.size).to.equal(data.length + Buffer.byteLength(partitionKey));
    }
  });

  it("sizes exactly with explicit hash keys: fits refuses the record that would pass the limit, and never more", () => {
    const limit = 200;
    const builder = new AggregateBuilder(limit);
    let added = 0;
    for (let i = 0; ; i++) {
      const next = user(`key-${i % 3}`, "x".repeat(20), i % 2 === 0 ? String(10n ** 30n + BigInt(i % 4)) : undefined);
      if (!builder.fits(next)) break;
      builder.add(next);
      added++;
      const { data, partitionKey } = builder.build();
      expect(builder.size, `after ${added} records`).to.equal(data.length + Buffer.byteLength(partitionKey));
    }
    expect(added).to.be.greaterThan(2);
    expect(builder.size).to.be.at.most(limit);
  });

  it("replay --from-archive rebuilds an aggregate whose user records keep their explicit hash keys", () => {
    const archived = ["k1", "k2"].map((partitionKey, sub) => ({
      shardId: "shardId-000000000000",
      sequenceNumber: "42",
      subSequenceNumber: sub,
      partitionKey,
      explicitHashKey: String(99 + sub),
      arrivalTime: 0,
      data: Buffer.from(`d${sub}`),
    }));
    const record = kinesisRecordOf(archived);
    expect(readBack(Buffer.from(record.data), record.partitionKey)).to.deep.equal([
      { partitionKey: "k1", explicitHashKey: "99", data: "d0" },
      { partitionKey: "k2", explicitHashKey: "100", data: "d1" },
    ]);
  });
});
