/**
 * A poison record among good ones, then redrive and replay, on the local stack (`npm start` as a child process, the forwarder's dynamodb store on
 * dynalite, its on-failure queue on fauxqs): one request holds a record of key `kp` the downstream refuses
 * for good (HTTP 400), nine records of key `kq`, then two more of `kp`. Every other record is delivered once
 * and the queue holds one message pointing at the refused record alone (docs/poison-records.md);
 * `redrive --to-file` leaves the queue as it was; once the downstream takes the record, `redrive
 * --to-function` delivers it and empties the queue; a replay reports the records as skipped duplicates, and
 * `--reprocess` delivers them again.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, ReceiveMessageCommand, ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import { idempotencyTableName } from "../../config/names";
import { localDynamoDbClient } from "../../local/dynamodb";
import { localSqsClient } from "../../local/emulators";
import type { LocalStatus } from "../../local/server";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { main as redrive } from "../../cli/redrive";
import { main as replay } from "../../cli/replay";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "../local/support/local-stack-process";
import { runCli } from "../replay/cli-harness";

const RECORDS = [
  { data: { n: 0, refuse: true }, partitionKey: "kp" },
  ...Array.from({ length: 9 }, (_, i) => ({ data: { n: 1 + i }, partitionKey: "kq" })),
  { data: { n: 10 }, partitionKey: "kp" },
  { data: { n: 11 }, partitionKey: "kp" },
];
const COUNT = RECORDS.length;

/** A downstream that refuses (400) the record marked `refuse` while `refusing`, and counts what it accepted per record. */
class Downstream {
  refusing = true;
  readonly accepted = new Map<number, number>();
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { n, refuse } = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { n: number; refuse?: boolean } }).data;
      if (refuse && this.refusing) return void res.writeHead(400).end();
      this.accepted.set(n, (this.accepted.get(n) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  /** Accepted deliveries per record, 0..COUNT-1. */
  counts(): number[] {
    return Array.from({ length: COUNT }, (_, n) => this.accepted.get(n) ?? 0);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("a refused record parks alone on the local stack: every good record is delivered, redrive and replay say what they did", function () {
  this.timeout(120_000);
  const downstream = new Downstream();
  let stack: LocalStackProcess;
  let status: LocalStatus;
  let refusedSequence: string;
  let dir: string;
  const from = new Date(Date.now() - 1000).toISOString();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kinesis-ingest-poison-"));
    const url = await downstream.start();
    stack = await startLocalStackProcess(["--stack", "once", "--dir", "test/fixtures/idempotency"], { env: { FORWARD_URL: url } });
    status = await stack.status();
  });
  after(async () => {
    if (stack) await stack.stop();
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
  /** Every message of the forwarder's on-failure queue (received, then made visible again), parsed. */
  const queueRecords = async (): Promise<KinesisOnFailureRecord[]> => {
    const sqs = localSqsClient(status.sqsEndpoint);
    try {
      const queueUrl = status.queues.forwarder!;
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      for (const m of Messages)
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      expect(Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)).to.equal(
        Messages.length,
      );
      return Messages.map((m) => JSON.parse(m.Body!) as KinesisOnFailureRecord);
    } finally {
      sqs.destroy();
    }
  };
  const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;

  it("delivers every other record of the batch, of both keys, once; the queue holds one message pointing at the refused record alone", async () => {
    const posted = await stack.postRecords(RECORDS);
    expect(posted.status).to.equal(200);
    refusedSequence = posted.body.records[0]!.sequenceNumber!;
    await eventually(
      "every good record delivered",
      async () =>
        downstream
          .counts()
          .slice(1)
          .every((c) => c === 1)
          ? true
          : undefined,
      60_000,
    );
    const records = await eventually("the refused record's message", async () => {
      const r = await queueRecords();
      return r.length > 0 ? r : undefined;
    });
    expect(downstream.counts()).to.deep.equal([0, ...Array(COUNT - 1).fill(1)]);
    expect(records).to.have.length(1);
    expect(records[0]!.requestContext.condition).to.equal("RecordFailedPermanently");
    expect(records[0]!.KinesisBatchInfo).to.include({
      startSequenceNumber: refusedSequence,
      endSequenceNumber: refusedSequence,
      batchSize: 1,
    });
    expect(records[0]!.kinesisIngest).to.include({ partitionKey: "kp", subSequenceNumber: 0 });
  });

  it("redrive --to-file exports the record and leaves the queue as it was", async () => {
    const file = path.join(dir, "exported.ndjson");
    const run = await runCli(redrive, ["--queue", status.queues.forwarder!, "--to-file", file, ...endpoints()]);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { data: unknown; sequenceNumber: string });
    expect(lines.map((l) => [l.sequenceNumber, l.data])).to.deep.equal([[refusedSequence, { n: 0, refuse: true }]]);
    const records = await queueRecords();
    expect(records.map((r) => r.KinesisBatchInfo.startSequenceNumber)).to.deep.equal([refusedSequence]);
  });

  it("once the downstream takes the record, redrive --to-function delivers it and empties the queue", async () => {
    downstream.refusing = false;
    const run = await runCli(redrive, ["--queue", status.queues.forwarder!, "--to-function", "forwarder", ...endpoints()]);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    expect(summaryOf(run.stdout).summary).to.include({ messages: 1, deleted: 1, failed: 0 });
    expect(downstream.counts()).to.deep.equal(Array(COUNT).fill(1));
    expect(await queueRecords()).to.deep.equal([]);
  });

  it("a replay into the warm consumer reports every record as skipped; --reprocess delivers them again", async () => {
    const args = ["--stream", status.streamName, "--from", from, "--to-function", "forwarder", ...endpoints()];
    const run = await runCli(replay, args);
    expect(run.code, run.stderr).to.equal(0);
    expect(summaryOf(run.stdout)).to.include({ delivered: 0, skipped: COUNT, failed: 0 });
    expect(run.stderr).to.include("--reprocess");
    expect(downstream.counts()).to.deep.equal(Array(COUNT).fill(1));

    const again = await runCli(replay, [...args, "--reprocess"]);
    expect(again.code, again.stderr).to.equal(0);
    expect(summaryOf(again.stdout)).to.include({ delivered: COUNT, skipped: 0, failed: 0 });
    expect(downstream.counts()).to.deep.equal(Array(COUNT).fill(2));
  });

  it("keeps one item per record in the consumer's idempotency table on dynalite, expiring after retention + 1 h", async () => {
    const dynamodb = localDynamoDbClient(status.dynamodbEndpoint);
    try {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: idempotencyTableName("once", "forwarder") }));
      expect(Items).to.have.length(COUNT);
      const nowSeconds = Date.now() / 1000;
      for (const item of Items) {
        expect(item.id!.S).to.match(/^shardId-000000000000:\d+:0$/);
        expect(item.failedAttempts).to.equal(undefined);
        expect(Number(item.expiresAt!.N) - nowSeconds).to.be.within(25 * 3600 - 120, 25 * 3600 + 1);
      }
    } finally {
      dynamodb.destroy();
    }
  });
});
