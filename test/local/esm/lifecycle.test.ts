/**
 * The mapping's life: `Enabled` false pauses and true resumes from the checkpoint ("Kinesis event source mapping
 * parameters"); stop waits for batches in flight; shards created by resharding are read after their parents
 * ("Using Lambda with Kinesis": polling and batching streams); expired iterators and read throttling are
 * retried without counting as function retries.
 */
import { expect } from "chai";
import { MergeShardsCommand, SplitShardCommand } from "@aws-sdk/client-kinesis";
import { localKinesisClient } from "../../../local/emulators";
import type { EventSourceMapping } from "../../../local/esm";
import {
  createStreamAndQueue,
  newMapping,
  putRecords,
  ScriptedFunction,
  settings,
  startEmulators,
  startFaultyKinesisProxy,
  waitFor,
  waitForActive,
  waitForIdlePolls,
  witnessReadPast,
  type Emulators,
} from "./harness";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const spread = (prefix: string, count: number): Array<{ key: string; data: string }> =>
  Array.from({ length: count }, (_, i) => ({ key: `key-${prefix}-${i}`, data: `${prefix}-${i}` }));

describe("local ESM: enable, stop, resharding, read errors", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("does not poll while disabled, and resumes from the checkpoint when enabled", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, spread("a", 3));
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ enabled: false }));
    mapping.start();
    // An enabled mapping of the stream delivers the records and reads past them; the disabled one never reads.
    expect(await witnessReadPast(env, stream, 3)).to.deep.equal(["a-0", "a-1", "a-2"]);
    expect(fn.calls).to.have.length(0);
    expect(mapping.stats().idlePolls).to.equal(0);

    await mapping.setEnabled(true);
    await waitFor(() => fn.delivered().length === 3, "the first 3 records");
    await mapping.setEnabled(false);
    expect(mapping.enabled).to.equal(false);
    const idlePollsWhenDisabled = mapping.stats().idlePolls;
    await putRecords(env, stream.streamName, spread("b", 2));
    expect(await witnessReadPast(env, stream, 5)).to.deep.equal(["a-0", "a-1", "a-2", "b-0", "b-1"]);
    expect(fn.delivered()).to.have.length(3);
    expect(mapping.stats().idlePolls).to.equal(idlePollsWhenDisabled);

    await mapping.setEnabled(true);
    await waitFor(() => fn.delivered().length >= 5, "the 2 records written while disabled");
    await waitForIdlePolls(mapping);
    expect(fn.delivered()).to.deep.equal(["a-0", "a-1", "a-2", "b-0", "b-1"]);
  });

  it("stop waits for the batch in flight and start resumes after it", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, spread("a", 2));
    let finishedAt = 0;
    const fn = new ScriptedFunction(async () => {
      await sleep(300);
      finishedAt = Date.now();
      return {};
    });
    mapping = newMapping(env, stream, fn, settings({ batchSize: 1 }));
    mapping.start();
    await waitFor(() => fn.calls.length === 1, "the first invocation");
    await mapping.stop();
    expect(finishedAt).to.be.above(0);
    expect(Date.now()).to.be.at.least(finishedAt);
    const idlePollsWhenStopped = mapping.stats().idlePolls;
    expect(await witnessReadPast(env, stream, 2)).to.deep.equal(["a-0", "a-1"]);
    expect(fn.calls).to.have.length(1);
    expect(mapping.stats().idlePolls).to.equal(idlePollsWhenStopped);
    mapping.start();
    await waitFor(() => fn.calls.length === 2, "the second record after a restart");
    expect(fn.delivered()).to.deep.equal(["a-0", "a-1"]);
  });

  it("reports the iterator age of the batch being invoked, and 0 once the shard is caught up", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, spread("a", 2));
    let ageDuringInvoke = -1;
    const fn = new ScriptedFunction(() => {
      ageDuringInvoke = mapping?.stats().iteratorAgeMs ?? -1;
      return {};
    });
    mapping = newMapping(env, stream, fn, settings(), { clock: () => Date.now() + 5000 });
    mapping.start();
    await waitFor(() => fn.calls.length === 1, "the invocation");
    expect(ageDuringInvoke).to.be.within(5000, 8000);
    await waitFor(() => mapping?.stats().iteratorAgeMs === 0, "the iterator age to drop to 0");
  });

  it("counts as idle only the reads that find the shard caught up, none while a batch is in flight", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(env, stream.streamName, spread("a", 2));
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const fn = new ScriptedFunction(async () => (await released, {}));
    mapping = newMapping(env, stream, fn, settings());
    mapping.start();
    try {
      await waitFor(() => fn.calls.length === 1, "the invocation");
      // The blocked mapping keeps reading its (empty) shard meanwhile, as long as the witness takes to read past it.
      await witnessReadPast(env, stream, 2);
      expect(mapping.stats().idlePolls).to.equal(0);
      expect(mapping.checkpoint("shardId-000000000000")).to.equal(undefined);
    } finally {
      release();
    }
    await waitFor(() => (mapping?.stats().idlePolls ?? 0) > 0, "an idle poll once the batch is done");
    expect(mapping.checkpoint("shardId-000000000000")).to.equal(sequences[1]);
    await waitForIdlePolls(mapping);
    expect(fn.calls.map((call) => call.data)).to.deep.equal([["a-0", "a-1"]]);
  });

  it("reads the children of a split only after the parent is fully processed", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, spread("parent", 20));
    await env.kinesis.send(
      new SplitShardCommand({
        StreamName: stream.streamName,
        ShardToSplit: "shardId-000000000000",
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitForActive(env.kinesis, stream.streamName);
    await putRecords(env, stream.streamName, spread("child", 20));
    const fn = new ScriptedFunction(async () => (await sleep(20), {}));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 4 }));
    mapping.start();
    await waitFor(() => fn.delivered().length === 40, "40 records");
    const delivered = fn.delivered();
    expect(delivered.slice(0, 20)).to.deep.equal(spread("parent", 20).map((r) => r.data));
    expect([...delivered.slice(20)].sort()).to.deep.equal(
      spread("child", 20)
        .map((r) => r.data)
        .sort(),
    );
    const childShards = new Set(fn.calls.slice(5).flatMap((c) => c.event.Records.map((r) => r.eventID.split(":")[0])));
    expect([...childShards].sort()).to.deep.equal(["shardId-000000000001", "shardId-000000000002"]);
  });

  it("reads the child of a merge made while running only after both parents", async () => {
    const stream = await createStreamAndQueue(env, 2);
    await putRecords(env, stream.streamName, spread("parent", 30));
    const fn = new ScriptedFunction(async () => (await sleep(25), {}));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 2 }));
    mapping.start();
    await waitFor(() => fn.calls.length >= 1, "the first invocation");
    await env.kinesis.send(
      new MergeShardsCommand({
        StreamName: stream.streamName,
        ShardToMerge: "shardId-000000000000",
        AdjacentShardToMerge: "shardId-000000000001",
      }),
    );
    await waitForActive(env.kinesis, stream.streamName);
    await putRecords(env, stream.streamName, spread("child", 6));
    await waitFor(() => fn.delivered().length === 36, "36 records");
    const delivered = fn.delivered();
    expect([...delivered.slice(0, 30)].sort()).to.deep.equal(
      spread("parent", 30)
        .map((r) => r.data)
        .sort(),
    );
    expect(delivered.slice(30)).to.deep.equal(spread("child", 6).map((r) => r.data));
    expect(fn.calls[fn.calls.length - 1]?.event.Records[0]?.eventID.startsWith("shardId-000000000002:")).to.equal(true);
  });

  it("retries expired iterators and throttled reads without losing, repeating or counting anything", async () => {
    const proxy = await startFaultyKinesisProxy(env.kinesisEndpoint);
    const kinesis = localKinesisClient(proxy.endpoint);
    try {
      const stream = await createStreamAndQueue(env);
      await putRecords(env, stream.streamName, spread("a", 5));
      const fn = new ScriptedFunction();
      const errors: string[] = [];
      mapping = newMapping(env, stream, fn, settings({ batchSize: 3, maxRetryAttempts: 0 }), {
        kinesis,
        onError: (error) => errors.push((error as Error).name),
      });
      mapping.start();
      await waitFor(() => fn.delivered().length === 5, "the first 5 records");
      proxy.faults.push(
        ...Array<string>(4).fill("ProvisionedThroughputExceededException"),
        "ExpiredIteratorException",
        "ExpiredIteratorException",
      );
      await putRecords(env, stream.streamName, spread("b", 5));
      await waitFor(() => fn.delivered().length >= 10, "the next 5 records");
      await waitForIdlePolls(mapping);
      expect(proxy.faults).to.deep.equal([]);
      expect(errors).to.include.members(["ProvisionedThroughputExceededException", "ExpiredIteratorException"]);
      expect(fn.delivered()).to.deep.equal([...spread("a", 5), ...spread("b", 5)].map((r) => r.data));
      expect(mapping.stats()).to.include({ retries: 0, dlqRecords: 0 });
    } finally {
      await mapping?.stop();
      mapping = undefined;
      kinesis.destroy();
      await proxy.stop();
    }
  });
});
