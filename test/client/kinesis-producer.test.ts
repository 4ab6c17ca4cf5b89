import { expect } from "chai";
import { CreateStreamCommand, DescribeStreamSummaryCommand, SplitShardCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { KinesisProducer, type KinesisProducerOptions } from "../../client/kinesis-producer";
import { RecordDeadlineError } from "../../client/errors";
import { partitionKeyHash } from "../../semantics/partition-key";
import type { PutResult } from "../../client/types";
import { readAll, type ReadRecord } from "./kinesis-read-back";
import { startFaultProxy, type RunningFaultProxy } from "./kinesis-fault-proxy";

// The deaggregator KCL-compatible consumers use (awslabs/kinesis-aggregation, node).
const { deaggregateSync } = require("aws-kinesis-agg") as {
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (
      error: Error | null,
      records?: Array<{ partitionKey: string; data: string; sequenceNumber: string; subSequenceNumber: number }>,
    ) => void,
  ): void;
};

interface UserRecordRead {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber?: number;
  readonly partitionKey: string;
  readonly data: string;
}

/** Every user record in the stream, de-aggregated with aws-kinesis-agg (checksums verified). */
function deaggregate(records: ReadRecord[]): UserRecordRead[] {
  return records.flatMap((record) => {
    let users: UserRecordRead[] = [];
    deaggregateSync(
      { data: record.data.toString("base64"), partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber },
      true,
      (error, out) => {
        if (error) throw error;
        const aggregated = record.data.subarray(0, 4).toString("hex") === "f3899ac2";
        users = (out ?? []).map((u) => ({
          shardId: record.shardId,
          sequenceNumber: record.sequenceNumber,
          ...(aggregated ? { subSequenceNumber: u.subSequenceNumber } : {}),
          partitionKey: u.partitionKey,
          data: Buffer.from(u.data, "base64").toString("utf8"),
        }));
      },
    );
    return users;
  });
}

const resultKey = (r: { shardId: string; sequenceNumber: string; subSequenceNumber?: number }) =>
  `${r.shardId}/${r.sequenceNumber}/${r.subSequenceNumber ?? "-"}`;

describe("KinesisProducer against kinesalite", () => {
  let kinesis: RunningEmulator;
  let admin: KinesisClient;
  let streamCount = 0;

  before(async () => {
    kinesis = await startKinesalite();
    admin = localKinesisClient(kinesis.endpoint);
  });
  after(async () => {
    admin.destroy();
    await kinesis.stop();
  });

  async function createStream(shards: number): Promise<string> {
    const name = `producer-test-${++streamCount}`;
    await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitActive(name);
    return name;
  }

  async function waitActive(name: string): Promise<void> {
    for (;;) {
      const { StreamDescriptionSummary } = await admin.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function produce(options: KinesisProducerOptions, inputs: Array<{ data: unknown; partitionKey?: string }>): Promise<PutResult[]> {
    const producer = await KinesisProducer.create({ backoff: { baseMs: 10, maxMs: 100 }, lingerMs: 10, ...options });
    const results = await Promise.all(inputs.map((input) => producer.put(input)));
    await producer.close();
    return results;
  }

  /** Every input stored exactly once, on the shard its key hashes to, at the position its result names. */
  async function expectStoredExactlyOnce(
    stream: string,
    inputs: Array<{ data: unknown; partitionKey?: string }>,
    results: PutResult[],
  ): Promise<UserRecordRead[]> {
    const read = deaggregate(await readAll(admin, stream));
    expect(read).to.have.length(inputs.length);
    const byPosition = new Map(read.map((r) => [resultKey(r), r]));
    expect(byPosition.size).to.equal(inputs.length);
    inputs.forEach((input, i) => {
      const stored = byPosition.get(resultKey(results[i]!));
      expect(stored?.data, `input ${i}`).to.equal(JSON.stringify(input.data));
      if (input.partitionKey !== undefined) expect(stored?.partitionKey).to.equal(input.partitionKey);
    });
    return read;
  }

  const inputsOf = (n: number, keys = 50) =>
    Array.from({ length: n }, (_, i) => ({ data: { n: i, pad: "x".repeat(60) }, partitionKey: `key-${i % keys}` }));

  it("stores every record once, each on the shard MD5(partitionKey) selects, with results matching the stream", async () => {
    const stream = await createStream(3);
    const inputs = inputsOf(3000);
    const results = await produce({ client: admin, streamName: stream, shardRate: false }, inputs);
    const read = await expectStoredExactlyOnce(stream, inputs, results);
    const producer = await KinesisProducer.create({ client: admin, streamName: stream });
    for (const record of read) expect(producer.shardMap.shardFor(partitionKeyHash(record.partitionKey)).shardId).to.equal(record.shardId);
    await producer.close();
    expect(new Set(results.map((r) => r.shardId)).size).to.equal(3);
  });

  it("aggregates in the KPL format: aws-kinesis-agg de-aggregates the same records, each aggregate on its members' shard", async () => {
    const stream = await createStream(2);
    const inputs = inputsOf(5000, 500);
    const results = await produce({ client: admin, streamName: stream, aggregate: true, shardRate: false }, inputs);
    const raw = await readAll(admin, stream);
    expect(raw.length).to.be.lessThan(100);
    const read = await expectStoredExactlyOnce(stream, inputs, results);
    const producer = await KinesisProducer.create({ client: admin, streamName: stream });
    for (const record of read) expect(producer.shardMap.shardFor(partitionKeyHash(record.partitionKey)).shardId).to.equal(record.shardId);
    await producer.close();
    for (const [i, r] of results.entries()) expect(r.subSequenceNumber, `result ${i}`).to.not.equal(undefined);
  });

  it("spreads records without a partition key evenly over the shards", async () => {
    const stream = await createStream(4);
    const inputs = Array.from({ length: 400 }, (_, i) => ({ data: i }));
    const results = await produce({ client: admin, streamName: stream, shardRate: false }, inputs);
    const perShard = new Map<string, number>();
    for (const r of results) perShard.set(r.shardId, (perShard.get(r.shardId) ?? 0) + 1);
    expect([...perShard.values()]).to.deep.equal([100, 100, 100, 100]);
    await expectStoredExactlyOnce(stream, inputs, results);
  });

  describe("throttling through a fault layer", () => {
    let faults: RunningFaultProxy;
    let client: KinesisClient;
    beforeEach(async () => {
      faults = await startFaultProxy(kinesis.endpoint);
      client = localKinesisClient(faults.endpoint);
    });
    afterEach(async () => {
      client.destroy();
      await faults.stop();
    });

    for (const aggregate of [false, true]) {
      it(`retries ProvisionedThroughputExceeded entries and whole-call throttles until all are stored once${aggregate ? " (aggregated)" : ""}`, async () => {
        const stream = await createStream(2);
        let seen = 0;
        faults.rules = { throttleCall: (call) => call % 4 === 1, throttleEntry: () => seen++ % 3 === 0 };
        const inputs = inputsOf(2000);
        const producer = await KinesisProducer.create({
          client,
          streamName: stream,
          aggregate,
          lingerMs: 10,
          shardRate: false,
          backoff: { baseMs: 5, maxMs: 50 },
        });
        const results = await Promise.all(inputs.map((input) => producer.put(input)));
        const stats = producer.stats();
        await producer.close();
        expect(faults.counts.throttledCalls).to.be.greaterThan(0);
        expect(faults.counts.throttledEntries).to.be.greaterThan(0);
        expect(stats.retried).to.be.greaterThan(0);
        expect(stats).to.include({ sent: 2000, failed: 0, pending: 0 });
        await expectStoredExactlyOnce(stream, inputs, results);
      });
    }

    it("keeps sending to healthy shards while one shard is throttled", async () => {
      const stream = await createStream(2);
      const producer = await KinesisProducer.create({
        client,
        streamName: stream,
        lingerMs: 5,
        shardRate: false,
        backoff: { baseMs: 50, maxMs: 200 },
      });
      const [first, second] = [producer.shardMap.shards[0]!, producer.shardMap.shards[1]!];
      const onFirst = (key: string) => partitionKeyHash(key) <= first.endingHashKey;
      const throttleUntil = Date.now() + 1500;
      faults.rules = { throttleEntry: (entry) => onFirst(entry.PartitionKey) && Date.now() < throttleUntil };
      const inputs = inputsOf(400, 40);
      const settledAt: number[] = [];
      const results = await Promise.all(inputs.map((input, i) => producer.put(input).then((r) => ((settledAt[i] = Date.now()), r))));
      await producer.close();
      const lastHealthy = Math.max(...inputs.map((input, i) => (onFirst(input.partitionKey) ? 0 : settledAt[i]!)));
      const firstThrottled = Math.min(...inputs.map((input, i) => (onFirst(input.partitionKey) ? settledAt[i]! : Infinity)));
      expect(results.filter((r) => r.shardId === second.shardId).length).to.be.greaterThan(100);
      expect(lastHealthy).to.be.lessThan(throttleUntil - 1000);
      expect(firstThrottled).to.be.at.least(throttleUntil);
      await expectStoredExactlyOnce(stream, inputs, results);
    });

    it("fails a record whose deadline passes while its shard stays throttled, with the last error", async () => {
      const stream = await createStream(1);
      faults.rules = { throttleEntry: () => true };
      const producer = await KinesisProducer.create({
        client,
        streamName: stream,
        recordTimeoutMs: 200,
        shardRate: false,
        backoff: { baseMs: 10, maxMs: 40 },
      });
      const outcome = await producer.put({ data: 1, partitionKey: "a" }).catch((error: unknown) => error);
      await producer.close();
      expect(outcome).to.be.instanceOf(RecordDeadlineError);
      expect((outcome as Error).message).to.match(
        /last error: ProvisionedThroughputExceededException: Rate exceeded for shard \(fault layer\)\.$/,
      );
      expect(await readAll(admin, stream)).to.have.length(0);
    });
  });

  it("re-reads the shard map after a split and routes records to the child shards", async () => {
    const stream = await createStream(1);
    const producer = await KinesisProducer.create({ client: admin, streamName: stream, lingerMs: 5, shardRate: false, aggregate: true });
    const inputs = inputsOf(600, 60);
    const before = await Promise.all(inputs.slice(0, 300).map((input) => producer.put(input)));
    await admin.send(
      new SplitShardCommand({ StreamName: stream, ShardToSplit: "shardId-000000000000", NewStartingHashKey: (2n ** 127n).toString() }),
    );
    await waitActive(stream);
    const afterSplit: PutResult[] = [];
    for (let round = 0; round < 3; round++)
      afterSplit.push(...(await Promise.all(inputs.slice(300 + round * 100, 400 + round * 100).map((input) => producer.put(input)))));
    const shards = producer.shardMap.shards.map((s) => s.shardId);
    await producer.close();
    expect(shards).to.deep.equal(["shardId-000000000001", "shardId-000000000002"]);
    for (const [i, r] of before.entries()) expect(r.shardId, `result ${i} before the split`).to.equal("shardId-000000000000");
    expect(new Set(afterSplit.slice(100).map((r) => r.shardId))).to.deep.equal(new Set(["shardId-000000000001", "shardId-000000000002"]));
    await expectStoredExactlyOnce(stream, inputs, [...before, ...afterSplit]);
  });
});
