/**
 * BisectBatchOnFunctionError, MaximumRetryAttempts and MaximumRecordAgeInSeconds ("Retain discarded batch records
 * for a Kinesis Data Streams event source in Lambda" and "Kinesis event source mapping parameters", AWS Lambda
 * developer guide): splitting a batch does not use the retry quota; exhausted retries and records past the
 * maximum age go to the on-failure destination; throttled invokes never count as retries.
 */
import { expect } from "chai";
import type { EventSourceMapping, InvokeFunction } from "../../../local/esm";
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
  type Emulators,
} from "./harness";

const poisoned = (): ScriptedFunction =>
  new ScriptedFunction((call) => (call.data.includes("poison") ? { functionError: "Unhandled" } : {}));

describe("local ESM: bisect, retries and record age", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  const eight = ["0", "1", "2", "3", "4", "poison", "6", "7"];

  it("bisects a failing batch down to the poison record without using the retry quota", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      eight.map((data) => ({ key: `k${data}`, data })),
    );
    const fn = poisoned();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 8, bisectOnError: true, maxRetryAttempts: 0 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    await waitFor(() => fn.calls.length === 7, "7 invocations");
    expect(fn.calls.map((c) => c.data)).to.deep.equal([
      eight,
      ["0", "1", "2", "3"],
      ["4", "poison", "6", "7"],
      ["4", "poison"],
      ["4"],
      ["poison"],
      ["6", "7"],
    ]);
    // Lambda's count is the discarded batch's own attempts: the 8-, 4- and 2-record batches it came from do not count.
    expect(failure?.requestContext).to.deep.include({ condition: "RetryAttemptsExhausted", approximateInvokeCount: 1 });
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[5], endSequenceNumber: sequences[5], batchSize: 1 });
    expect(mapping.stats()).to.include({ invocations: 7, bisections: 3, retries: 0, dlqRecords: 1 });
  });

  it("retries the isolated record MaximumRetryAttempts times after bisecting", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(
      env,
      stream.streamName,
      eight.map((data) => ({ key: `k${data}`, data })),
    );
    const fn = poisoned();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 8, bisectOnError: true, maxRetryAttempts: 2 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    await waitFor(() => fn.calls.length === 9, "9 invocations");
    expect(fn.calls.filter((c) => c.data.length === 1 && c.data[0] === "poison")).to.have.length(3);
    expect(failure?.requestContext.approximateInvokeCount).to.equal(3); // 1 + MaximumRetryAttempts
    expect(mapping.stats()).to.include({ invocations: 9, bisections: 3, retries: 2 });
  });

  it("without bisect, retries the whole batch MaximumRetryAttempts times, discards it, and moves on", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      ["a", "poison", "c"].map((data) => ({ key: "same", data })),
    );
    const fn = poisoned();
    mapping = newMapping(env, stream, fn, settings({ batchSize: 3, maxRetryAttempts: 2 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expect(failure?.requestContext).to.deep.include({ condition: "RetryAttemptsExhausted", approximateInvokeCount: 3 });
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[0], endSequenceNumber: sequences[2], batchSize: 3 });
    await putRecords(env, stream.streamName, [{ key: "same", data: "d" }]);
    await waitFor(() => fn.calls.length === 4, "the next record");
    expect(fn.calls.map((c) => c.data)).to.deep.equal([["a", "poison", "c"], ["a", "poison", "c"], ["a", "poison", "c"], ["d"]]);
    expect(mapping.stats()).to.include({ invocations: 4, retries: 2, bisections: 0, dlqRecords: 3 });
  });

  it("with MaximumRetryAttempts -1, retries until the records are older than MaximumRecordAgeInSeconds", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, [{ key: "k", data: "poison" }]);
    let offsetMs = 0;
    const fn = poisoned();
    mapping = newMapping(env, stream, fn, settings({ maxRetryAttempts: -1, maxRecordAgeSeconds: 60 }), {
      clock: () => Date.now() + offsetMs,
    });
    mapping.start();
    await waitFor(() => fn.calls.length >= 5, "5 attempts");
    offsetMs = 61_000;
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    const attempts = fn.calls.length;
    expect(failure?.requestContext).to.deep.include({ condition: "RecordAgeExceeded", approximateInvokeCount: attempts });
    // AWS omits responseContext on RecordAgeExceeded, even after invocations (LocalStack's AWS recording expire-while-retrying).
    expect(failure).not.to.have.property("responseContext");
    expect(mapping.stats()).to.include({ invocations: attempts, retries: attempts - 1, dlqRecords: 1 });
  });

  it("discards records older than MaximumRecordAgeInSeconds without invoking, and delivers newer ones", async () => {
    const stream = await createStreamAndQueue(env);
    const old = await putRecords(env, stream.streamName, [
      { key: "k", data: "old-1" },
      { key: "k", data: "old-2" },
    ]);
    let offsetMs = 61_000;
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings({ maxRecordAgeSeconds: 60 }), { clock: () => Date.now() + offsetMs });
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    // Never invoked, and AWS still reports 1 (LocalStack's AWS recording expire-before-ingestion).
    expect(failure?.requestContext).to.deep.include({ condition: "RecordAgeExceeded", approximateInvokeCount: 1 });
    expect(failure).not.to.have.property("responseContext");
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: old[0], endSequenceNumber: old[1], batchSize: 2 });
    offsetMs = 0;
    await putRecords(env, stream.streamName, [{ key: "k", data: "new" }]);
    await waitFor(() => fn.calls.length === 1, "the new record");
    expect(fn.delivered()).to.deep.equal(["new"]);
    expect(mapping.stats()).to.include({ invocations: 1, dlqRecords: 2, retries: 0 });
  });

  it("retries an invoke that never reached the function (throttled) without counting it as a retry", async () => {
    const stream = await createStreamAndQueue(env);
    await putRecords(env, stream.streamName, [{ key: "k", data: "x" }]);
    const fn = new ScriptedFunction();
    let throttles = 2;
    const invoke: InvokeFunction = async (event, context) => {
      if (throttles-- > 0) throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
      return fn.invoke(event, context);
    };
    mapping = newMapping(env, stream, fn, settings({ maxRetryAttempts: 0 }), { invoke });
    mapping.start();
    await waitFor(() => fn.calls.length === 1, "the invocation after two throttles");
    await waitForIdlePolls(mapping);
    expect(mapping.stats()).to.include({ invocations: 1, retries: 0, dlqRecords: 0 });
  });
});
