/**
 * BatchSize and MaximumBatchingWindowInSeconds: a batch is invoked at the first of window expired, batch full,
 * or 6 MB payload ("Kinesis event source mapping parameters" and "Using Lambda with Kinesis": batching).
 */
import { expect } from "chai";
import type { EventSourceMapping } from "../../../local/esm";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../../semantics/limits";
import {
  createStreamAndQueue,
  newMapping,
  putRecords,
  ScriptedFunction,
  settings,
  startEmulators,
  waitFor,
  witnessReadPast,
  type Emulators,
} from "./harness";

describe("local ESM: batch size and batching window", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("invokes with at most BatchSize records, in shard order", async () => {
    const stream = await createStreamAndQueue(env);
    const written = Array.from({ length: 250 }, (_, i) => ({ key: `k${i % 7}`, data: String(i) }));
    await putRecords(env, stream.streamName, written);
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 100 }));
    mapping.start();
    await waitFor(() => fn.delivered().length === 250, "250 records");
    expect(fn.calls.map((c) => c.data.length)).to.deep.equal([100, 100, 50]);
    expect(fn.delivered()).to.deep.equal(written.map((r) => r.data));
  });

  it("waits out the batching window when the batch is not full", async () => {
    const stream = await createStreamAndQueue(env);
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 100, batchWindowSeconds: 1, startingPosition: "LATEST" }));
    mapping.start();
    await waitFor(() => (mapping?.stats().idlePolls ?? 0) > 0, "the mapping to hold its LATEST iterator");
    const writtenAt = Date.now();
    await putRecords(env, stream.streamName, [{ key: "a", data: "1" }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await putRecords(env, stream.streamName, [
      { key: "a", data: "2" },
      { key: "b", data: "3" },
    ]);
    await waitFor(() => fn.calls.length === 1, "the windowed invocation", 5000);
    expect(fn.calls[0]?.data).to.deep.equal(["1", "2", "3"]);
    const waited = (fn.calls[0]?.at ?? 0) - writtenAt;
    expect(waited).to.be.within(950, 1800);
  });

  it("invokes as soon as the batch is full, without waiting for the window", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(
      env,
      stream.streamName,
      Array.from({ length: 25 }, (_, i) => ({ key: "k", data: String(i) })),
    );
    const fn = new ScriptedFunction();
    const startedAt = Date.now();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, batchWindowSeconds: 30 }));
    mapping.start();
    await waitFor(() => fn.calls.length === 2, "two full batches", 5000);
    expect((fn.calls[1]?.at ?? 0) - startedAt).to.be.below(2000);
    // A mapping without a window delivers all 25 and reads past them (this one's reads never count as idle while
    // records wait in its lane); the last 5 here wait for the 30 s window.
    expect(await witnessReadPast(env, stream, 25)).to.have.length(25);
    expect(fn.calls.map((c) => c.data.length)).to.deep.equal([10, 10]);
  });

  it("caps a batch at the 6 MB invoke payload", async () => {
    const stream = await createStreamAndQueue(env);
    const big = "x".repeat(600_000); // 800,000 bytes once base64-encoded: 7 fit in 6 MB, 8 do not
    await putRecords(
      env,
      stream.streamName,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, data: big })),
    );
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 100 }));
    mapping.start();
    await waitFor(() => fn.delivered().length === 10, "10 records");
    expect(fn.calls.map((c) => c.data.length)).to.deep.equal([7, 3]);
    for (const call of fn.calls) expect(Buffer.byteLength(JSON.stringify(call.event))).to.be.at.most(MAX_INVOKE_PAYLOAD_BYTES);
  });
});
