/**
 * The windowed consumer runtime end to end on the local event source mapping engine, which holds Lambda's
 * tumbling-window rules (Lambda developer guide: Using tumbling windows with Kinesis): per-key counts
 * aggregated over batches, the state carried between invocations, one onWindowEnd per window with every
 * record counted once, and a failed record retried from itself with the state of the records before it.
 */
import { expect } from "chai";
import { createWindowedConsumer, type WindowInfo } from "../../../handlers/lib/consumer";
import type { EventSourceMapping, InvokeResult } from "../../../local/esm";
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

/** Sleeps until 50 ms into the next window of `windowMs`, so records written now share one window. */
async function startOfNextWindow(windowMs: number): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + 50);
}

type Counts = Record<string, number>;

/** Counts records per partition key; `failOnce` names data whose first reduce throws. */
function countingConsumer(failOnce: Set<string> = new Set()) {
  const windows: Array<{ counts: Counts; window: WindowInfo }> = [];
  const handler = createWindowedConsumer<Counts>({
    initialState: () => ({}),
    reduce: (counts, record) => {
      const data = record.data.toString("utf8");
      if (failOnce.delete(data)) throw new Error(`refusing ${data} once`);
      return { ...counts, [record.partitionKey]: (counts[record.partitionKey] ?? 0) + 1 };
    },
    onWindowEnd: (counts, window) => void windows.push({ counts, window }),
    writeLine: () => undefined,
  });
  // The function as Lambda runs it: a thrown error is an `Unhandled` function error.
  const fn = new ScriptedFunction(async (call: Call): Promise<InvokeResult> => {
    try {
      return { payload: JSON.parse(JSON.stringify(await handler(call.event as never))) };
    } catch {
      return { functionError: "Unhandled" };
    }
  });
  return { fn, windows };
}

describe("local ESM + createWindowedConsumer: windowed aggregation end to end (Lambda guide: Using tumbling windows with Kinesis)", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("aggregates a window over several batches, carries the state, and ends it once with every record counted", async () => {
    const stream = await createStreamAndQueue(env);
    const { fn, windows } = countingConsumer();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 2, tumblingWindowSeconds: 1 }));
    mapping.start();
    await startOfNextWindow(1000);
    await putRecords(
      env,
      stream.streamName,
      ["a", "b", "a", "c", "a"].map((key, i) => ({ key, data: `r${i}` })),
    );
    await waitFor(() => windows.length === 1, "the window's end", 5000);
    expect(windows[0]?.counts).to.deep.equal({ a: 3, b: 1, c: 1 });
    expect(windows[0]?.window).to.include({ shardId: "shardId-000000000000", terminatedEarly: false });
    expect(Date.parse(windows[0]!.window.end) - Date.parse(windows[0]!.window.start)).to.equal(1000);
    // Three batches of at most 2 records, each handed the state the one before returned, then the final call.
    const states = fn.calls.map((call) => (call.event as unknown as { state: unknown }).state);
    expect(states).to.deep.equal([
      {},
      { aggregate: { a: 1, b: 1 } },
      { aggregate: { a: 2, b: 1, c: 1 } },
      { aggregate: { a: 3, b: 1, c: 1 } },
    ]);
    expect(mapping.stats()).to.include({ retries: 0, dlqRecords: 0 });
  });

  it("a failed record is retried from itself with the state of the records before it: nothing counted twice or lost", async () => {
    const stream = await createStreamAndQueue(env);
    const { fn, windows } = countingConsumer(new Set(["r2"]));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, tumblingWindowSeconds: 1, maxRetryAttempts: 3 }));
    mapping.start();
    await startOfNextWindow(1000);
    await putRecords(
      env,
      stream.streamName,
      ["a", "a", "b", "b"].map((key, i) => ({ key, data: `r${i}` })),
    );
    await waitFor(() => windows.length === 1, "the window's end", 5000);
    expect(windows[0]?.counts).to.deep.equal({ a: 2, b: 2 });
    expect(fn.calls.map((call) => call.data)).to.deep.equal([["r0", "r1", "r2", "r3"], ["r2", "r3"], []]);
    expect(mapping.stats()).to.include({ dlqRecords: 0 });
  });

  it("each window ends with its own counts, the next starting from initialState", async () => {
    const stream = await createStreamAndQueue(env);
    const { fn, windows } = countingConsumer();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, tumblingWindowSeconds: 1 }));
    mapping.start();
    await startOfNextWindow(1000);
    await putRecords(env, stream.streamName, [{ key: "a", data: "early" }]);
    await startOfNextWindow(1000);
    await putRecords(env, stream.streamName, [
      { key: "b", data: "late" },
      { key: "b", data: "later" },
    ]);
    await waitFor(() => windows.length === 2, "both windows' ends", 5000);
    expect(windows.map((w) => w.counts)).to.deep.equal([{ a: 1 }, { b: 2 }]);
    expect(windows[1]!.window.start).to.equal(windows[0]!.window.end);
  });
});
