/**
 * Every consumer setting changed alone, through `npm run synth -- --against` (synth/against.ts): what happens
 * to the resource the setting reaches (action, inputs) and the verdict (loses data, re-reads), and nothing else
 * losing data or re-reading (docs/day-2.md, README "Changing a stack").
 */
import { expect } from "chai";
import { BASE, summary, transition, verdictOf, withConsumer, type Raw } from "./transitions-support";

type Verdict = [action: string, inputs: readonly string[], dataLoss: boolean, rereads: boolean];

interface SettingChange {
  readonly setting: string;
  /** The consumer changed. @default "forwarder" */
  readonly consumer?: string;
  /** Its settings before, when not BASE's. */
  readonly from?: Raw;
  readonly to: Raw;
  /** The resource the change is about and the verdict on it. */
  readonly resource: string;
  readonly verdict: Verdict;
}

const MAPPING = "consumer-forwarder-mapping";
const FUNCTION = "consumer-forwarder-fn-function";
const WINDOWED = "./examples/order-totals/consumer.ts";
const update = (...inputs: string[]): Verdict => ["update", inputs, false, false];

/**
 * Every key of a consumer (config/consumer-validation.ts CONSUMER_KEYS), each changed alone; `fanOutConsumer`,
 * `replayFrom`, `fifo` and a table's keys have transitions.test.ts.
 */
const SETTINGS: readonly SettingChange[] = [
  { setting: "batchSize", to: { batchSize: 200 }, resource: MAPPING, verdict: update("batchSize") },
  { setting: "batchWindowSeconds", to: { batchWindowSeconds: 5 }, resource: MAPPING, verdict: update("maximumBatchingWindowInSeconds") },
  { setting: "parallelizationFactor", to: { parallelizationFactor: 2 }, resource: MAPPING, verdict: update("parallelizationFactor") },
  { setting: "bisectOnError", to: { bisectOnError: false }, resource: MAPPING, verdict: update("bisectBatchOnFunctionError") },
  { setting: "maxRecordAgeSeconds", to: { maxRecordAgeSeconds: 7200 }, resource: MAPPING, verdict: update("maximumRecordAgeInSeconds") },
  { setting: "maxRetryAttempts", to: { maxRetryAttempts: 5 }, resource: MAPPING, verdict: update("maximumRetryAttempts") },
  { setting: "enabled", to: { enabled: false }, resource: MAPPING, verdict: update("enabled") },
  {
    setting: "filterPatterns",
    to: { filterPatterns: ['{"data":{"kind":["order"]}}'] },
    resource: MAPPING,
    verdict: update("filterCriteria"),
  },
  {
    setting: "tumblingWindowSeconds",
    consumer: "totals",
    from: { handler: WINDOWED },
    to: { handler: WINDOWED, tumblingWindowSeconds: 60 },
    resource: "consumer-totals-mapping",
    verdict: update("tumblingWindowInSeconds"),
  },
  // The position belongs to the mapping: a new one starts over (LATEST skips what was not read yet).
  {
    setting: "startingPosition",
    to: { startingPosition: "LATEST" },
    resource: MAPPING,
    verdict: ["replace", ["startingPosition"], true, true],
  },
  {
    setting: "startingPositionTimestamp",
    from: { startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: "2026-03-01T00:00:00Z" },
    to: { startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: "2026-03-02T00:00:00Z" },
    resource: MAPPING,
    verdict: ["replace", ["startingPositionTimestamp"], false, true],
  },
  { setting: "reservedConcurrency", to: { reservedConcurrency: 5 }, resource: FUNCTION, verdict: update("reservedConcurrentExecutions") },
  { setting: "memoryMb", to: { memoryMb: 512 }, resource: FUNCTION, verdict: update("memorySize") },
  { setting: "timeoutSeconds", to: { timeoutSeconds: 60 }, resource: FUNCTION, verdict: update("timeout") },
  { setting: "requestTimeoutMs", to: { requestTimeoutMs: 3000 }, resource: FUNCTION, verdict: update("environment") },
  { setting: "targetUrl", to: { targetUrl: "https://other.example.com/in" }, resource: FUNCTION, verdict: update("environment") },
  { setting: "environment", to: { environment: { REGION_NAME: "west" } }, resource: FUNCTION, verdict: update("environment") },
  {
    setting: "permissions",
    to: { permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::reference-data/*"] }] },
    resource: "consumer-forwarder-fn-policy",
    verdict: update("policy"),
  },
  {
    setting: "tables",
    to: { tables: { totals: { partitionKey: "id" }, daily: { partitionKey: "day" } } },
    resource: "consumer-forwarder-daily-table",
    verdict: ["create", [], false, false],
  },
  {
    setting: "idempotency",
    to: { idempotency: "dynamodb" },
    resource: "consumer-forwarder-idempotency-table",
    verdict: ["create", [], false, false],
  },
  { setting: "poisonRecords", to: { poisonRecords: "block" }, resource: FUNCTION, verdict: update("environment") },
  { setting: "maxRecordAttempts", to: { maxRecordAttempts: 2 }, resource: FUNCTION, verdict: update("environment") },
  { setting: "delivery", to: { delivery: "batch" }, resource: FUNCTION, verdict: update("environment") },
  {
    setting: "maxBatchRecords, maxBatchBytes",
    from: { delivery: "batch" },
    to: { delivery: "batch", maxBatchRecords: 100, maxBatchBytes: 65536 },
    resource: FUNCTION,
    verdict: update("environment"),
  },
  { setting: "handler", to: { handler: WINDOWED, targetUrl: undefined }, resource: FUNCTION, verdict: update("code", "environment") },
  {
    setting: "compression",
    consumer: "archive",
    to: { compression: "none" },
    resource: "consumer-archive-fn-function",
    verdict: update("environment"),
  },
  {
    setting: "archivePrefix",
    consumer: "archive",
    to: { archivePrefix: "raw/" },
    resource: "kinesis-ingest-dev-archive-expiration",
    verdict: update("rules"),
  },
  {
    setting: "archiveRetentionDays",
    consumer: "archive",
    to: { archiveRetentionDays: 30 },
    resource: "kinesis-ingest-dev-archive-expiration",
    verdict: update("rules"),
  },
  // The stack's bucket is no longer needed: retained with its objects, not lost.
  {
    setting: "bucketName",
    consumer: "archive",
    to: { bucketName: "existing-archive" },
    resource: "kinesis-ingest-dev-archive-bucket",
    verdict: ["delete", [], false, false],
  },
  // The stack's queue is no longer needed: retained with its messages.
  {
    setting: "targetArn",
    consumer: "orders",
    to: { targetArn: "arn:aws:sqs:eu-west-1:123456789012:existing" },
    resource: "consumer-orders-target-queue",
    verdict: ["delete", [], false, false],
  },
  // The stack's bus is no longer needed; a bus holds no events, it routes them.
  {
    setting: "eventBus",
    consumer: "events",
    from: { handler: "eventbridge" },
    to: { handler: "eventbridge", eventBus: "default" },
    resource: "consumer-events-target-bus",
    verdict: ["delete", [], false, false],
  },
  {
    setting: "source, detailType",
    consumer: "events",
    from: { handler: "eventbridge" },
    to: { handler: "eventbridge", source: "shop.orders", detailType: "order" },
    resource: "consumer-events-fn-function",
    verdict: update("environment"),
  },
];

describe("synth --against: every consumer setting changed", function () {
  this.timeout(120_000);
  for (const s of SETTINGS) {
    it(`${s.setting}: ${s.verdict[0]} of ${s.resource}${s.verdict[2] ? ", loses data" : ""}${s.verdict[3] ? ", re-reads" : ""}`, async () => {
      const consumer = s.consumer ?? "forwarder";
      const before = s.from ? withConsumer(BASE, consumer, s.from) : BASE;
      const changes = await transition(before, withConsumer(before, consumer, s.to));
      expect(verdictOf(changes, s.resource)).to.deep.equal(s.verdict);
      const others = changes.filter((c) => c.name !== s.resource && (c.dataLoss || c.rereads));
      expect(summary(others), "no other change loses data or re-reads").to.deep.equal([]);
    });
  }
});
