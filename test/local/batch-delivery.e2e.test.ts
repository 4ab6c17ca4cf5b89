/**
 * End to end: `npm start` with a forwarder in `delivery: batch` (a stack file of its own), through the real
 * mapping engine, the built-in sink and the on-failure queue: requests of records, per-record refusals in a
 * 207 that end in the on-failure queue, order per key, each record delivered once.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { localSqsClient } from "../../local/emulators";
import type { SinkRecord } from "../../local/sink";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

const STACK_FILE = `config:
  kinesis-ingest:stream:
    shards: 1
  kinesis-ingest:consumers:
    forwarder:
      handler: forwarder
      delivery: batch
      maxBatchRecords: 25
      batchSize: 100
      batchWindowSeconds: 1
      startingPosition: TRIM_HORIZON
      bisectOnError: true
      maxRetryAttempts: 2
`;

interface SinkList {
  readonly accepted: number;
  readonly rejected: number;
  readonly records: SinkRecord[];
}

describe("local stack end to end, forwarder with delivery batch (npm start, kinesalite)", function () {
  this.timeout(90_000);
  let dir: string;
  let stack: LocalStackProcess;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "batch-delivery-"));
    writeFileSync(path.join(dir, "Pulumi.batch.yaml"), STACK_FILE);
    stack = await startLocalStackProcess(["--stack", "batch", "--dir", dir], { env: { SINK_REJECT_FIELD: "poison" } });
  });
  after(async () => {
    if (stack) await stack.interrupt();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-4000));
  });

  const sink = async (): Promise<SinkList> => (await (await fetch(`${stack.url}/_local/sink`)).json()) as SinkList;

  it("says in /_local/status that the forwarder delivers in batches", async () => {
    expect((await stack.status()).deliveries).to.deep.equal({ forwarder: "batch" });
  });

  it("delivers in requests of records, once each and in order per key; the refused record ends in the on-failure queue", async () => {
    const keys = ["alpha", "beta", "gamma"];
    const records = Array.from({ length: 60 }, (_, n) => ({
      data: n === 59 ? { n, poison: true } : { n },
      partitionKey: keys[n % keys.length]!,
    }));
    const { status, body } = await stack.postRecords(records);
    expect([status, body.failedRecordCount]).to.deep.equal([200, 0]);
    const poisonSequence = body.records[59]!.sequenceNumber!;

    const { sqsEndpoint, queues } = await stack.status();
    const sqs = localSqsClient(sqsEndpoint);
    const message = await eventually("the on-failure record", async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.forwarder, WaitTimeSeconds: 1 }));
      return received.Messages?.[0];
    });
    sqs.destroy();
    const info = (JSON.parse(message.Body!) as { KinesisBatchInfo: { startSequenceNumber: string; batchSize: number } }).KinesisBatchInfo;
    expect([info.startSequenceNumber, info.batchSize]).to.deep.equal([poisonSequence, 1]);

    const delivered = (await sink()).records;
    const ns = delivered.map((r) => (r.data as { n: number }).n);
    expect([...ns].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 59 }, (_, n) => n));
    for (const key of keys) {
      const seen = delivered.filter((r) => r.partitionKey === key).map((r) => (r.data as { n: number }).n);
      expect(seen, `order of ${key}`).to.deep.equal(Array.from({ length: 60 }, (_, n) => n).filter((n) => n !== 59 && keys[n % 3] === key));
    }
    // 59 records in a handful of requests (25 at most each), never one request a record.
    const requests = new Set(delivered.map((r) => r.batchKey));
    expect([...requests].every((k) => /^batch-[0-9a-f]{64}$/.test(k ?? ""))).to.equal(true);
    expect(requests.size).to.be.within(3, 8);
    const { rejected } = await sink();
    // Every try of the poison was refused by the sink: in its first batch, then isolated (bisect) and retried twice.
    expect(rejected).to.be.within(3, 4);
  });
});
