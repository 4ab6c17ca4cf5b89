/**
 * The plan of `observability.contributorInsights` under mocks (components/contributor-insights.ts): the ingest
 * function's `LOG_PARTITION_KEYS`, a rule per ranking over the right log groups with the rule syntax's fields,
 * the consumer rules only with consumers, a dashboard widget per rule; and nothing of it by default. The
 * consumer rules' filters are checked against the lines the consumer runtime writes.
 */
import { expect } from "chai";
import { CONSUMER_FAILURE_MESSAGE, CONSUMER_SUMMARY_MESSAGE } from "../../components/contributor-insights";
import { writeBatchSummary, writeRecordFailure, type TelemetrySink } from "../../handlers/lib/consumer/telemetry";
import { createLogger } from "../../handlers/lib/log";
import { named, ofType, runStack } from "./harness";

const RULE = "aws:cloudwatch/contributorInsightRule:ContributorInsightRule";
const INGEST_GROUP = "/aws/lambda/kinesis-ingest-dev-ingest";
const CONSUMER = { handler: "forwarder", targetUrl: "https://example.com/hook" };
const ON = { api: { auth: "none" }, observability: { contributorInsights: true } };

const environmentOf = (resources: Awaited<ReturnType<typeof runStack>>["resources"]) =>
  (named(resources, "aws:lambda/function:Function", "api-ingest-function").inputs.environment as { variables: Record<string, string> })
    .variables;

describe("contributor insights plan", () => {
  it("is off by default: no rule, and the ingest function writes no per-key line", async () => {
    const { resources } = await runStack({ api: { auth: "none" }, consumers: { c: CONSUMER } });
    expect(ofType(resources, RULE)).to.deep.equal([]);
    expect(environmentOf(resources)).to.not.have.property("LOG_PARTITION_KEYS");
  });

  it("ranks partition keys and callers over the ingest function's log group, and shards and failing keys over the consumers'", async () => {
    const { resources } = await runStack({ ...ON, consumers: { c: CONSUMER, d: CONSUMER } });
    expect(environmentOf(resources)).to.include({ LOG_PARTITION_KEYS: "true" });
    const rules = ofType(resources, RULE).map((r) => ({
      name: r.inputs.ruleName,
      state: r.inputs.ruleState,
      definition: JSON.parse(r.inputs.ruleDefinition as string) as Record<string, unknown>,
    }));
    expect(rules.map((r) => r.name)).to.deep.equal([
      "kinesis-ingest-dev-partition-keys-by-records",
      "kinesis-ingest-dev-partition-keys-by-bytes",
      "kinesis-ingest-dev-callers-by-records",
      "kinesis-ingest-dev-consumer-shards-by-records",
      "kinesis-ingest-dev-consumer-failing-partition-keys",
    ]);
    expect(rules.every((r) => r.state === "ENABLED")).to.equal(true);
    expect(rules[1]!.definition).to.deep.equal({
      Schema: { Name: "CloudWatchLogRule", Version: 1 },
      LogGroupNames: [INGEST_GROUP],
      LogFormat: "JSON",
      Contribution: { Keys: ["$.partitionKey"], ValueOf: "$.bytes", Filters: [{ Match: "$.message", In: ["partition key records"] }] },
      AggregateOn: "Sum",
    });
    expect(rules[2]!.definition.Contribution).to.deep.include({ Keys: ["$.caller"], ValueOf: "$.records" });
    expect(rules[4]!.definition).to.deep.include({
      LogGroupNames: ["/aws/lambda/kinesis-ingest-dev-c", "/aws/lambda/kinesis-ingest-dev-d"],
      AggregateOn: "Count",
    });
    expect(rules[4]!.definition.Contribution).to.not.have.property("ValueOf");
  });

  it("has no consumer rule without consumers, and a dashboard widget per rule", async () => {
    const { resources } = await runStack(ON);
    expect(ofType(resources, RULE)).to.have.length(3);
    const body = JSON.parse(
      named(resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard").inputs.dashboardBody as string,
    ) as {
      widgets: Array<{ properties: { insightRule?: { ruleName: string; maxContributorCount: number } } }>;
    };
    const insight = body.widgets.flatMap((w) => (w.properties.insightRule ? [w.properties.insightRule] : []));
    expect(insight.map((r) => r.ruleName)).to.deep.equal(ofType(resources, RULE).map((r) => r.inputs.ruleName));
    expect(insight.every((r) => r.maxContributorCount === 10)).to.equal(true);
  });

  it("replaces a rule whose definition changes, delete-first: the provider's update is a no-op", async () => {
    const options: Array<{ replaceOnChanges?: string[]; deleteBeforeReplace?: boolean }> = [];
    await runStack(ON, { onResource: (args) => void (args.type === RULE && options.push(args.opts)) });
    expect(options).to.have.length(3);
    for (const o of options) expect(o).to.deep.include({ replaceOnChanges: ["ruleDefinition", "ruleState"], deleteBeforeReplace: true });
  });

  it("filters on the messages the consumer runtime writes, whose fields the rules key on", () => {
    const lines: Array<Record<string, unknown>> = [];
    const writeLine = (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>);
    const sink: TelemetrySink = {
      serviceName: "fn",
      namespace: "ns",
      writeLine,
      now: () => 0,
      logger: createLogger({ service: "fn", write: writeLine }),
    };
    writeBatchSummary(sink, {
      shardId: "shardId-000000000001",
      awsRequestId: "r",
      kinesisRecords: 2,
      aggregatedRecords: 0,
      records: 2,
      failed: 1,
      isolated: 0,
      deferred: 0,
      skipped: 0,
      skippedDuplicates: 0,
      firstFailedSequenceNumber: "1",
      maxRecordAgeMs: 5,
      durationMs: 1,
    });
    const record = {
      data: Buffer.from("x"),
      partitionKey: "hot",
      explicitHashKey: undefined,
      sequenceNumber: "1",
      subSequenceNumber: 0,
      aggregated: false,
      shardId: "shardId-000000000001",
    };
    writeRecordFailure(sink, record as Parameters<typeof writeRecordFailure>[1], new Error("boom"), "r");
    expect(lines[0]).to.include({ message: CONSUMER_SUMMARY_MESSAGE, service: "fn", shardId: "shardId-000000000001", Records: 2 });
    expect(lines[1]).to.include({ message: CONSUMER_FAILURE_MESSAGE, service: "fn", partitionKey: "hot" });
  });
});
