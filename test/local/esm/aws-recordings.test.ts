/**
 * The local event source mapping against AWS's own recordings: every Kinesis scenario LocalStack recorded
 * against AWS (tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_kinesis.snapshot.json,
 * trimmed into test/fixtures/aws/localstack-kinesis-esm.json with its commit) that the local engine can replay:
 * the mapping's settings, the function's answers, then the invocations and the on-failure record compared
 * key for key (key order included) with what AWS wrote. Strings that vary per run (ids, ARNs, timestamps,
 * sequence numbers) compare as "a string"; everything else compares exactly.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { EventSourceMapping, InvokeResult } from "../../../local/esm";
import type { KinesisOnFailureRecord } from "../../../semantics/on-failure-record";
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

interface RecordedScenario {
  readonly mapping: {
    BatchSize: number;
    MaximumRetryAttempts: number;
    MaximumRecordAgeInSeconds: number;
    BisectBatchOnFunctionError: boolean;
    FunctionResponseTypes: string[];
  };
  readonly onFailure?: unknown[];
  readonly invocations?: string[][];
  readonly delivered?: string[];
  readonly eventRecord?: Record<string, unknown>;
  readonly filterCriteria?: Array<{ Filters: Array<{ Pattern: unknown }> }>;
  readonly functionOnePayload?: string;
}
const FIXTURE = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/aws/localstack-kinesis-esm.json"), "utf8")) as {
  scenarios: Record<string, RecordedScenario>;
};
const recorded = (name: string): RecordedScenario => {
  const scenario = FIXTURE.scenarios[`test_${name}`];
  if (!scenario) throw new Error(`no recording test_${name}`);
  return scenario;
};

/** Values that are the same on every run, AWS's or ours; every other string is "a string". */
const EXACT_STRINGS = new Set(["condition", "executedVersion", "functionError", "version", "shardId"]);
function shape(value: unknown, key = ""): unknown {
  if (typeof value === "string") return EXACT_STRINGS.has(key) ? value : "<string>";
  if (Array.isArray(value)) return value.map((item) => shape(item));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v, k)]));
  return value;
}

describe("local ESM vs AWS recordings (LocalStack's AWS-validated snapshots of Lambda's Kinesis event source mapping)", () => {
  let env: Emulators;
  let mapping: EventSourceMapping | undefined;
  before(async () => (env = await startEmulators()));
  afterEach(async () => mapping?.stop());
  after(async () => env.stop());

  /** Runs `records` through a mapping with the scenario's settings; `clock` shifts the mapping's time. */
  async function replay(scenario: RecordedScenario, records: string[], answer: (call: Call) => InvokeResult, clock?: () => number) {
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(
      env,
      stream.streamName,
      records.map((data, i) => ({ key: `test_${i}`, data })),
    );
    const fn = new ScriptedFunction(answer);
    const { BatchSize, MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, FunctionResponseTypes } =
      scenario.mapping;
    mapping = newMapping(
      env,
      stream,
      fn,
      settings({
        batchSize: BatchSize,
        maxRetryAttempts: MaximumRetryAttempts,
        maxRecordAgeSeconds: MaximumRecordAgeInSeconds,
        bisectOnError: BisectBatchOnFunctionError,
      }),
      { reportBatchItemFailures: FunctionResponseTypes.includes("ReportBatchItemFailures"), ...(clock ? { clock } : {}) },
    );
    mapping.start();
    return { stream, sequences, fn };
  }

  const expectOnFailure = (local: KinesisOnFailureRecord | undefined, scenario: RecordedScenario) =>
    expect(JSON.stringify(shape(local))).to.equal(JSON.stringify(shape(scenario.onFailure?.[0])));

  it("on-failure destination (RetryAttemptsExhausted after a function error: approximateInvokeCount 2, functionError Unhandled)", async () => {
    const scenario = recorded("kinesis_event_source_mapping_with_on_failure_destination_config");
    const { stream, sequences } = await replay(scenario, ['{"input":"hello","value":"world","raise_error":1}'], () => ({
      functionError: "Unhandled",
    }));
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expectOnFailure(failure, scenario);
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[0], endSequenceNumber: sequences[0] });
  });

  it("ReportBatchItemFailures (the 6th record reported: invoked 4 times in all, functionError null, only that record discarded)", async () => {
    const scenario = recorded("kinesis_report_batch_item_failures");
    const records = Array.from({ length: 6 }, (_, i) => JSON.stringify({ should_fail: i === 5 }));
    const { stream, sequences } = await replay(scenario, records, (call) => ({
      payload: {
        batchItemFailures: call.data.flatMap((d, i) => (d.includes("true") ? [{ itemIdentifier: call.sequenceNumbers[i] }] : [])),
      },
    }));
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expectOnFailure(failure, scenario);
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: sequences[5], endSequenceNumber: sequences[5] });
  });

  const failureAnswers: Array<[string, InvokeResult]> = [
    ["item_identifier_not_present_failure", { payload: { batchItemFailures: [{ itemIdentifier: 123 }] } }],
    ["empty_string_item_identifier_failure", { payload: { batchItemFailures: [{ itemIdentifier: "" }] } }],
    ["null_item_identifier_failure", { payload: { batchItemFailures: [{ itemIdentifier: null }] } }],
    ["invalid_key_foo_failure", { payload: { batchItemFailures: [{ foo: 123 }] } }],
    ["invalid_key_foo_null_value_failure", { payload: { batchItemFailures: [{ foo: null }] } }],
    ["unhandled_exception_in_function", { functionError: "Unhandled" }],
  ];
  for (const [id, answer] of failureAnswers) {
    it(`batch item failure scenario ${id}: the recorded invocations and on-failure record`, async () => {
      const scenario = recorded(`kinesis_report_batch_item_failure_scenarios[${id}]`);
      const { stream, fn } = await replay(scenario, ["hello"], () => answer);
      const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
      expectOnFailure(failure, scenario);
      expect(fn.calls.map((call) => call.sequenceNumbers.length)).to.deep.equal(scenario.invocations?.map((records) => records.length));
    });
  }

  const successAnswers: Array<[string, unknown]> = [
    ["empty_string_success", ""],
    ["empty_list_success", []],
    ["null_success", null],
    ["empty_dict_success", {}],
    ["empty_batch_item_failure_success", { batchItemFailures: [] }],
    ["null_batch_item_failure_success", { batchItemFailures: null }],
  ];
  for (const [id, payload] of successAnswers) {
    it(`batch item success scenario ${id}: one invocation, nothing discarded`, async () => {
      const scenario = recorded(`kinesis_report_batch_item_success_scenarios[${id}]`);
      const { sequences, fn } = await replay(scenario, ["hello"], () => ({ payload }));
      await waitFor(() => mapping?.checkpoint("shardId-000000000000") === sequences[0], "the checkpoint past the record");
      await waitForIdlePolls(mapping!);
      expect(fn.calls).to.have.length(scenario.invocations?.length ?? -1);
      expect(mapping?.stats()).to.include({ dlqRecords: 0 });
    });
  }

  it("MaximumRecordAgeInSeconds, expire-while-retrying: RecordAgeExceeded with no responseContext, approximateInvokeCount the attempts", async () => {
    const scenario = recorded("kinesis_maximum_record_age_exceeded[expire-while-retrying]");
    let offsetMs = 0;
    const { stream, fn } = await replay(
      scenario,
      ["stream-data"],
      () => ({ functionError: "Unhandled" }),
      () => Date.now() + offsetMs,
    );
    await waitFor(() => fn.calls.length >= 3, "3 attempts");
    offsetMs = 61_000;
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expect(failure?.requestContext.approximateInvokeCount).to.equal(fn.calls.length);
    expectOnFailure({ ...failure!, requestContext: { ...failure!.requestContext, approximateInvokeCount: 8 } }, scenario);
  });

  it("MaximumRecordAgeInSeconds, expire-before-ingestion: never invoked, yet approximateInvokeCount 1 and no responseContext", async () => {
    const scenario = recorded("kinesis_maximum_record_age_exceeded[expire-before-ingestion]");
    const { stream, fn } = await replay(
      scenario,
      ["stream-data"],
      () => ({ functionError: "Unhandled" }),
      () => Date.now() + 61_000,
    );
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expectOnFailure(failure, scenario);
    expect(fn.calls).to.have.length(0);
  });

  it("the event record AWS delivers (create_kinesis_event_source_mapping): the same keys and constant values", async () => {
    const scenario = recorded("create_kinesis_event_source_mapping");
    const { fn } = await replay(
      { ...scenario, mapping: { ...scenario.mapping, StartingPosition: "TRIM_HORIZON" } as RecordedScenario["mapping"] },
      ["hello"],
      () => ({}),
    );
    await waitFor(() => fn.calls.length === 1, "the invocation");
    const local = fn.calls[0]!.event.Records[0] as unknown as Record<string, unknown>;
    const isObject = (value: unknown) => typeof value === "object" && value !== null;
    const sortedShape = (record: Record<string, unknown>): unknown =>
      Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((key) => [key, isObject(record[key]) ? sortedShape(record[key] as Record<string, unknown>) : typeof record[key]]),
      );
    const recordedShape = sortedShape(scenario.eventRecord!) as Record<string, unknown>;
    // AWS writes approximateArrivalTimestamp as a number; the recording replaced it with a placeholder string.
    expect(sortedShape(local)).to.deep.equal({
      ...recordedShape,
      kinesis: { ...(recordedShape.kinesis as object), approximateArrivalTimestamp: "number" },
    });
    for (const key of ["eventName", "eventSource", "eventVersion"]) expect(local[key], key).to.equal(scenario.eventRecord![key]);
    expect((local.kinesis as Record<string, unknown>).kinesisSchemaVersion).to.equal("1.0");
    expect(local.eventID).to.match(/^shardId-000000000000:\d+$/);
    expect(local.invokeIdentityArn).to.match(/^arn:aws:iam::\d{12}:role\/.+/);
  });

  it("JSON-pattern filtering (event_filtering_json_pattern): two mappings, each function gets only the record its pattern names", async () => {
    const scenario = recorded("kinesis_event_filtering_json_pattern");
    const stream = await createStreamAndQueue(env);
    const sequences = await putRecords(env, stream.streamName, [
      { key: "custom", data: JSON.stringify({ event_type: "function_1", message: "foo" }) },
      { key: "custom", data: JSON.stringify({ event_type: "function_2", message: "bar" }) },
    ]);
    const functions = [new ScriptedFunction(), new ScriptedFunction()];
    const mappings = scenario.filterCriteria!.map((criteria, i) =>
      newMapping(
        env,
        stream,
        functions[i]!,
        settings({
          batchSize: scenario.mapping.BatchSize,
          maxRetryAttempts: scenario.mapping.MaximumRetryAttempts,
          filterPatterns: criteria.Filters.map((f) => JSON.stringify(f.Pattern)),
        }),
      ),
    );
    try {
      for (const m of mappings) m.start();
      await waitFor(() => mappings.every((m) => m.checkpoint("shardId-000000000000") === sequences[1]), "both mappings past the records");
      await Promise.all(mappings.map((m) => waitForIdlePolls(m)));
      expect(functions.map((f) => f.delivered())).to.deep.equal([
        [JSON.stringify({ event_type: "function_1", message: "foo" })],
        [JSON.stringify({ event_type: "function_2", message: "bar" })],
      ]);
      expect(functions[0]!.delivered().map((d) => JSON.parse(d) as unknown)).to.deep.equal(JSON.parse(scenario.functionOnePayload!));
    } finally {
      await Promise.all(mappings.map((m) => m.stop()));
    }
  });

  it("MaximumRecordAgeInSeconds, discard records: the expired first record is discarded alone, the 5 newer ones delivered", async () => {
    const scenario = recorded("kinesis_maximum_record_age_exceeded_discard_records");
    const stream = await createStreamAndQueue(env);
    const [old] = await putRecords(env, stream.streamName, [{ key: "test", data: "stream-data" }]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await putRecords(
      env,
      stream.streamName,
      Array.from({ length: 5 }, (_, i) => ({ key: "test", data: `stream-data-${i + 1}` })),
    );
    const fn = new ScriptedFunction();
    const { BatchSize, MaximumRetryAttempts, MaximumRecordAgeInSeconds } = scenario.mapping;
    // The first record is over 61 s old on this clock, the others under 60 s for the next second.
    mapping = newMapping(
      env,
      stream,
      fn,
      settings({ batchSize: BatchSize, maxRetryAttempts: MaximumRetryAttempts, maxRecordAgeSeconds: MaximumRecordAgeInSeconds }),
      {
        clock: () => Date.now() + 59_000,
      },
    );
    mapping.start();
    const [failure] = await receiveOnFailureRecords(env, stream.queueUrl, 1);
    expectOnFailure(failure, scenario);
    expect(failure?.KinesisBatchInfo).to.deep.include({ startSequenceNumber: old, endSequenceNumber: old });
    await waitFor(() => fn.calls.length === 1, "the newer records");
    expect(fn.delivered()).to.deep.equal(scenario.delivered?.map((data) => Buffer.from(data, "base64").toString()));
  });
});
