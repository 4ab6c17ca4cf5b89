/**
 * The event the function receives and the on-failure record the destination receives, in Lambda's exact shapes:
 * "Using Lambda with Kinesis" (example event) and "Retain discarded batch records for a Kinesis Data Streams
 * event source in Lambda" (on-failure record), AWS Lambda developer guide.
 */
import { expect } from "chai";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../../../local/emulators";
import type { EventSourceMapping } from "../../../local/esm";
import {
  createStreamAndQueue,
  FUNCTION_ARN,
  newMapping,
  putRecords,
  receiveOnFailureRecords,
  ScriptedFunction,
  settings,
  startEmulators,
  waitFor,
  type Emulators,
} from "./harness";

describe("local ESM: event and on-failure record shapes", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  it("delivers each record in Lambda's Kinesis event shape (Using Lambda with Kinesis: example event)", async () => {
    const stream = await createStreamAndQueue(env);
    const before = Date.now();
    const [sequenceNumber] = await putRecords(env, stream.streamName, [{ key: "device-7", data: "Hello, this is a test." }]);
    const after = Date.now();
    const fn = new ScriptedFunction();
    mapping = newMapping(env, stream, fn, settings());
    mapping.start();
    await waitFor(() => fn.calls.length === 1, "one invocation");

    const [record] = fn.calls[0]?.event.Records ?? [];
    const arrival = record?.kinesis.approximateArrivalTimestamp ?? 0;
    expect(arrival * 1000).to.be.within(before - 1000, after + 1000);
    expect(record).to.deep.equal({
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: "device-7",
        sequenceNumber,
        data: "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==",
        approximateArrivalTimestamp: arrival,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `shardId-000000000000:${sequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/esm-test-role`,
      awsRegion: LOCAL_REGION,
      eventSourceARN: stream.streamArn,
    });
    expect(Object.keys(fn.calls[0]?.event ?? {})).to.deep.equal(["Records"]);
  });

  it("sends the on-failure record in Lambda's exact JSON shape, then moves on (On-failure destinations)", async () => {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(env, stream.streamName, [
      { key: "a", data: "poison" },
      { key: "b", data: "poison too" },
    ]);
    const fn = new ScriptedFunction((call) =>
      call.data[0]?.startsWith("poison") ? { functionError: "Unhandled", payload: { errorMessage: "boom" } } : {},
    );
    mapping = newMapping(env, stream, fn, settings({ maxRetryAttempts: 1 }));
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    const arrivals = fn.calls[0]?.event.Records.map((r) => new Date(r.kinesis.approximateArrivalTimestamp * 1000).toISOString());

    expect(fn.calls.map((c) => c.data)).to.deep.equal([
      ["poison", "poison too"],
      ["poison", "poison too"],
    ]);
    expect(failure?.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(failure)).to.equal(
      JSON.stringify({
        requestContext: {
          requestId: fn.calls[1]?.requestId,
          functionArn: FUNCTION_ARN,
          condition: "RetryAttemptsExhausted",
          approximateInvokeCount: 2,
        },
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        version: "1.0",
        timestamp: failure?.timestamp,
        KinesisBatchInfo: {
          shardId: "shardId-000000000000",
          startSequenceNumber: sequences[0],
          endSequenceNumber: sequences[1],
          approximateArrivalOfFirstRecord: arrivals?.[0],
          approximateArrivalOfLastRecord: arrivals?.[1],
          batchSize: 2,
          streamArn: stream.streamArn,
        },
      }),
    );
    // The shard moves on: a later record is delivered and the checkpoint passes the discarded batch.
    const [next] = await putRecords(env, stream.streamName, [{ key: "c", data: "fine" }]);
    await waitFor(() => mapping?.checkpoint("shardId-000000000000") === next, "the checkpoint to reach the next record");
    expect(fn.calls.map((c) => c.data)).to.deep.equal([["poison", "poison too"], ["poison", "poison too"], ["fine"]]);
    expect(mapping.stats()).to.include({ invocations: 3, records: 5, retries: 1, dlqRecords: 2, bisections: 0 });
  });
});
