/**
 * TumblingWindowInSeconds ("Using tumbling windows with Lambda" for Kinesis, AWS Lambda developer guide): windows
 * aligned to the clock by arrival time, the returned `state` passed to the next invocation of the same window and
 * shard, a final invocation with `isFinalInvokeForWindow`, a fresh state in the next window, a response without
 * `state` failing the batch, and a state over 1 MB ending the window early.
 */
import { expect } from "chai";
import type { EventSourceMapping, InvokeResult, KinesisWindowEvent } from "../../../local/esm";
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const windowEvent = (call: Call): KinesisWindowEvent => call.event as KinesisWindowEvent;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

/** Sleeps until 50 ms into the next window of `windowMs`, so records written now share one window. */
async function startOfNextWindow(windowMs: number): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + 50);
}

/** What a function sees of one invocation, minus the records' envelopes. */
function summary(call: Call): Record<string, unknown> {
  const { window, state, shardId, isFinalInvokeForWindow, isWindowTerminatedEarly } = windowEvent(call);
  return { data: call.data, window, state, shardId, isFinalInvokeForWindow, isWindowTerminatedEarly };
}

/** Counts records into the state, as the guide's example aggregates per key. */
const counting = (call: Call): InvokeResult => {
  const state = windowEvent(call).state as { count?: number };
  return { payload: { state: { count: (state.count ?? 0) + call.data.length } } };
};

describe("local ESM: tumbling windows (Lambda developer guide: Using tumbling windows with Lambda, Kinesis)", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("passes the returned state to the next batch of the window, ends it with a final invocation, and starts the next window fresh", async () => {
    const stream = await createStreamAndQueue(env);
    const fn = new ScriptedFunction(counting);
    mapping = newMapping(env, stream, fn, settings({ batchSize: 2, tumblingWindowSeconds: 1 }));
    mapping.start();
    await startOfNextWindow(1000);
    await putRecords(
      env,
      stream.streamName,
      ["r0", "r1", "r2"].map((data) => ({ key: "k", data })),
    );
    await waitFor(() => fn.calls.length === 3, "two batches and the final invocation", 5000);
    const start = Math.floor(fn.calls[0]?.event.Records[0]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000; // 1 s windows
    const window = { start: iso(start), end: iso(start + 1000) };
    const base = { window, shardId: "shardId-000000000000", isWindowTerminatedEarly: false };
    expect(fn.calls.map(summary)).to.deep.equal([
      { ...base, data: ["r0", "r1"], state: {}, isFinalInvokeForWindow: false },
      { ...base, data: ["r2"], state: { count: 2 }, isFinalInvokeForWindow: false },
      { ...base, data: [], state: { count: 3 }, isFinalInvokeForWindow: true },
    ]);
    expect(fn.calls[2]?.at).to.be.at.least(start + 1000);
    expect(windowEvent(fn.calls[0] as Call).eventSourceARN).to.equal(stream.streamArn);

    await putRecords(env, stream.streamName, [{ key: "k", data: "r3" }]);
    await waitFor(() => fn.calls.length === 4, "the next window's first invocation", 5000);
    expect(summary(fn.calls[3] as Call)).to.deep.include({ data: ["r3"], state: {}, isFinalInvokeForWindow: false });
    expect(windowEvent(fn.calls[3] as Call).window.start > window.start).to.equal(true);
  });

  it("never mixes two windows in a batch: the older window gets its final invocation before the newer one starts", async () => {
    const stream = await createStreamAndQueue(env);
    await startOfNextWindow(1000);
    await putRecords(env, stream.streamName, [{ key: "k", data: "early" }]);
    await startOfNextWindow(1000);
    await putRecords(env, stream.streamName, [{ key: "k", data: "late" }]);
    const fn = new ScriptedFunction(counting);
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, tumblingWindowSeconds: 1 }));
    mapping.start();
    await waitFor(() => fn.calls.length >= 3, "three invocations", 5000);
    expect(
      fn.calls.slice(0, 3).map((call) => [call.data, windowEvent(call).state, windowEvent(call).isFinalInvokeForWindow]),
    ).to.deep.equal([
      [["early"], {}, false],
      [[], { count: 1 }, true],
      [["late"], {}, false],
    ]);
    const [first, , third] = fn.calls.map((call) => windowEvent(call).window);
    expect(Date.parse(third?.start ?? "")).to.equal(Date.parse(first?.end ?? ""));
  });

  it("fails the batch when the response has no state, and retries it with the state unchanged", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, [{ key: "k", data: "r0" }]);
    const fn = new ScriptedFunction((call, index) => (index === 0 ? { payload: { batchItemFailures: [] } } : counting(call)));
    mapping = newMapping(env, stream, fn, settings({ tumblingWindowSeconds: 1, maxRetryAttempts: 2 }));
    mapping.start();
    await waitFor(() => fn.calls.length >= 2, "the retry", 5000);
    expect(fn.calls.slice(0, 2).map((call) => [call.data, windowEvent(call).state])).to.deep.equal([
      [["r0"], {}],
      [["r0"], {}],
    ]);
    expect(mapping.stats()).to.include({ retries: 1 });
  });

  it("ends the window early when the state outgrows 1 MB, then delivers the batch again with a fresh state", async () => {
    const stream = await createStreamAndQueue(env);
    await startOfNextWindow(2000);
    await putRecords(
      env,
      stream.streamName,
      ["r0", "r1"].map((data) => ({ key: "k", data })),
    );
    const big = "x".repeat(1024 * 1024);
    const fn = new ScriptedFunction((call, index) => (index === 1 ? { payload: { state: { big } } } : counting(call)));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 1, tumblingWindowSeconds: 2 }));
    mapping.start();
    await waitFor(() => fn.calls.length >= 4, "four invocations", 5000);
    expect(
      fn.calls.slice(0, 4).map((call) => {
        const event = windowEvent(call);
        return [call.data, event.state, event.isFinalInvokeForWindow, event.isWindowTerminatedEarly];
      }),
    ).to.deep.equal([
      [["r0"], {}, false, false],
      [["r1"], { count: 1 }, false, false],
      [[], { count: 1 }, true, true],
      [["r1"], {}, false, false],
    ]);
  });
});
