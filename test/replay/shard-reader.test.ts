/**
 * The shard reader's retry paths against kinesalite with faults injected into a real client (no emulator
 * throttles or expires iterators on demand), the shard ordering, and `--from-sequence` planning.
 */
import { expect } from "chai";
import { ExpiredIteratorException, ProvisionedThroughputExceededException, type KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { readShard } from "../../replay/shard-reader";
import { ShardReadPacer } from "../../replay/pacing";
import { runInShardOrder, shardWaves } from "../../replay/shard-graph";
import { planShardStarts } from "../../replay/start-plan";
import { describeStream } from "../../replay/stream-info";
import { createStream, putKeyed, type WrittenRecord } from "./support";

/** Makes the next `count` calls of `command` fail with `error` before they reach the emulator. */
function injectFaults(client: KinesisClient, command: string, count: number, error: () => Error): { calls: () => number } {
  let remaining = count;
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command) {
        calls++;
        if (remaining > 0) {
          remaining--;
          throw error();
        }
      }
      return next(args);
    },
    { step: "initialize", name: `fault-${command}-${Math.random()}` },
  );
  return { calls: () => calls };
}

describe("shard reader, ordering and start planning (kinesalite)", function () {
  let kinesis: RunningEmulator;
  let written: WrittenRecord[];
  let shardId: string;
  const fast = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 };
  const unpaced = () => new ShardReadPacer({ callsPerSecond: 1000, bytesPerSecond: 1e12 });

  before(async () => {
    kinesis = await startKinesalite();
    const client = localKinesisClient(kinesis.endpoint);
    await createStream(client, "reads", 1);
    written = await putKeyed(client, "reads", ["x", "y"], 50);
    shardId = written[0]!.shardId;
    client.destroy();
  });

  after(() => kinesis.stop());

  async function readAll(client: KinesisClient, limit: number): Promise<string[]> {
    const seqs: string[] = [];
    const pages = readShard({
      client,
      streamName: "reads",
      shardId,
      start: { type: "TRIM_HORIZON" },
      limit,
      retry: fast,
      pacer: unpaced(),
    });
    for await (const page of pages) seqs.push(...page.records.map((r) => r.sequenceNumber));
    return seqs;
  }

  it("retries ProvisionedThroughputExceededException with backoff and loses nothing", async () => {
    const client = localKinesisClient(kinesis.endpoint);
    const faults = injectFaults(
      client,
      "GetRecordsCommand",
      3,
      () => new ProvisionedThroughputExceededException({ message: "Rate exceeded", $metadata: {} }),
    );
    expect(await readAll(client, 30)).to.deep.equal(written.map((w) => w.sequenceNumber));
    expect(faults.calls()).to.equal(3 + 5); // 3 refused, then 100 records in pages of 30 and the empty tip page
    client.destroy();
  });

  it("re-acquires an expired iterator AFTER_SEQUENCE_NUMBER of the last record handed out", async () => {
    const client = localKinesisClient(kinesis.endpoint);
    const iterators: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetShardIteratorCommand")
          iterators.push(String((args.input as { ShardIteratorType: string }).ShardIteratorType));
        return next(args);
      },
      { step: "initialize", name: "record-iterators" },
    );
    let getRecords = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // The third GetRecords finds its iterator expired.
        if (context.commandName === "GetRecordsCommand" && ++getRecords === 3)
          throw new ExpiredIteratorException({ message: "Iterator expired", $metadata: {} });
        return next(args);
      },
      { step: "initialize", name: "expire-third" },
    );
    expect(await readAll(client, 30)).to.deep.equal(written.map((w) => w.sequenceNumber));
    expect(iterators).to.deep.equal(["TRIM_HORIZON", "AFTER_SEQUENCE_NUMBER"]);
    client.destroy();
  });

  it("gives up after the bounded attempts with an error naming the shard", async () => {
    const client = localKinesisClient(kinesis.endpoint);
    injectFaults(
      client,
      "GetRecordsCommand",
      100,
      () => new ProvisionedThroughputExceededException({ message: "Rate exceeded", $metadata: {} }),
    );
    const error = await readAll(client, 30).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal(`Reading ${shardId} failed after retries: ProvisionedThroughputExceededException: Rate exceeded`);
    client.destroy();
  });

  it("paces GetRecords to 5 calls/s per shard", async () => {
    const client = localKinesisClient(kinesis.endpoint);
    const started = Date.now();
    const pages = readShard({
      client,
      streamName: "reads",
      shardId,
      start: { type: "TRIM_HORIZON" },
      limit: 20,
      pacer: new ShardReadPacer(),
    });
    let calls = 0;
    for await (const _page of pages) calls++;
    // 100 records in pages of 20 plus the tip page: 6 calls, the last no earlier than 5 × 200 ms after the first.
    expect(calls).to.equal(6);
    expect(Date.now() - started).to.be.at.least(1000);
    client.destroy();
  });

  it("orders shards parents first: waves, and no child starts before its parents end", async () => {
    const shards = [
      { shardId: "s0", startingSequenceNumber: "0", endingSequenceNumber: "9" },
      { shardId: "s1", startingSequenceNumber: "0", endingSequenceNumber: "9" },
      { shardId: "s2", parentShardId: "s0", startingSequenceNumber: "0", endingSequenceNumber: "9" },
      { shardId: "s3", parentShardId: "s0", startingSequenceNumber: "0" },
      { shardId: "s4", parentShardId: "s2", adjacentParentShardId: "s1", startingSequenceNumber: "0" },
      { shardId: "s5", parentShardId: "expired-long-ago", startingSequenceNumber: "0" },
    ];
    expect(shardWaves(shards)).to.deep.equal([["s0", "s1", "s5"], ["s2", "s3"], ["s4"]]);
    const log: string[] = [];
    await runInShardOrder(shards, async (shard) => {
      log.push(`start ${shard.shardId}`);
      await new Promise((r) => setTimeout(r, shard.shardId === "s1" ? 30 : 5));
      log.push(`end ${shard.shardId}`);
    });
    const at = (entry: string) => log.indexOf(entry);
    expect(at("start s2")).to.be.above(at("end s0"));
    expect(at("start s4")).to.be.above(Math.max(at("end s2"), at("end s1")));
    expect(at("start s1")).to.be.below(at("end s0")); // unrelated shards run in parallel
  });

  it("plans --from-sequence: that shard AT_SEQUENCE_NUMBER, the others AT_TIMESTAMP of its arrival", async () => {
    const client = localKinesisClient(kinesis.endpoint);
    await createStream(client, "planned", 2);
    const records = await putKeyed(client, "planned", ["p", "q", "r"], 3);
    const origin = records[4]!;
    const stream = await describeStream(client, "planned");
    const plan = await planShardStarts(client, stream, {
      kind: "sequence",
      shardId: origin.shardId,
      sequenceNumber: origin.sequenceNumber,
    });
    expect(plan.get(origin.shardId)).to.deep.equal({ type: "AT_SEQUENCE_NUMBER", sequenceNumber: origin.sequenceNumber });
    const other = stream.shards.find((s) => s.shardId !== origin.shardId)?.shardId as string;
    expect(plan.get(other)).to.have.property("type", "AT_TIMESTAMP");
    const missing = await planShardStarts(client, stream, { kind: "sequence", shardId: "shardId-000000000009", sequenceNumber: "1" }).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(missing).to.equal(
      `--from-sequence names shardId-000000000009, which stream "planned" does not have (it has shardId-000000000000, shardId-000000000001).`,
    );
    client.destroy();
  });
});
