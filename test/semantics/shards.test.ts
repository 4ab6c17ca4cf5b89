/** The ListShards pager and the shard map (docs/aws-semantics.md#partition-keys-and-shards). */
import { expect } from "chai";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  SplitShardCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { isOpenShard, listShards, listShardsWith, type ListShardsCall } from "../../semantics/list-shards";
import { partitionKeyHash } from "../../semantics/partition-key";
import { ShardMap } from "../../semantics/shard-map";

const TOP = 2n ** 128n - 1n;
const HALF = 2n ** 127n;

describe("semantics: ListShards pager (kinesalite)", function () {
  this.timeout(20_000);
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  before(async () => {
    kinesis = await startKinesalite();
    client = localKinesisClient(kinesis.endpoint);
  });
  after(async () => kinesis.stop());

  async function activeStream(name: string, shards: number): Promise<void> {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE")
      await new Promise((r) => setTimeout(r, 10));
  }

  it("Kinesis 'ListShards': the first page names the stream, the next ones only NextToken, until no NextToken", async () => {
    await activeStream("paged", 5);
    const requests: object[] = [];
    // kinesalite answers in one page; this call hands its answer out two shards a page, as ListShards may.
    const call: ListShardsCall = async (request) => {
      requests.push(request);
      const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: "paged" }));
      const from = "NextToken" in request ? Number(request.NextToken) : 0;
      return { Shards: Shards.slice(from, from + 2), NextToken: from + 2 < Shards.length ? String(from + 2) : undefined };
    };
    const shards = await listShards(call, "paged");
    expect(shards.map((s) => s.ShardId)).to.deep.equal([0, 1, 2, 3, 4].map((i) => `shardId-00000000000${i}`));
    expect(requests[0]).to.deep.equal({ StreamName: "paged" });
    expect(requests.slice(1).map((r) => Object.keys(r))).to.deep.equal([["NextToken"], ["NextToken"]]);
  });

  it("Kinesis 'SplitShard': the closed parent is listed but is not an open shard, and the map holds only the children", async () => {
    await activeStream("split", 1);
    await client.send(
      new SplitShardCommand({ StreamName: "split", ShardToSplit: "shardId-000000000000", NewStartingHashKey: HALF.toString() }),
    );
    while (
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: "split" }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE"
    )
      await new Promise((r) => setTimeout(r, 10));
    const shards = await listShards(listShardsWith(client), "split");
    expect(shards.map((s) => [s.ShardId, isOpenShard(s)])).to.deep.equal([
      ["shardId-000000000000", false],
      ["shardId-000000000001", true],
      ["shardId-000000000002", true],
    ]);
    const map = await ShardMap.load(listShardsWith(client), "split");
    expect(map.shards.map((s) => s.shardId)).to.deep.equal(["shardId-000000000001", "shardId-000000000002"]);
  });

  it("Kinesis 'ListShards': an open shard's EndingSequenceNumber may be absent (kinesalite) or null (kinesis-local)", () => {
    expect(isOpenShard({ SequenceNumberRange: { StartingSequenceNumber: "1" } })).to.equal(true);
    expect(isOpenShard({ SequenceNumberRange: { StartingSequenceNumber: "1", EndingSequenceNumber: null } })).to.equal(true);
    expect(isOpenShard({ SequenceNumberRange: { StartingSequenceNumber: "1", EndingSequenceNumber: "9" } })).to.equal(false);
  });
});

describe("semantics: shard map", () => {
  const quarter = 2n ** 126n;
  const map = new ShardMap(
    [2, 0, 3, 1].map((i) => ({
      shardId: `s${i}`,
      startingHashKey: quarter * BigInt(i),
      endingHashKey: i === 3 ? TOP : quarter * BigInt(i + 1) - 1n,
    })),
  );

  it("Kinesis 'Key concepts': MD5 of the partition key, as a 128-bit integer, picks the shard whose range holds it", () => {
    // md5("a") = 0cc175b9…: first quarter; md5("b") = 92eb5ffe…: third quarter.
    expect(partitionKeyHash("a")).to.equal(BigInt("0x0cc175b9c0f1b6a831c399e269772661"));
    expect(map.shardFor(partitionKeyHash("a")).shardId).to.equal("s0");
    expect(map.shardFor(partitionKeyHash("b")).shardId).to.equal("s2");
    expect([0n, quarter - 1n, quarter, HALF, TOP].map((hash) => map.shardFor(hash).shardId)).to.deep.equal(["s0", "s0", "s1", "s2", "s3"]);
  });

  it("Kinesis 'PutRecord': ExplicitHashKey overrides the partition key; a non-decimal one places nothing", () => {
    expect(map.shardOfEntry("a", TOP.toString())).to.equal("s3");
    expect(map.shardOfEntry("b", "0")).to.equal("s0");
    expect(map.shardOfEntry("a", "0x10")).to.equal(undefined);
    expect(new ShardMap([]).shardOfEntry("a")).to.equal(undefined);
  });

  it("a hash no open shard holds is refused, not sent to a neighbour", () => {
    const gap = new ShardMap([{ shardId: "low", startingHashKey: 0n, endingHashKey: 9n }]);
    expect(() => gap.shardFor(10n)).to.throw(/No open shard holds hash key 10/);
  });

  it("Kinesis 'Key concepts' (partition key → MD5 → shard): nextKey draws a fresh random key each call, like the API, for each shard in turn", () => {
    const keys = Array.from({ length: 4000 }, () => map.nextKey());
    expect(new Set(keys).size).to.equal(4000);
    expect(keys.every((key) => /^[A-Za-z0-9_-]{22}$/.test(key))).to.equal(true);
    const shards = keys.map((key) => map.shardFor(partitionKeyHash(key)).shardId);
    expect(shards.slice(0, 8)).to.deep.equal(["s0", "s1", "s2", "s3", "s0", "s1", "s2", "s3"]);
    for (const shardId of ["s0", "s1", "s2", "s3"]) expect(shards.filter((s) => s === shardId)).to.have.length(1000);
  });
});
