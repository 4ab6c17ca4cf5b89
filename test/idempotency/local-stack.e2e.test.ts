/**
 * The dynamodb idempotency store on the local stack (`npm start` as a child process, its table on dynalite):
 * a poison record sends its batch's tail to the on-failure queue although records of other keys in it were
 * already delivered; `redrive` then delivers the poison record alone, and a `replay --to-function` of the
 * whole delivered range delivers nothing again: every record reaches the downstream exactly once.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { idempotencyTableName } from "../../config/names";
import { localDynamoDbClient } from "../../local/dynamodb";
import type { LocalStatus } from "../../local/server";
import { main as redrive } from "../../cli/redrive";
import { main as replay } from "../../cli/replay";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "../local/support/local-stack-process";
import { runCli } from "../replay/cli-harness";

const COUNT = 10;
const POISON = 5;

/** A downstream that refuses (400) record POISON while `refusePoison`, and counts what it accepted per record. */
class Downstream {
  refusePoison = true;
  readonly accepted = new Map<number, number>();
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { n: number } }).data.n;
      if (n === POISON && this.refusePoison) return void res.writeHead(400).end();
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

describe("idempotency dynamodb on the local stack: redrive and replay of delivered ranges deliver 0 duplicates", function () {
  this.timeout(120_000);
  const downstream = new Downstream();
  let stack: LocalStackProcess;
  let status: LocalStatus;
  const from = new Date(Date.now() - 1000).toISOString();

  before(async () => {
    const url = await downstream.start();
    stack = await startLocalStackProcess(["--stack", "once", "--dir", "test/fixtures/idempotency"], { env: { FORWARD_URL: url } });
    status = await stack.status();
  });
  after(async () => {
    if (stack) await stack.stop();
    await downstream.stop();
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

  it("delivers every record but the poison, whose batch goes to the on-failure queue", async () => {
    const posted = await stack.postRecords(Array.from({ length: COUNT }, (_, n) => ({ data: { n }, partitionKey: `key-${n}` })));
    expect(posted.status).to.equal(200);
    await eventually(
      "the poison's batch in the on-failure queue",
      async () => {
        const s = await stack.status();
        return (s.consumers.forwarder?.dlqRecords ?? 0) >= 1 ? s : undefined;
      },
      60_000,
    );
    expect(downstream.counts()).to.deep.equal([1, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it("redrive delivers the poison record once the downstream takes it, and none of the delivered records of its range again", async () => {
    downstream.refusePoison = false;
    const run = await runCli(redrive, ["--queue", status.queues.forwarder!, "--to-function", "forwarder", ...endpoints()]);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const summary = (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { summary: Record<string, number> }).summary;
    expect(summary).to.include({ failed: 0, deleted: summary.messages });
    expect(summary.records).to.be.greaterThan(1); // the range held delivered records besides the poison
    expect(downstream.counts()).to.deep.equal(Array(COUNT).fill(1));
  });

  it("a replay of the whole delivered range into the function delivers nothing again", async () => {
    const run = await runCli(replay, ["--stream", status.streamName, "--from", from, "--to-function", "forwarder", ...endpoints()]);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>).to.include({
      delivered: 0,
      skipped: COUNT,
      failed: 0,
    });
    expect(downstream.counts()).to.deep.equal(Array(COUNT).fill(1));
  });

  it("keeps one item per record in the consumer's idempotency table on dynalite, expiring after retention + 1 h", async () => {
    const dynamodb = localDynamoDbClient(status.dynamodbEndpoint);
    try {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: idempotencyTableName("once", "forwarder") }));
      expect(Items).to.have.length(COUNT);
      const nowSeconds = Date.now() / 1000;
      for (const item of Items) {
        expect(item.id!.S).to.match(/^shardId-000000000000:\d+:0$/);
        expect(Number(item.expiresAt!.N) - nowSeconds).to.be.within(25 * 3600 - 120, 25 * 3600 + 1);
      }
    } finally {
      dynamodb.destroy();
    }
  });
});
