/**
 * `replay --to-function` counts what the function says it did with each record, not what it was sent: skipped
 * duplicates are reported as such with the way to run them again, `--reprocess` runs them, a record retried
 * is counted by its final outcome, and a function that sends no report is counted as acknowledged. Against
 * kinesalite, with a consumer answering as the runtime does.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { main as replay } from "../../cli/replay";
import { runCli } from "./cli-harness";
import { fakeConsumer } from "./fake-consumer";
import { createStream, putKeyed, startTestFunctions, type TestFunctionServer, type WrittenRecord } from "./support";

describe("replay --to-function reports per record (kinesalite)", function () {
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  let functions: TestFunctionServer;
  let written: WrittenRecord[];
  let from: string;
  const consumer = fakeConsumer();
  const failedOnce = new Set<string>();
  /** Fails each record of key `b` the first time it sees it: the retry from it skips what came after. */
  const flaky = fakeConsumer((record) =>
    record.partitionKey === "b" && !failedOnce.has(record.sequenceNumber)
      ? (failedOnce.add(record.sequenceNumber), { kind: "fail", reason: "Error: 503" })
      : { kind: "deliver" },
  );

  before(async () => {
    kinesis = await startKinesalite();
    client = localKinesisClient(kinesis.endpoint);
    await createStream(client, "reported", 1);
    from = new Date(Date.now() - 1000).toISOString();
    written = await putKeyed(client, "reported", ["a", "b", "c"], 2);
    functions = await startTestFunctions((name, event) => {
      if (name === "consumer") return consumer.answer(event);
      if (name === "flaky") return flaky.answer(event);
      if (name === "plain") return { payload: { batchItemFailures: [] } };
      return undefined;
    });
  });

  after(async () => {
    client.destroy();
    await functions.stop();
    await kinesis.stop();
  });

  const run = (...more: string[]) =>
    runCli(replay, [
      "--stream",
      "reported",
      "--from",
      from,
      "--endpoint",
      kinesis.endpoint,
      "--lambda-endpoint",
      functions.endpoint,
      ...more,
    ]);
  const output = (stdout: string) => {
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { records: lines.slice(0, -1).map((line) => line.record as Record<string, unknown>), summary: lines.at(-1)! };
  };

  it("counts records the function skipped as duplicates, says how to run them again, and --reprocess runs them", async () => {
    const first = await run("--to-function", "consumer");
    expect(first.code, first.stderr).to.equal(0);
    expect(output(first.stdout).summary).to.include({ delivered: 6, skipped: 0, failed: 0, acknowledged: 0 });

    const again = await run("--to-function", "consumer", "--batch-size", "4");
    expect(again.code, again.stderr).to.equal(0);
    const { records, summary } = output(again.stdout);
    expect(summary).to.include({ delivered: 0, skipped: 6, isolated: 0, failed: 0, read: 6 });
    expect(records.map((r) => [r.sequenceNumber, r.outcome])).to.deep.equal(written.map((w) => [w.sequenceNumber, "skipped"]));
    expect(records[0]).to.deep.equal({
      shardId: written[0]!.shardId,
      sequenceNumber: written[0]!.sequenceNumber,
      subSequenceNumber: 0,
      partitionKey: "a",
      outcome: "skipped",
    });
    expect(again.stderr).to.equal(
      "kinesis-ingest replay: 6 records were skipped as duplicates: consumer had completed them before (its idempotency store). " +
        "Run the same replay with --reprocess to run them again.\n",
    );
    expect(consumer.deliveries).to.have.length(6);

    const reprocessed = await run("--to-function", "consumer", "--reprocess");
    expect(reprocessed.code, reprocessed.stderr).to.equal(0);
    expect(output(reprocessed.stdout).summary).to.include({ delivered: 6, skipped: 0 });
    expect(consumer.controls.at(-1)).to.deep.equal({ report: true, reprocess: true });
    expect(consumer.deliveries).to.have.length(12);
  });

  it("counts a retried record by its final outcome: records delivered before the retry are not skipped duplicates", async () => {
    const result = await run("--to-function", "flaky");
    expect(result.code, result.stderr).to.equal(0);
    // a0 b0 c0 a1 b1 c1: b0 fails; the retry from it fails b1 (c0, a1 skipped, delivered by the first call); then b1 alone.
    const { records, summary } = output(result.stdout);
    expect(records).to.deep.equal([]);
    expect(summary).to.include({ delivered: 6, skipped: 0, failed: 0 });
    expect(flaky.deliveries.map((d) => `${d.partitionKey}${d.data.n}`)).to.deep.equal(["a0", "c0", "a1", "c1", "b0", "b1"]);
  });

  it("counts the records of a function that sends no report as acknowledged, not delivered, and says so", async () => {
    const result = await run("--to-function", "plain");
    expect(result.code, result.stderr).to.equal(0);
    expect(output(result.stdout).summary).to.include({ delivered: 0, acknowledged: 6, failed: 0 });
    expect(result.stderr).to.contain(
      "6 records were acknowledged without a per-record report (plain is not built on the consumer runtime)",
    );
  });

  it("refuses --reprocess with a target other than a function", async () => {
    const result = await run("--to-file", "/dev/null", "--reprocess");
    expect(result.code).to.equal(64);
    expect(result.stderr.split("\n")[0]).to.equal(
      "kinesis-ingest replay: --reprocess applies only with --to-function: it asks the consumer to run records it already completed; a stream or a file takes every record anyway.",
    );
  });
});
