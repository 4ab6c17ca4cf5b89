/**
 * Event source mappings, exactly as each committed stack file configures them: every knob, the on-failure
 * queue, reserved concurrency (0 = kill switch), a paused mapping, the `replayFrom` mapping and enhanced
 * fan-out. Knobs: Lambda developer guide, "Kinesis event source mapping parameters".
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runCommittedStack, runStack, type RecordedResource } from "./harness";

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const FUNCTION = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const STREAM_ARN = (stack: string) => `arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-${stack}`;
const FUNCTION_ARN = (stack: string, consumer: string) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:kinesis-ingest-${stack}-${consumer}`;
const DLQ_ARN = (stack: string, consumer: string) => `arn:aws:sqs:eu-west-1:123456789012:kinesis-ingest-${stack}-${consumer}-dlq`;
const DLQ_URL = (stack: string, consumer: string) =>
  `https://sqs.eu-west-1.amazonaws.com/123456789012/kinesis-ingest-${stack}-${consumer}-dlq`;
const FORWARDER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder-config-secret-a1b2c3d-a1b2c3";
const ARCHIVER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:archiver-config-secret-a1b2c3d-a1b2c3";

type Raw = Record<string, unknown>;

/** The stack file's raw config with one consumer's settings patched. */
function withConsumer(stack: string, consumer: string, patch: Raw, rest: Raw = {}): Raw {
  const raw = structuredClone(readStackFile(stack)) as Raw;
  const consumers = raw.consumers as Record<string, Raw>;
  consumers[consumer] = { ...consumers[consumer], ...patch };
  return { ...raw, ...rest };
}

/** The knobs each committed stack file sets for its consumers (besides `enabled` and `bisectOnError`, on everywhere). */
const COMMITTED_KNOBS: Readonly<Record<string, Raw>> = {
  "dev forwarder": {
    startingPosition: "TRIM_HORIZON",
    batchSize: 100,
    maximumBatchingWindowInSeconds: 1,
    parallelizationFactor: 1,
    maximumRecordAgeInSeconds: 3600,
    maximumRetryAttempts: 3,
  },
  "prod forwarder": {
    startingPosition: "LATEST",
    batchSize: 500,
    maximumBatchingWindowInSeconds: 2,
    parallelizationFactor: 4,
    maximumRecordAgeInSeconds: 21_600,
    maximumRetryAttempts: 10,
  },
  "dev s3-archive": {
    startingPosition: "TRIM_HORIZON",
    batchSize: 1000,
    maximumBatchingWindowInSeconds: 5,
    parallelizationFactor: 1,
    maximumRecordAgeInSeconds: 86_400,
    maximumRetryAttempts: 10,
  },
  "prod s3-archive": {
    startingPosition: "TRIM_HORIZON",
    batchSize: 5000,
    maximumBatchingWindowInSeconds: 60,
    parallelizationFactor: 1,
    maximumRecordAgeInSeconds: 604_800,
    maximumRetryAttempts: 100,
  },
  "prod archiver": {
    startingPosition: "TRIM_HORIZON",
    batchSize: 1000,
    maximumBatchingWindowInSeconds: 30,
    parallelizationFactor: 2,
    maximumRecordAgeInSeconds: 86_400,
    maximumRetryAttempts: 20,
  },
};

/** A mapping's whole inputs: an enabled, bisecting mapping of the consumer's function with these knobs. */
function mappingInputs(stack: string, consumer: string, knobs: Raw = COMMITTED_KNOBS[`${stack} ${consumer}`]!): Raw {
  return {
    eventSourceArn: STREAM_ARN(stack),
    functionName: FUNCTION_ARN(stack, consumer),
    functionResponseTypes: ["ReportBatchItemFailures"],
    destinationConfig: { onFailure: { destinationArn: DLQ_ARN(stack, consumer) } },
    enabled: true,
    bisectBatchOnFunctionError: true,
    metricsConfig: { metrics: ["EventCount"] },
    ...knobs,
  };
}

describe("program: event source mappings", () => {
  describe("dev stack (Pulumi.dev.yaml)", () => {
    let resources: RecordedResource[];
    before(async () => ({ resources } = await runCommittedStack("dev")));

    it("creates one mapping per consumer (forwarder, s3-archive), with every knob from the stack file", () => {
      expect(ofType(resources, MAPPING).map((r) => r.name)).to.deep.equal(["consumer-forwarder-mapping", "consumer-s3-archive-mapping"]);
      expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs).to.deep.equal(mappingInputs("dev", "forwarder"));
      expect(named(resources, MAPPING, "consumer-s3-archive-mapping").inputs).to.deep.equal(mappingInputs("dev", "s3-archive"));
    });

    it("gives the forwarder reserved concurrency 2, 256 MB, 30 s, and its environment", () => {
      const fn = named(resources, FUNCTION, "consumer-forwarder-fn-function").inputs;
      expect([fn.name, fn.reservedConcurrentExecutions, fn.memorySize, fn.timeout]).to.deep.equal([
        "kinesis-ingest-dev-forwarder",
        2,
        256,
        30,
      ]);
      expect(fn.environment).to.deep.equal({
        variables: {
          CONFIG_SECRET_ID: FORWARDER_SECRET_ARN,
          REQUEST_TIMEOUT_MS: "5000",
          ON_FAILURE_QUEUE_URL: DLQ_URL("dev", "forwarder"),
        },
      });
    });

    it("sends failed batches to a KMS-encrypted queue that keeps them 14 days", () => {
      expect(ofType(resources, QUEUE).map((r) => r.inputs)).to.deep.equal(
        ["forwarder", "s3-archive"].map((consumer) => ({
          name: `kinesis-ingest-dev-${consumer}-dlq`,
          messageRetentionSeconds: 1_209_600,
          kmsMasterKeyId: "alias/aws/sqs",
          kmsDataKeyReusePeriodSeconds: 300,
        })),
      );
    });
  });

  describe("prod stack (Pulumi.prod.yaml)", () => {
    let resources: RecordedResource[];
    before(async () => ({ resources } = await runCommittedStack("prod")));

    it("creates one mapping per consumer and no other", () => {
      expect(
        ofType(resources, MAPPING)
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal(["consumer-archiver-mapping", "consumer-forwarder-mapping", "consumer-s3-archive-mapping"]);
    });

    for (const [consumer, knobs] of [
      ["forwarder", "LATEST, 500 records, 2 s window, parallelization 4, 6 h record age, 10 retries"],
      ["archiver", "TRIM_HORIZON, 1000 records, 30 s window, parallelization 2, 1 day record age, 20 retries"],
      ["s3-archive", "TRIM_HORIZON, 5000 records, 60 s window, parallelization 1, 7 day record age, 100 retries"],
    ] as const) {
      it(`${consumer}: ${knobs}`, () => {
        expect(named(resources, MAPPING, `consumer-${consumer}-mapping`).inputs).to.deep.equal(mappingInputs("prod", consumer));
      });
    }

    it("sizes the functions from the stack file; the archiver has no reserved concurrency", () => {
      const forwarder = named(resources, FUNCTION, "consumer-forwarder-fn-function").inputs;
      const archiver = named(resources, FUNCTION, "consumer-archiver-fn-function").inputs;
      expect([forwarder.reservedConcurrentExecutions, forwarder.memorySize, forwarder.timeout]).to.deep.equal([40, 512, 60]);
      expect(archiver).to.not.have.property("reservedConcurrentExecutions");
      expect([archiver.memorySize, archiver.timeout]).to.deep.equal([512, 120]);
      expect(forwarder.environment).to.deep.equal({
        variables: {
          CONFIG_SECRET_ID: FORWARDER_SECRET_ARN,
          REQUEST_TIMEOUT_MS: "3000",
          TARGET_URL: "https://events.internal.example.com/v1/ingest",
          ON_FAILURE_QUEUE_URL: DLQ_URL("prod", "forwarder"),
        },
      });
    });

    it("passes the archiver's batch delivery to its function (delivery batch, 500 records, 2 MiB); record mode sets none of it", () => {
      const archiver = named(resources, FUNCTION, "consumer-archiver-fn-function").inputs;
      expect((archiver.environment as { variables: Raw }).variables).to.deep.equal({
        CONFIG_SECRET_ID: ARCHIVER_SECRET_ARN,
        REQUEST_TIMEOUT_MS: "5000",
        TARGET_URL: "https://archive.internal.example.com/v1/batches",
        DELIVERY: "batch",
        MAX_BATCH_RECORDS: "500",
        MAX_BATCH_BYTES: "2097152",
        ON_FAILURE_QUEUE_URL: DLQ_URL("prod", "archiver"),
      });
    });
  });

  it("passes maxBatchRecords and maxBatchBytes as given", async () => {
    const { resources } = await runStack(
      withConsumer("dev", "forwarder", { delivery: "batch", maxBatchRecords: 50, maxBatchBytes: 65536 }),
      {
        stack: "dev",
      },
    );
    const { variables } = named(resources, FUNCTION, "consumer-forwarder-fn-function").inputs.environment as { variables: Raw };
    expect([variables.DELIVERY, variables.MAX_BATCH_RECORDS, variables.MAX_BATCH_BYTES]).to.deep.equal(["batch", "50", "65536"]);
  });

  describe("operating switches", () => {
    it("reserved concurrency 0 is the kill switch: the function gets 0, the mapping stays enabled", async () => {
      const { resources } = await runStack(withConsumer("dev", "forwarder", { reservedConcurrency: 0 }), { stack: "dev" });
      expect(named(resources, FUNCTION, "consumer-forwarder-fn-function").inputs.reservedConcurrentExecutions).to.equal(0);
      expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs.enabled).to.equal(true);
    });

    it("enabled: false pauses the mapping (keeping its checkpoint) and leaves the function as it is", async () => {
      const { resources } = await runStack(withConsumer("dev", "forwarder", { enabled: false }), { stack: "dev" });
      expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs.enabled).to.equal(false);
      expect(named(resources, FUNCTION, "consumer-forwarder-fn-function").inputs.reservedConcurrentExecutions).to.equal(2);
    });

    it("replayFrom adds a second mapping through a `replay` alias, AT_TIMESTAMP, with the same knobs but Lambda's longest bounded record age (services-kinesis-parameters: MaximumRecordAgeInSeconds)", async () => {
      const now = () => Date.parse("2024-05-01T18:00:00Z");
      const { resources } = await runStack(withConsumer("dev", "forwarder", { replayFrom: "2024-05-01T12:00:00Z" }), { stack: "dev", now });
      expect(ofType(resources, MAPPING).map((r) => r.name)).to.deep.equal([
        "consumer-forwarder-mapping",
        "consumer-forwarder-replay-mapping",
        "consumer-s3-archive-mapping",
      ]);
      const alias = named(resources, "aws:lambda/alias:Alias", "consumer-forwarder-replay").inputs;
      expect([alias.name, alias.functionName, alias.functionVersion]).to.deep.equal(["replay", "kinesis-ingest-dev-forwarder", "$LATEST"]);
      expect(named(resources, MAPPING, "consumer-forwarder-replay-mapping").inputs).to.deep.equal({
        ...mappingInputs("dev", "forwarder", {
          ...COMMITTED_KNOBS["dev forwarder"],
          startingPosition: "AT_TIMESTAMP",
          startingPositionTimestamp: "2024-05-01T12:00:00Z",
          // 6 h back is older than the consumer's 1 h: with 3600 the replay would discard its window as RecordAgeExceeded.
          maximumRecordAgeInSeconds: 604_800,
        }),
        functionName: `${FUNCTION_ARN("dev", "forwarder")}:replay`,
      });
      expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs.startingPosition).to.equal("TRIM_HORIZON");
    });

    it("without replayFrom there is no alias and no second mapping", async () => {
      const { resources } = await runCommittedStack("dev");
      expect(ofType(resources, "aws:lambda/alias:Alias")).to.deep.equal([]);
    });

    // A tumbling window is refused for the forwarder (config: it returns no `state`), so none reaches its mapping.
    it("AT_TIMESTAMP and filter patterns reach the mapping as given", async () => {
      const raw = withConsumer("dev", "forwarder", {
        startingPosition: "AT_TIMESTAMP",
        startingPositionTimestamp: "2024-06-01T00:00:00Z",
        filterPatterns: ['{"data":{"type":["order"]}}', '{"data":{"priority":[{"numeric":[">",5]}]}}'],
      });
      const { resources } = await runStack(raw, { stack: "dev" });
      const inputs = named(resources, MAPPING, "consumer-forwarder-mapping").inputs;
      expect([inputs.startingPosition, inputs.startingPositionTimestamp, inputs.tumblingWindowInSeconds]).to.deep.equal([
        "AT_TIMESTAMP",
        "2024-06-01T00:00:00Z",
        undefined,
      ]);
      expect(inputs.filterCriteria).to.deep.equal({
        filters: [{ pattern: '{"data":{"type":["order"]}}' }, { pattern: '{"data":{"priority":[{"numeric":[">",5]}]}}' }],
      });
    });

    it("a consumer on an enhanced fan-out consumer reads through that consumer's ARN", async () => {
      const raw = withConsumer(
        "dev",
        "forwarder",
        { fanOutConsumer: "forwarder-efo" },
        {
          stream: { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers: ["forwarder-efo"] },
        },
      );
      const { resources } = await runStack(raw, { stack: "dev" });
      const consumer = named(resources, "aws:kinesis/streamConsumer:StreamConsumer", "stream-fan-out-forwarder-efo").inputs;
      expect(consumer).to.deep.equal({ name: "forwarder-efo", streamArn: STREAM_ARN("dev") });
      expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs.eventSourceArn).to.equal(
        `${STREAM_ARN("dev")}/consumer/forwarder-efo:1700000000`,
      );
    });
  });
});
