/**
 * StartingPosition: TRIM_HORIZON, LATEST, AT_TIMESTAMP with StartingPositionTimestamp
 * ("Kinesis event source mapping parameters", AWS Lambda developer guide).
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
  waitForIdlePolls,
  type Emulators,
} from "./harness";

const records = (prefix: string, count: number): Array<{ key: string; data: string }> =>
  Array.from({ length: count }, (_, i) => ({ key: `k${i % 3}`, data: `${prefix}-${i}` }));

describe("local ESM: starting position", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("TRIM_HORIZON delivers the records written before the mapping started, in order", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, records("old", 5));
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ startingPosition: "TRIM_HORIZON" }));
    mapping.start();
    await waitFor(() => fn.delivered().length === 5, "5 records");
    expect(fn.delivered()).to.deep.equal(["old-0", "old-1", "old-2", "old-3", "old-4"]);
  });

  it("LATEST skips the records written before the mapping started and delivers those written after", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, records("old", 5));
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ startingPosition: "LATEST" }));
    mapping.start();
    await waitFor(() => (mapping?.stats().idlePolls ?? 0) > 0, "the mapping to hold its LATEST iterator");
    await putRecords(env, stream.streamName, records("new", 3));
    await waitFor(() => fn.delivered().length >= 3, "3 records");
    await waitForIdlePolls(mapping);
    expect(fn.delivered()).to.deep.equal(["new-0", "new-1", "new-2"]);
  });

  it("AT_TIMESTAMP delivers the records that arrived at or after StartingPositionTimestamp", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, records("before", 4));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const timestamp = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await putRecords(env, stream.streamName, records("after", 3));
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: timestamp }));
    mapping.start();
    await waitFor(() => fn.delivered().length >= 3, "3 records");
    await putRecords(env, stream.streamName, records("later", 1));
    await waitFor(() => fn.delivered().length >= 4, "4 records");
    expect(fn.delivered()).to.deep.equal(["after-0", "after-1", "after-2", "later-0"]);
  });

  it("rejects AT_TIMESTAMP without a valid timestamp, naming the setting", () => {
    const fn = new ScriptedFunction();
    const stream = { streamName: "s", streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s", queueUrl: "q" };
    expect(() => newMapping(env, stream, fn, settings({ startingPosition: "AT_TIMESTAMP" }))).to.throw(
      "Invalid event source mapping settings: `startingPositionTimestamp` must be an ISO-8601 time when `startingPosition` is AT_TIMESTAMP, got undefined",
    );
  });
});
