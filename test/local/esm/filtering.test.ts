/**
 * FilterCriteria on a Kinesis mapping ("Lambda event filtering" and "Using event filtering with a Kinesis event
 * source", AWS Lambda developer guide): patterns apply to `data` when it is JSON, non-JSON data is dropped by a
 * pattern on `data`, patterns are OR-ed, dropped records are checkpointed past, and a batch whose records are
 * all dropped is never invoked.
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

const SHARD = "shardId-000000000000";

describe("local ESM: filter criteria (Lambda developer guide: Lambda event filtering, Kinesis event source)", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("delivers only records a pattern matches, drops non-JSON data, checkpoints past dropped records, and skips all-dropped batches", async () => {
    const stream = await createStreamAndQueue(env);
    const first = [
      { key: "a", data: { type: "order", id: 1 } },
      { key: "b", data: { type: "refund", id: 2 } },
      { key: "c", data: "type=order" },
      { key: "d", data: { type: "refund", priority: 9 } },
      { key: "e", data: { type: "order", id: 5 } },
      { key: "f", data: { type: "note" } },
    ];
    const firstSequences = await putRecords(env, stream.streamName, first);
    const fn = new ScriptedFunction();
    mapping = newMapping(
      env,
      stream,
      fn,
      settings({
        batchSize: 10,
        filterPatterns: ['{"data":{"type":["order"]}}', '{"data":{"priority":[{"numeric":[">",5]}]}}'],
      }),
    );
    mapping.start();
    await waitFor(() => mapping?.checkpoint(SHARD) === firstSequences[5], "the checkpoint to pass the last (dropped) record");
    expect(fn.calls.map((call) => call.data)).to.deep.equal([
      ['{"type":"order","id":1}', '{"type":"refund","priority":9}', '{"type":"order","id":5}'],
    ]);

    // A whole batch of non-matching records: checkpointed, never invoked.
    const second = await putRecords(
      env,
      stream.streamName,
      Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, data: { type: "refund", id: i } })),
    );
    await waitFor(() => mapping?.checkpoint(SHARD) === second[4], "the checkpoint to pass the filtered batch");
    await waitForIdlePolls(mapping);
    expect(fn.calls).to.have.length(1);
    expect(mapping.stats()).to.include({ invocations: 1, records: 3 });
  });

  it("rejects a malformed pattern before polling, naming it and what is allowed", () => {
    const fn = new ScriptedFunction();
    const stream = { streamName: "unused", streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/unused", queueUrl: "unused" };
    expect(() => newMapping(env, stream, fn, settings({ filterPatterns: ['{"partitionKey":["a"]}'] }))).to.throw(
      Error,
      'Invalid event source mapping settings: filterPatterns[0] must be a JSON object filtering on `data` only (Kinesis filters match data only), got {"partitionKey":["a"]}',
    );
  });
});
