/** `kinesis-ingest replay` against kinesalite: targets, filters, bounds, dry run, errors. */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { main as replay } from "../../cli/replay";
import { runCli, readNdjson } from "./cli-harness";
import { createStream, perKeySequences, putKeyed, startTestFunctions, type TestFunctionServer, type WrittenRecord } from "./support";
import type { KinesisStreamEvent } from "aws-lambda";
import type { KinesisClient } from "@aws-sdk/client-kinesis";

describe("kinesis-ingest replay (kinesalite)", function () {
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  let functions: TestFunctionServer;
  let dir: string;
  let written: WrittenRecord[];
  let beforeWrites: string;
  const keys = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
  /** Per function name: how to answer. `flaky` fails a record once; `broken` always reports the 3rd record. */
  const failedOnce = new Set<string>();
  const flakyReports = new Map<KinesisStreamEvent, string[]>();

  before(async () => {
    kinesis = await startKinesalite();
    client = localKinesisClient(kinesis.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "replay-test-"));
    await createStream(client, "orders", 3);
    beforeWrites = new Date(Date.now() - 1000).toISOString();
    written = await putKeyed(client, "orders", keys, 40, 0, (key, n) => ({
      region: n % 2 === 0 ? "eu" : "us",
      nested: { tier: key === "bravo" ? 1 : 2 },
    }));
    functions = await startTestFunctions((name, event) => {
      if (name === "ok") return { payload: null };
      if (name === "flaky") {
        // Fails records n=5 and n=20 of every key the first time it sees them, reported highest first.
        const victims = event.Records.filter((r) => {
          const { n } = JSON.parse(Buffer.from(r.kinesis.data, "base64").toString()) as { n: number };
          return (n === 5 || n === 20) && !failedOnce.has(r.kinesis.sequenceNumber);
        }).map((r) => r.kinesis.sequenceNumber);
        victims.forEach((seq) => failedOnce.add(seq));
        flakyReports.set(event, [...victims]);
        return { payload: { batchItemFailures: victims.reverse().map((seq) => ({ itemIdentifier: seq })) } };
      }
      if (name === "broken")
        return {
          payload: {
            batchItemFailures: [{ itemIdentifier: event.Records[Math.min(2, event.Records.length - 1)]!.kinesis.sequenceNumber }],
          },
        };
      if (name === "crashing") return { functionError: "Unhandled" };
      return undefined;
    });
  });

  after(async () => {
    client.destroy();
    await functions.stop();
    await kinesis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = () => [
    "--stream",
    "orders",
    "--from",
    beforeWrites,
    "--endpoint",
    kinesis.endpoint,
    "--lambda-endpoint",
    functions.endpoint,
  ];

  it("writes every record once to --to-file, in order per key, with the documented line shape", async () => {
    const file = path.join(dir, "all.ndjson");
    const run = await runCli(replay, [...base(), "--to-file", file]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    const lines = readNdjson(file);
    expect(lines).to.have.length(written.length);
    for (const [key, ns] of perKeySequences(lines)) expect(ns, key).to.deep.equal([...Array(40).keys()]);
    const first = written[0]!;
    const line = lines.find((l) => l.sequenceNumber === first.sequenceNumber) as Record<string, unknown>;
    expect(Object.keys(line)).to.deep.equal(["data", "partitionKey", "sequenceNumber", "shardId", "approximateArrivalTimestamp"]);
    expect(line.data).to.deep.equal({ key: first.key, n: 0, region: "eu", nested: { tier: first.key === "bravo" ? 1 : 2 } });
    expect(line.partitionKey).to.equal(first.key);
    expect(line.shardId).to.equal(first.shardId);
    expect(new Date(line.approximateArrivalTimestamp as string).toISOString()).to.equal(line.approximateArrivalTimestamp);
    const summary = JSON.parse(run.stdout) as { delivered: number; read: number; failed: number };
    expect([summary.delivered, summary.read, summary.failed]).to.deep.equal([written.length, written.length, 0]);
  });

  it("filters by --partition-key (any of) and --where on a JSON field path (all of)", async () => {
    const file = path.join(dir, "filtered.ndjson");
    const run = await runCli(replay, [
      ...base(),
      "--to-file",
      file,
      "--partition-key",
      "bravo",
      "--partition-key",
      "echo",
      "--where",
      "region=eu",
    ]);
    expect(run.code).to.equal(0);
    const lines = readNdjson(file);
    expect(lines.map((l) => l.partitionKey).sort()).to.deep.equal([...Array(20).fill("bravo"), ...Array(20).fill("echo")]);
    for (const [i, l] of lines.entries()) expect((l.data as { region: string }).region, `line ${i}`).to.equal("eu");
    const nested = await runCli(replay, [...base(), "--dry-run", "--where", "nested.tier=1"]);
    expect(JSON.parse(nested.stdout).wouldDeliver).to.equal(40);
  });

  it("counts without delivering in --dry-run", async () => {
    const run = await runCli(replay, [...base(), "--dry-run"]);
    expect(run.code).to.equal(0);
    const summary = JSON.parse(run.stdout) as { dryRun: boolean; wouldDeliver: number };
    expect([summary.dryRun, summary.wouldDeliver]).to.deep.equal([true, written.length]);
  });

  it("stops at --to: records that arrived later are not replayed", async () => {
    await createStream(client, "bounded", 1);
    const early = await putKeyed(client, "bounded", ["k"], 5);
    await new Promise((r) => setTimeout(r, 30));
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 30));
    await putKeyed(client, "bounded", ["k"], 5, 5);
    const file = path.join(dir, "bounded.ndjson");
    const run = await runCli(replay, [
      "--stream",
      "bounded",
      "--from",
      beforeWrites,
      "--to",
      cut,
      "--to-file",
      file,
      "--endpoint",
      kinesis.endpoint,
    ]);
    expect(run.code).to.equal(0);
    expect(readNdjson(file).map((l) => l.sequenceNumber)).to.deep.equal(early.map((w) => w.sequenceNumber));
  });

  it("invokes --to-function with Lambda-shaped events in batches and retries from the lowest failed record", async () => {
    const run = await runCli(replay, [...base(), "--to-function", "flaky", "--batch-size", "25"]);
    // The function answers without a per-record report: what it took is counted as acknowledged, and said so.
    expect(run.stderr).to.match(/^kinesis-ingest replay: 240 records were acknowledged without a per-record report \(flaky is not built/);
    expect(JSON.parse(run.stdout)).to.include({ delivered: 0, acknowledged: 240, failed: 0 });
    expect(run.code, run.stdout).to.equal(0);
    const events = functions.invocations.get("flaky") as KinesisStreamEvent[];
    for (const [i, e] of events.entries()) expect(e.Records.length, `invocation ${i}`).to.be.at.most(25);
    expect([...flakyReports.values()].filter((r) => r.length > 1)).to.have.length.above(2);
    // Per shard: each invocation is accepted up to its lowest reported record, and the retry starts exactly there.
    const accepted: string[] = [];
    const shardOf = (event: KinesisStreamEvent) => event.Records[0]!.eventID.split(":")[0];
    for (const shardId of new Set(events.map(shardOf))) {
      const own = events.filter((event) => shardOf(event) === shardId);
      own.forEach((event, i) => {
        const seqs = event.Records.map((r) => r.kinesis.sequenceNumber);
        const cut = Math.min(...(flakyReports.get(event) ?? []).map((seq) => seqs.indexOf(seq)), seqs.length);
        accepted.push(...seqs.slice(0, cut));
        if (cut < seqs.length) expect(own[i + 1]!.Records.map((r) => r.kinesis.sequenceNumber)).to.deep.equal(seqs.slice(cut));
      });
    }
    expect(accepted.sort()).to.deep.equal(written.map((w) => w.sequenceNumber).sort());
    const sample = events[0]!.Records[0]!;
    expect(Object.keys(sample)).to.deep.equal([
      "kinesis",
      "eventSource",
      "eventVersion",
      "eventID",
      "eventName",
      "invokeIdentityArn",
      "awsRegion",
      "eventSourceARN",
    ]);
    expect(sample.eventID).to.equal(
      `${sample.kinesis.sequenceNumber && written.find((w) => w.sequenceNumber === sample.kinesis.sequenceNumber)?.shardId}:${sample.kinesis.sequenceNumber}`,
    );
    expect([sample.eventSource, sample.eventName, sample.kinesis.kinesisSchemaVersion, sample.awsRegion]).to.deep.equal([
      "aws:kinesis",
      "aws:kinesis:record",
      "1.0",
      "us-east-1",
    ]);
    expect(sample.eventSourceARN).to.match(/^arn:aws:kinesis:us-east-1:\d{12}:stream\/orders$/);
    expect(JSON.parse(Buffer.from(sample.kinesis.data, "base64").toString())).to.have.property("key", sample.kinesis.partitionKey);
  });

  it("reports what a function still rejects after --max-retries, and exits 3", async () => {
    const run = await runCli(replay, [
      ...base(),
      "--to-function",
      "broken",
      "--partition-key",
      "alpha",
      "--batch-size",
      "10",
      "--max-retries",
      "2",
    ]);
    expect(run.code).to.equal(3);
    const lines = run.stdout.trim().split("\n");
    const summary = JSON.parse(lines.at(-1)!) as { failures: { count: number; reason: string }[]; failed: number; acknowledged: number };
    // 40 alpha records in batches of 10: each batch takes its first 2, then retries 8, 6, … (2 per retry), 4 left.
    expect(summary.failures.map((f) => f.count)).to.deep.equal([4, 4, 4, 4]);
    expect([summary.acknowledged, summary.failed]).to.deep.equal([24, 16]);
    // One line per record still failing, before the summary.
    expect(lines.slice(0, -1).map((line) => (JSON.parse(line) as { record: { outcome: string } }).record.outcome)).to.deep.equal(
      Array(16).fill("failed"),
    );
    expect(summary.failures[0]!.reason).to.match(/^batchItemFailures from \d+ \(after 3 invocations\)$/);
  });

  it("re-invokes a crashing function a bounded number of times", async () => {
    const run = await runCli(replay, [
      ...base(),
      "--to-function",
      "crashing",
      "--partition-key",
      "alpha",
      "--batch-size",
      "40",
      "--max-retries",
      "1",
    ]);
    expect(run.code).to.equal(3);
    expect(functions.invocations.get("crashing")).to.have.length(2);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!).failures[0]).to.include({ count: 40 });
  });

  it("names a missing stream and a missing function clearly", async () => {
    const missing = await runCli(replay, ["--stream", "nope", "--from", beforeWrites, "--dry-run", "--endpoint", kinesis.endpoint]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal(
      `kinesis-ingest replay: Stream "nope" was not found in region us-east-1 at ${kinesis.endpoint}. Check --stream, --region and --endpoint.\n`,
    );
    const noFunction = await runCli(replay, [...base(), "--to-function", "ghost", "--lambda-endpoint", functions.endpoint]);
    expect(noFunction.code).to.equal(1);
    expect(noFunction.stderr).to.contain("Function not found: ghost");
  });

  it("refuses --to-stream of the source stream unless --allow-same-stream, and copies into another stream", async () => {
    const same = await runCli(replay, [...base(), "--to-stream", "orders"]);
    expect(same.code).to.equal(64);
    expect(same.stderr).to.contain('--to-stream "orders" is the source stream');
    await createStream(client, "orders-copy", 2);
    const copy = await runCli(replay, [...base(), "--to-stream", "orders-copy", "--partition-key", "delta"]);
    expect(copy.code).to.equal(0);
    const file = path.join(dir, "copy.ndjson");
    await runCli(replay, ["--stream", "orders-copy", "--from", beforeWrites, "--to-file", file, "--endpoint", kinesis.endpoint]);
    expect(readNdjson(file).map((l) => (l.data as { n: number }).n)).to.deep.equal([...Array(40).keys()]);
  });

  it("rejects bad usage with exit code 64", async () => {
    const cases: [string[], string][] = [
      [["--stream", "orders", "--dry-run"], "Give exactly one of --from ISO-TIME or --from-sequence SHARD:SEQ."],
      [
        ["--stream", "orders", "--from", "yesterday", "--dry-run"],
        '--from must be an ISO 8601 time such as 2024-05-01T12:00:00Z, got "yesterday".',
      ],
      [
        ["--stream", "orders", "--from", beforeWrites],
        "Give a target (--to-function NAME, --to-stream NAME or --to-file PATH) or --dry-run.",
      ],
      [
        ["--stream", "orders", "--from", beforeWrites, "--dry-run", "--where", "region"],
        '--where must look like field.path=value, got "region".',
      ],
      [
        ["--stream", "orders", "--from", beforeWrites, "--dry-run", "--batch-size", "0"],
        '--batch-size must be a positive integer, got "0".',
      ],
      [
        ["--stream", "orders", "--from", "2024-05-02T00:00:00Z", "--to", "2024-05-01T00:00:00Z", "--dry-run"],
        "--from 2024-05-02T00:00:00.000Z is after the replay's end 2024-05-01T00:00:00.000Z (--to, or now).",
      ],
    ];
    for (const [argv, message] of cases) {
      const run = await runCli(replay, [...argv, "--endpoint", kinesis.endpoint]);
      expect(run.code, message).to.equal(64);
      expect(run.stderr.split("\n")[0]).to.equal(`kinesis-ingest replay: ${message}`);
    }
  });
});
