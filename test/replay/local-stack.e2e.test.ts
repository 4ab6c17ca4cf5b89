/**
 * replay and redrive against the local stack (`npm start` as a child process, kinesalite, the dev stack's
 * forwarder delivering to a downstream of this test's). The downstream is down while records arrive, so
 * each record fails maxRecordAttempts times and the runtime isolates it to the forwarder's on-failure queue
 * (or the mapping gives up on a range); once it is back, `redrive` recovers every record from the stream and
 * empties the queue.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { localSqsClient } from "../../local/emulators";
import type { LocalStatus } from "../../local/server";
import { main as redrive } from "../../cli/redrive";
import { main as replay } from "../../cli/replay";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "../local/support/local-stack-process";
import { runCli, readNdjson } from "./cli-harness";

/** A downstream HTTP endpoint that refuses (503) until `healthy`, and keeps what it accepted. */
class Downstream {
  healthy = false;
  readonly accepted: { n: number; sequenceNumber: string }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!this.healthy) {
        res.writeHead(503).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { sequenceNumber: string; data: { n: number } };
      this.accepted.push({ n: body.data.n, sequenceNumber: body.sequenceNumber });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("replay and redrive against the local stack (npm start)", function () {
  this.timeout(120_000);
  const downstream = new Downstream();
  let stack: LocalStackProcess;
  let status: LocalStatus;
  let dir: string;
  const from = new Date(Date.now() - 1000).toISOString();
  const COUNT = 12;

  before(async () => {
    const url = await downstream.start();
    stack = await startLocalStackProcess([], { env: { FORWARD_URL: url } });
    status = await stack.status();
    dir = mkdtempSync(path.join(tmpdir(), "replay-local-"));
  });

  after(async () => {
    if (stack) await stack.interrupt();
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-3000));
  });

  const endpoints = () => [
    "--kinesis-endpoint",
    status.kinesisEndpoint,
    "--sqs-endpoint",
    status.sqsEndpoint,
    "--lambda-endpoint",
    stack.url,
  ];

  it("redrive recovers every record the mapping or the runtime gave up on, and deletes the messages", async () => {
    const posted = await stack.postRecords(
      Array.from({ length: COUNT }, (_, n) => ({ data: { run: "redrive", n }, partitionKey: "order-1" })),
    );
    expect(posted.status).to.equal(200);
    const queue = status.queues.forwarder as string;
    // Each record fails maxRecordAttempts times and is isolated alone, or ends in a range the mapping gave up on.
    await eventually(
      "a pointer to every record in the on-failure queue",
      async () => {
        const dry = await runCli(redrive, ["--queue", queue, "--dry-run", ...endpoints()]);
        const records = (JSON.parse(dry.stdout.trim().split("\n").at(-1) as string) as { summary: { records: number } }).summary.records;
        return records >= COUNT ? records : undefined;
      },
      90_000,
    );
    expect(downstream.accepted).to.deep.equal([]);

    downstream.healthy = true;
    const run = await runCli(redrive, ["--queue", queue, "--to-function", "forwarder", ...endpoints()]);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const summary = (JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as { summary: Record<string, number> }).summary;
    expect(summary).to.include({ redriven: summary.messages, expired: 0, failed: 0, records: COUNT, deleted: summary.messages });
    expect(downstream.accepted.map((a) => a.n)).to.deep.equal([...Array(COUNT).keys()]);

    const sqs = localSqsClient(status.sqsEndpoint);
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    sqs.destroy();
    expect(attributes.Attributes).to.deep.equal({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("replays the stream into the forwarder through the Invoke endpoint (its idempotency store, memory by default, skips the delivered records and says so), and into a file", async () => {
    const before = downstream.accepted.length;
    const run = await runCli(replay, [
      "--stream",
      status.streamName,
      "--from",
      from,
      "--to-function",
      "forwarder",
      "--batch-size",
      "5",
      ...endpoints(),
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as Record<string, unknown>).to.include({
      delivered: 0,
      skipped: COUNT,
      failed: 0,
    });
    expect(run.stderr).to.contain("Run the same replay with --reprocess to run them again.");
    expect(downstream.accepted.slice(before)).to.deep.equal([]);
    const file = path.join(dir, "local.ndjson");
    const toFile = await runCli(replay, ["--stream", status.streamName, "--from", from, "--to-file", file, ...endpoints()]);
    expect(toFile.code, toFile.stderr).to.equal(0);
    expect(readNdjson(file).map((l) => (l.data as { n: number }).n)).to.deep.equal([...Array(COUNT).keys()]);
  });

  it("takes the local stack's URL as the one --endpoint: Kinesis and SQS are found through /_local/status", async () => {
    const replayed = await runCli(replay, ["--stream", status.streamName, "--from", from, "--dry-run", "--endpoint", stack.url]);
    expect(replayed.code, replayed.stderr).to.equal(0);
    expect(JSON.parse(replayed.stdout) as Record<string, unknown>).to.include({
      stream: status.streamName,
      wouldDeliver: COUNT,
      failed: 0,
    });
    const missing = await runCli(replay, ["--stream", "no-such-stream", "--from", from, "--dry-run", "--endpoint", stack.url]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include(`Stream "no-such-stream" was not found in region us-east-1 at ${status.kinesisEndpoint}.`);
    const listed = await runCli(redrive, ["--queue", status.queues.forwarder as string, "--dry-run", "--endpoint", stack.url]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(JSON.parse(listed.stdout.trim().split("\n").at(-1) as string)).to.deep.equal({
      summary: {
        messages: 0,
        redriven: 0,
        narrowed: 0,
        exported: 0,
        expired: 0,
        failed: 0,
        invalid: 0,
        dryRun: true,
        deleted: 0,
        records: 0,
        recordOutcomes: { delivered: 0, skipped: 0, isolated: 0, acknowledged: 0, failed: 0 },
        newMessages: 0,
      },
    });
  });
});
