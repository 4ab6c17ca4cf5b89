import { expect } from "chai";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ShardDirectory, ShardThroughput, TokenBucket, startLimitsProxy, type RunningLimitsProxy } from "../../local/limits";
import { partitionKeyHash } from "../../semantics/partition-key";
import { ShardMap } from "../../semantics/shard-map";
import { createStream } from "../../local/provision";
import { LOCAL_REGION, startKinesalite, type RunningEmulator } from "../../local/emulators";

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const MiB = 1024 * 1024;

describe("Kinesis limits: token bucket", () => {
  it("starts full, refuses beyond capacity, refills at its rate and never above capacity", () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1000, 1000, clock.now);
    expect(bucket.tryTake(1000)).to.equal(true);
    expect(bucket.tryTake(1)).to.equal(false);
    clock.advance(250);
    expect(bucket.available()).to.equal(250);
    expect(bucket.tryTake(251)).to.equal(false);
    expect(bucket.tryTake(250)).to.equal(true);
    clock.advance(60_000);
    expect(bucket.available()).to.equal(1000);
  });

  it("goes into debt on charge and recovers at its rate", () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2 * MiB, 2 * MiB, clock.now);
    bucket.charge(10 * MiB);
    expect(bucket.available()).to.equal(-8 * MiB);
    clock.advance(4000);
    expect(bucket.available()).to.equal(0);
    clock.advance(500);
    expect(bucket.available()).to.equal(MiB);
  });
});

describe("Kinesis limits: one shard's budgets", () => {
  it("writes: 1,000 records/s whatever their size", () => {
    const clock = fakeClock();
    const shard = new ShardThroughput(undefined, clock.now);
    let admitted = 0;
    for (let i = 0; i < 1500; i++) if (shard.tryWrite(10)) admitted++;
    expect(admitted).to.equal(1000);
    clock.advance(100);
    admitted = 0;
    for (let i = 0; i < 500; i++) if (shard.tryWrite(10)) admitted++;
    expect(admitted).to.equal(100);
  });

  it("writes: 1 MiB/s, and a record refused for bytes does not use a record slot", () => {
    const clock = fakeClock();
    const shard = new ShardThroughput(undefined, clock.now);
    expect(shard.tryWrite(MiB / 2)).to.equal(true);
    expect(shard.tryWrite(MiB / 2)).to.equal(true);
    expect(shard.tryWrite(1)).to.equal(false);
    clock.advance(1000);
    let admitted = 0;
    for (let i = 0; i < 1000; i++) if (shard.tryWrite(1)) admitted++;
    expect(admitted).to.equal(1000);
  });

  it("reads: 5 calls/s, and a 10 MiB read throttles the shard for 4 s", () => {
    const clock = fakeClock();
    const shard = new ShardThroughput(undefined, clock.now);
    const calls = Array.from({ length: 6 }, () => shard.tryRead());
    expect(calls).to.deep.equal([true, true, true, true, true, false]);
    clock.advance(1000);
    expect(shard.tryRead()).to.equal(true);
    shard.chargeRead(10 * MiB);
    clock.advance(3900);
    expect(shard.tryRead()).to.equal(false);
    clock.advance(200);
    expect(shard.tryRead()).to.equal(true);
  });
});

describe("Kinesis limits: partition key to shard", () => {
  const half = 2n ** 127n;
  const map = new ShardMap([
    { shardId: "shardId-000000000001", startingHashKey: half, endingHashKey: 2n ** 128n - 1n },
    { shardId: "shardId-000000000000", startingHashKey: 0n, endingHashKey: half - 1n },
  ]);

  it("hashes the key with MD5 into the shard whose range holds it", () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661 (low half), md5("b") = 92eb5ffee6ae2fec3ad71c777531578f (high half)
    expect(partitionKeyHash("a")).to.equal(BigInt("0x0cc175b9c0f1b6a831c399e269772661"));
    expect(map.shardOfEntry("a")).to.equal("shardId-000000000000");
    expect(map.shardOfEntry("b")).to.equal("shardId-000000000001");
  });

  it("honours ExplicitHashKey over the partition key", () => {
    expect(map.shardOfEntry("a", (2n ** 128n - 1n).toString())).to.equal("shardId-000000000001");
    expect(map.shardOfEntry("b", "0")).to.equal("shardId-000000000000");
  });
});

describe("Kinesis limits: shard directory", () => {
  const shard = (id: number, start: bigint, end: bigint, closed: string | null | undefined) => ({
    ShardId: `shardId-00000000000${id}`,
    HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() },
    SequenceNumberRange: { StartingSequenceNumber: "1", ...(closed === undefined ? {} : { EndingSequenceNumber: closed }) },
  });
  const top = 2n ** 128n - 1n;
  const half = 2n ** 127n;

  it("maps onto open shards only, across pages, whether an open shard's end is absent (kinesalite) or null (kinesis-local)", async () => {
    const pages = [
      { Shards: [shard(0, 0n, top, "99"), shard(1, 0n, half - 1n, undefined)], NextToken: "page-2" },
      { Shards: [shard(2, half, top, null)], NextToken: null },
    ];
    const requests: object[] = [];
    const directory = new ShardDirectory(async (request) => (requests.push(request), pages[requests.length - 1]!));
    const map = await directory.mapOf("s");
    expect(requests).to.deep.equal([{ StreamName: "s" }, { NextToken: "page-2" }]);
    expect([map.shardOfEntry("a"), map.shardOfEntry("b")]).to.deep.equal(["shardId-000000000001", "shardId-000000000002"]);
  });

  it("lists again after the TTL and after invalidate (resharding), not in between", async () => {
    const clock = fakeClock();
    let calls = 0;
    const directory = new ShardDirectory(async () => (calls++, { Shards: [shard(0, 0n, top, undefined)] }), 2000, clock.now);
    await directory.mapOf("s");
    await directory.mapOf("s");
    expect(calls).to.equal(1);
    directory.invalidate("s");
    await directory.mapOf("s");
    expect(calls).to.equal(2);
    clock.advance(2000);
    await directory.mapOf("s");
    expect(calls).to.equal(3);
  });
});

describe("Kinesis limits: the proxy in front of kinesalite", () => {
  let kinesis: RunningEmulator;
  let proxy: RunningLimitsProxy;
  let client: KinesisClient;
  const StreamName = "limits-proxy-test";
  const clock = fakeClock(); // frozen unless a test advances it, so the counts are exact

  before(async () => {
    kinesis = await startKinesalite();
    proxy = await startLimitsProxy({ target: kinesis.endpoint, clock: clock.now });
    // No SDK retries: the test must see each throttle the proxy answers.
    client = new KinesisClient({
      endpoint: proxy.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    await createStream(client, StreamName, 1);
  });

  after(async () => {
    client.destroy();
    await proxy.stop();
    await kinesis.stop();
  });

  it("fails PutRecords entries beyond 1,000 records/s individually, PutRecord with a 400, and writes the rest", async () => {
    const entries = (from: number) =>
      Array.from({ length: 500 }, (_, i) => ({ Data: Buffer.from(`r${from + i}`), PartitionKey: `k${(from + i) % 7}` }));
    const first = await client.send(new PutRecordsCommand({ StreamName, Records: entries(0) }));
    const second = await client.send(new PutRecordsCommand({ StreamName, Records: entries(500) }));
    const third = await client.send(new PutRecordsCommand({ StreamName, Records: entries(1000) }));
    clock.advance(100); // 100 records' worth of budget
    const fourth = await client.send(new PutRecordsCommand({ StreamName, Records: entries(1500) }));
    expect([first.FailedRecordCount, second.FailedRecordCount, third.FailedRecordCount]).to.deep.equal([0, 0, 500]);
    expect(fourth.FailedRecordCount).to.equal(400);
    expect(
      fourth
        .Records!.slice(0, 100)
        .map((r, i) => ({ i, ...r }))
        .filter((r) => r.SequenceNumber === undefined || r.ShardId !== "shardId-000000000000"),
    ).to.deep.equal([]);
    expect(fourth.Records![100]).to.deep.equal({
      ErrorCode: "ProvisionedThroughputExceededException",
      ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${StreamName} under account 000000000000.`,
    });
    const single = await client
      .send(new PutRecordCommand({ StreamName, Data: Buffer.from("x"), PartitionKey: "k" }))
      .catch((e: Error) => e);
    expect((single as Error).name).to.equal("ProvisionedThroughputExceededException");
    expect(proxy.stats().throttledWriteRecords).to.equal(500 + 400 + 1);

    // exactly the admitted records are in the stream
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }),
    );
    const read = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
    expect(read.Records!.map((r) => Buffer.from(r.Data!).toString())).to.deep.equal(
      Array.from({ length: 1100 }, (_, i) => `r${i < 1000 ? i : i + 500}`),
    );
  });

  it("passes a malformed write to the emulator, which names the problem", async () => {
    clock.advance(1000);
    const error = await client
      .send(new PutRecordCommand({ StreamName, Data: Buffer.from("x"), PartitionKey: "k", ExplicitHashKey: "not-a-number" }))
      .catch((e: Error) => e);
    expect((error as Error).name).to.equal("ValidationException");
    expect((error as Error).message).to.contain("explicitHashKey");
  });

  it("throttles the sixth GetRecords call within a second on a shard", async () => {
    clock.advance(1000); // the previous test used one read
    let iterator = (
      await client.send(new GetShardIteratorCommand({ StreamName, ShardId: "shardId-000000000000", ShardIteratorType: "LATEST" }))
    ).ShardIterator;
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        outcomes.push("ok");
      } catch (error) {
        outcomes.push((error as Error).name);
      }
    }
    expect(outcomes).to.deep.equal(["ok", "ok", "ok", "ok", "ok", "ProvisionedThroughputExceededException"]);
    expect(proxy.stats().throttledReadCalls).to.equal(1);
    clock.advance(200); // one call's worth of budget back
    const recovered = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    expect(recovered.Records).to.deep.equal([]);
  });
});
