/**
 * ParallelizationFactor: up to N batches of one shard in flight at once, with the records of a partition key
 * processed in order ("Kinesis event source mapping parameters" and "Using Lambda with Kinesis": polling and
 * batching streams, AWS Lambda developer guide).
 */
import { expect } from "chai";
import type { EventSourceMapping } from "../../../local/esm";
import {
  createStreamAndQueue,
  newMapping,
  putRecords,
  ScriptedFunction,
  settings,
  startEmulators,
  waitFor,
  type Call,
  type Emulators,
} from "./harness";

describe("local ESM: parallelization factor", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  async function runWith(
    parallelizationFactor: number,
  ): Promise<{ fn: ScriptedFunction; maxInFlight: number; overlaps: string[]; last: string }> {
    const stream = await createStreamAndQueue(env);
    const written = Array.from({ length: 400 }, (_, i) => ({ key: `key-${i % 40}`, data: JSON.stringify({ key: `key-${i % 40}`, n: i }) }));
    const sequences = await putRecords(env, stream.streamName, written);
    let inFlight = 0;
    let maxInFlight = 0;
    const keysInFlight = new Map<string, number>();
    const overlaps: string[] = [];
    const fn = new ScriptedFunction(async (call: Call) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const keys = new Set(call.event.Records.map((r) => r.kinesis.partitionKey));
      for (const key of keys) {
        if (keysInFlight.has(key)) overlaps.push(key);
        keysInFlight.set(key, 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const key of keys) keysInFlight.delete(key);
      inFlight--;
      return {};
    });
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, parallelizationFactor }));
    mapping.start();
    await waitFor(() => fn.delivered().length === 400, "400 records");
    const last = sequences[sequences.length - 1] ?? "";
    await waitFor(() => mapping?.checkpoint("shardId-000000000000") === last, "the checkpoint to reach the last record");
    return { fn, maxInFlight, overlaps, last };
  }

  it("runs up to N batches of one shard concurrently and never splits a key across concurrent batches", async () => {
    const { fn, maxInFlight, overlaps } = await runWith(4);
    expect(maxInFlight).to.equal(4);
    expect(overlaps).to.deep.equal([]);
    // Per key, the records arrive in the order they were written.
    const byKey = new Map<string, number[]>();
    for (const data of fn.delivered()) {
      const { key, n } = JSON.parse(data) as { key: string; n: number };
      byKey.set(key, [...(byKey.get(key) ?? []), n]);
    }
    expect(byKey.size).to.equal(40);
    for (const [key, ns] of byKey) expect(ns, key).to.deep.equal([...ns].sort((a, b) => a - b));
    expect(new Set(fn.delivered()).size).to.equal(400);
  });

  it("runs one batch at a time with a factor of 1", async () => {
    const { maxInFlight, fn } = await runWith(1);
    expect(maxInFlight).to.equal(1);
    expect(fn.delivered().map((d) => (JSON.parse(d) as { n: number }).n)).to.deep.equal(Array.from({ length: 400 }, (_, i) => i));
  });

  it("keeps the shard checkpoint at the minimum over lanes: a lane stuck on a record holds it back", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(env, stream.streamName, [
      { key: "stuck", data: "stuck-0" },
      ...Array.from({ length: 6 }, (_, i) => ({ key: "other", data: `other-${i}` })),
    ]);
    let release = false;
    const fn = new ScriptedFunction((call) => (call.data.includes("stuck-0") && !release ? { functionError: "Unhandled" } : {}));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 1, parallelizationFactor: 2, maxRetryAttempts: -1 }));
    mapping.start();
    await waitFor(() => fn.delivered().filter((d) => d.startsWith("other-")).length === 6, "the other lane to finish");
    expect(mapping.checkpoint("shardId-000000000000")).to.equal(undefined);
    release = true;
    await waitFor(() => mapping?.checkpoint("shardId-000000000000") === sequences[6], "the checkpoint to reach the last record");
    expect(mapping.stats().retries).to.be.above(0);
  });
});
