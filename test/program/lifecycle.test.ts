/**
 * What a delete or a replacement of each resource does (docs/day-2.md#lifecycle-options): data-bearing
 * resources are retained, and protected on `prod` (`lifecycle.protect`); resources with a fixed physical name
 * and no data are replaced delete-first; every other resource has no lifecycle option, as before. The options
 * are recorded by the harness's stack transformation (mocks see no resource options).
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { runCommittedStack, runProgram, type RecordedResource } from "./harness";

const RETAINED = { protect: false, retainOnDelete: true, deleteBeforeReplace: false };
const PROTECTED = { ...RETAINED, protect: true };
const DELETE_FIRST = { protect: false, retainOnDelete: false, deleteBeforeReplace: true };

/** Every resource with a lifecycle option set, `<type> <name>` → its options; every other resource has none. */
function withOptions(resources: readonly RecordedResource[]): Record<string, object> {
  return Object.fromEntries(
    resources
      .filter((r) => Object.values(r.options).some(Boolean))
      .map((r) => [`${r.type.split(":").pop()} ${r.name}`, r.options] as const),
  );
}

/** The archive bucket's own settings: retained with it (kept private and expiring), never protected. */
const bucketSettings = (stack: string) =>
  Object.fromEntries(
    [
      "BucketServerSideEncryptionConfiguration encryption",
      "BucketPublicAccessBlock public-access",
      "BucketOwnershipControls ownership",
      "BucketPolicy tls-only",
      "BucketLifecycleConfiguration expiration",
    ].map((setting) => [setting.replace(" ", ` kinesis-ingest-${stack}-archive-`), RETAINED]),
  );

/** The log groups, mappings and on-failure queues of the committed stacks' consumers. */
function consumerOptions(consumers: readonly string[], queue: object): Record<string, object> {
  return Object.fromEntries(
    consumers.flatMap((c) => [
      [`Queue consumer-${c}-dlq`, queue],
      [`LogGroup consumer-${c}-fn-logs`, DELETE_FIRST],
      [`EventSourceMapping consumer-${c}-mapping`, DELETE_FIRST],
    ]),
  );
}

const FRONT_LOG_GROUPS = {
  "LogGroup api-ingest-logs": DELETE_FIRST,
  "LogGroup api-authorizer-logs": DELETE_FIRST,
  "LogGroup api-access-logs": DELETE_FIRST,
};

describe("program: lifecycle options of the committed stacks", () => {
  it("dev: the stream, the on-failure queues and the archive bucket are retained, not protected; mappings and log groups are replaced delete-first", async () => {
    const { resources } = await runCommittedStack("dev");
    expect(withOptions(resources)).to.deep.equal({
      "Stream stream-stream": RETAINED,
      ...FRONT_LOG_GROUPS,
      "Bucket kinesis-ingest-dev-archive-bucket": RETAINED,
      ...bucketSettings("dev"),
      ...consumerOptions(["forwarder", "s3-archive"], RETAINED),
    });
  });

  it("prod: the same, and every data-bearing resource protected (a delete or a replacement fails); the alarm topic replaced delete-first", async () => {
    const { resources } = await runCommittedStack("prod");
    expect(withOptions(resources)).to.deep.equal({
      "Topic alarms-topic": DELETE_FIRST,
      "Stream stream-stream": PROTECTED,
      ...FRONT_LOG_GROUPS,
      "Bucket kinesis-ingest-prod-archive-bucket": PROTECTED,
      ...bucketSettings("prod"),
      ...consumerOptions(["forwarder", "archiver", "s3-archive"], PROTECTED),
      "Table consumer-s3-archive-idempotency-table": PROTECTED,
    });
  });
});

describe("program: lifecycle.protect", () => {
  // Retained, except the bucket's settings (`aws:s3/bucketPolicy:...` and the like).
  const dataBearing = (resources: readonly RecordedResource[]) =>
    resources.filter((r) => r.options.retainOnDelete && !/^aws:s3\/bucket[A-Z]/.test(r.type));

  it("true protects dev's data-bearing resources", async () => {
    const resources = await runProgram({ ...readStackFile("dev"), lifecycle: { protect: true } }, { stack: "dev" });
    expect(dataBearing(resources).map((r) => [r.name, r.options.protect])).to.deep.equal([
      ["stream-stream", true],
      ["kinesis-ingest-dev-archive-bucket", true],
      ["consumer-forwarder-dlq", true],
      ["consumer-s3-archive-dlq", true],
    ]);
  });

  it("false leaves prod's retained but unprotected (the first step of a change that deletes or replaces one)", async () => {
    const resources = await runProgram({ ...readStackFile("prod"), lifecycle: { protect: false } }, { stack: "prod" });
    const data = dataBearing(resources);
    expect(data).to.have.length(6);
    expect(data.map((r) => r.options)).to.deep.equal(data.map(() => RETAINED));
  });
});

describe("program: lifecycle options of every kind of resource the stack file can add", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await runProgram(
      {
        stream: { fanOutConsumers: ["forwarder-efo"] },
        observability: { alarmEmail: "ops@example.com" },
        lifecycle: { protect: true },
        consumers: {
          forwarder: {
            handler: "forwarder",
            targetUrl: "https://example.com/events",
            idempotency: "dynamodb",
            tables: { totals: { partitionKey: "id", sortKey: "day" } },
            fanOutConsumer: "forwarder-efo",
            replayFrom: "2026-03-01T06:00:00Z",
          },
          orders: { handler: "sqs", fifo: true },
          audit: { handler: "sns" },
          events: { handler: "eventbridge" },
        },
      },
      { stack: "dev", now: () => Date.parse("2026-03-01T12:00:00Z") },
    );
  });

  it("tables, fan-out queues and topics are data: retained and protected; the event bus and both mappings are replaced delete-first", () => {
    const options = withOptions(resources);
    expect(
      Object.fromEntries(
        [
          "Table consumer-forwarder-totals-table",
          "Table consumer-forwarder-idempotency-table",
          "Queue consumer-orders-target-queue",
          "Topic consumer-audit-target-topic",
          "EventBus consumer-events-target-bus",
          "EventSourceMapping consumer-forwarder-mapping",
          "EventSourceMapping consumer-forwarder-replay-mapping",
        ].map((key) => [key, options[key]]),
      ),
    ).to.deep.equal({
      "Table consumer-forwarder-totals-table": PROTECTED,
      "Table consumer-forwarder-idempotency-table": PROTECTED,
      "Queue consumer-orders-target-queue": PROTECTED,
      "Topic consumer-audit-target-topic": PROTECTED,
      "EventBus consumer-events-target-bus": DELETE_FIRST,
      "EventSourceMapping consumer-forwarder-mapping": DELETE_FIRST,
      "EventSourceMapping consumer-forwarder-replay-mapping": DELETE_FIRST,
    });
  });

  it("no resource is both retained and replaced delete-first (its replacement would collide with what was retained)", () => {
    expect(resources.filter((r) => r.options.retainOnDelete && r.options.deleteBeforeReplace).map((r) => r.name)).to.deep.equal([]);
  });

  it("functions, roles, secrets, alarms, the fan-out consumers and the replay alias keep no lifecycle option", () => {
    const kinds = [
      "function:Function",
      "role:Role",
      "secret:Secret",
      "metricAlarm:MetricAlarm",
      "streamConsumer:StreamConsumer",
      "alias:Alias",
    ];
    const others = resources.filter((r) => kinds.some((kind) => r.type.endsWith(`/${kind}`)));
    expect(others.length).to.be.greaterThan(10);
    expect(others.filter((r) => Object.values(r.options).some(Boolean)).map((r) => r.name)).to.deep.equal([]);
  });
});
