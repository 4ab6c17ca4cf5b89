/**
 * ReportBatchItemFailures ("Configuring partial batch response with Kinesis Data Streams and Lambda", AWS Lambda
 * developer guide): Lambda checkpoints before the lowest reported sequence number and retries from there; with
 * BisectBatchOnFunctionError it splits the batch there; an empty or null list is a success; a null or empty
 * itemIdentifier, or a bad key name, fails the whole batch.
 */
import { expect } from "chai";
import type { EventSourceMapping, InvokeResult } from "../../../local/esm";
import {
  createStreamAndQueue,
  newMapping,
  putRecords,
  receiveOnFailureRecords,
  ScriptedFunction,
  settings,
  startEmulators,
  waitFor,
  waitForIdlePolls,
  type Call,
  type Emulators,
} from "./harness";

const ten = Array.from({ length: 10 }, (_, i) => String(i));
const failures = (...sequenceNumbers: string[]): InvokeResult => ({
  payload: { batchItemFailures: sequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) },
});
const seqOf = (call: Call, data: string): string => call.sequenceNumbers[call.data.indexOf(data)] ?? "missing";

describe("local ESM: ReportBatchItemFailures", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  async function run(
    fn: ScriptedFunction,
    overrides: Parameters<typeof settings>[0],
    invocations: number,
  ): Promise<{ checkpoint?: string; last: string }> {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      ten.map((data) => ({ key: `k${data}`, data })),
    );
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, ...overrides }));
    mapping.start();
    const last = sequences[9] ?? "";
    await waitFor(() => mapping?.checkpoint("shardId-000000000000") === last, "the checkpoint to reach the last record");
    await waitForIdlePolls(mapping);
    expect(fn.calls).to.have.length(invocations);
    return { checkpoint: mapping.checkpoint("shardId-000000000000"), last };
  }

  it("checkpoints before the lowest reported sequence number and retries from it", async () => {
    const fn = new ScriptedFunction((call, index) => (index === 0 ? failures(seqOf(call, "7"), seqOf(call, "4")) : {}));
    await run(fn, { maxRetryAttempts: 3 }, 2);
    expect(fn.calls.map((c) => c.data)).to.deep.equal([ten, ["4", "5", "6", "7", "8", "9"]]);
    expect(mapping?.stats()).to.include({ invocations: 2, batchItemFailures: 2, retries: 1, bisections: 0 });
  });

  it("Lambda guide 'Configuring partial batch response' (bisect): with bisect on, the batch is bisected at the reported record and only the remaining records are retried, using no retry", async () => {
    const fn = new ScriptedFunction((call, index) => (index === 0 ? failures(seqOf(call, "4")) : {}));
    await run(fn, { bisectOnError: true, maxRetryAttempts: 0 }, 2);
    expect(fn.calls.map((c) => c.data)).to.deep.equal([ten, ["4", "5", "6", "7", "8", "9"]]);
    expect(mapping?.stats()).to.include({ invocations: 2, batchItemFailures: 1, retries: 0, bisections: 1 });
  });

  it("with bisect on, a remainder that keeps failing is bisected again at each reported record, then retried and discarded from the last one", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      ten.map((data) => ({ key: `k${data}`, data })),
    );
    // Reports 4, then 7 on every later call: two bisections (no retry used), then 7… is retried once and discarded.
    const fn = new ScriptedFunction((call) => failures(seqOf(call, call.data[0] === "0" ? "4" : "7")));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, bisectOnError: true, maxRetryAttempts: 1 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expect(fn.calls.map((c) => c.data)).to.deep.equal([ten, ["4", "5", "6", "7", "8", "9"], ["7", "8", "9"], ["7", "8", "9"]]);
    expect(failure?.requestContext).to.deep.include({ condition: "RetryAttemptsExhausted", approximateInvokeCount: 2 });
    expect(failure?.responseContext).to.deep.equal({ statusCode: 200, executedVersion: "$LATEST", functionError: null });
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[7], endSequenceNumber: sequences[9], batchSize: 3 });
    expect(mapping.stats()).to.include({ invocations: 4, bisections: 2, retries: 1, dlqRecords: 3 });
  });

  it("discards only from the reported record when its retries are exhausted", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      ten.map((data) => ({ key: `k${data}`, data })),
    );
    const fn = new ScriptedFunction((call) => (call.data.includes("6") ? failures(seqOf(call, "6")) : {}));
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10, maxRetryAttempts: 1 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expect(fn.calls.map((c) => c.data)).to.deep.equal([ten, ["6", "7", "8", "9"]]);
    expect(failure?.requestContext).to.deep.include({ condition: "RetryAttemptsExhausted", approximateInvokeCount: 2 });
    // A partial batch failure is no function error: AWS writes "functionError": null (LocalStack's AWS recording).
    expect(failure?.responseContext).to.deep.equal({ statusCode: 200, executedVersion: "$LATEST", functionError: null });
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[6], endSequenceNumber: sequences[9], batchSize: 4 });
  });

  const successes: Array<[string, InvokeResult]> = [
    ["an empty batchItemFailures list", { payload: { batchItemFailures: [] } }],
    ["a null batchItemFailures list", { payload: { batchItemFailures: null } }],
    ["an empty EventResponse", { payload: {} }],
    ["a null EventResponse", { payload: null }],
    ["no response at all", {}],
  ];
  for (const [name, result] of successes) {
    it(`treats ${name} as a complete success`, async () => {
      const fn = new ScriptedFunction(() => result);
      await run(fn, { maxRetryAttempts: 3 }, 1);
      expect(mapping?.stats()).to.include({ invocations: 1, retries: 0, batchItemFailures: 0 });
    });
  }

  const invalid: Array<[string, (call: Call) => InvokeResult]> = [
    ["a null itemIdentifier", () => ({ payload: { batchItemFailures: [{ itemIdentifier: null }] } })],
    ["an empty itemIdentifier", () => ({ payload: { batchItemFailures: [{ itemIdentifier: "" }] } })],
    ["an itemIdentifier with a bad key name", (call) => ({ payload: { batchItemFailures: [{ itemId: seqOf(call, "4") }] } })],
    ["an unknown sequence number", () => ({ payload: { batchItemFailures: [{ itemIdentifier: "4959" }] } })],
    ["batchItemFailures that is not a list", (call) => ({ payload: { batchItemFailures: { itemIdentifier: seqOf(call, "4") } } })],
  ];
  for (const [name, answer] of invalid) {
    it(`fails the whole batch on ${name}`, async () => {
      const fn = new ScriptedFunction((call, index) => (index === 0 ? answer(call) : {}));
      await run(fn, { maxRetryAttempts: 3 }, 2);
      expect(fn.calls.map((c) => c.data)).to.deep.equal([ten, ten]);
      expect(mapping?.stats()).to.include({ invocations: 2, retries: 1, batchItemFailures: 0 });
    });
  }

  it("ignores batchItemFailures when ReportBatchItemFailures is off", async () => {
    const fn = new ScriptedFunction((call) => failures(seqOf(call, "4")));
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      ten.map((data) => ({ key: `k${data}`, data })),
    );
    mapping = newMapping(env, stream, fn, settings({ batchSize: 10 }), { reportBatchItemFailures: false });
    mapping.start();
    await waitFor(() => mapping?.checkpoint("shardId-000000000000") === sequences[9], "the checkpoint to reach the last record");
    expect(fn.calls).to.have.length(1);
  });
});
