/**
 * `kinesis-ingest replay --from-archive` on fauxqs S3: archive objects written as the archiver writes them
 * (the format module and node:zlib), read back into a file, a function and a fresh stream.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { main as replay } from "../../cli/replay";
import { decodeKinesisEvent } from "../../handlers/lib/consumer/decode";
import type { ConsumerRecord } from "../../handlers/lib/consumer/types";
import { localKinesisClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { archiveSource } from "../../replay/archive/archive-source";
import { CheckpointFile } from "../../replay/checkpoint";
import { runReplay } from "../../replay/replay";
import { fileTarget } from "../../replay/targets/file-target";
import { kinesisEvent, kinesisEventRecord } from "../../semantics/lambda-event";
import { at, createBucket, json, localS3Client, putArchiveObject, userRecord } from "./archive-support";
import { runCli, readNdjson } from "./cli-harness";
import { createStream, putKeyed, startTestFunctions, type TestFunctionServer } from "./support";

const BINARY = Buffer.from([0xff, 0x00, 0x0a, 0x7b]); // not UTF-8, holds a newline

/** Per shard, `seq` or `seq:sub` of each file line, in file order. */
function perShard(lines: readonly Record<string, unknown>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) {
    const id = `${String(line.sequenceNumber)}${line.subSequenceNumber === undefined ? "" : `:${String(line.subSequenceNumber)}`}`;
    (out[line.shardId as string] ??= []).push(id);
  }
  return out;
}

describe("kinesis-ingest replay --from-archive (fauxqs S3)", function () {
  this.timeout(60_000);
  let s3Server: RunningEmulator;
  let s3: S3Client;
  let dir: string;
  const keys: Record<string, string> = {};
  const aggregate = [0, 1, 2].map((sub) =>
    userRecord(1, "24", at(31), json(1, 24, sub), { subSequenceNumber: sub, aggregated: true, partitionKey: `agg-${sub}` }),
  );

  before(async () => {
    s3Server = await startSqs();
    s3 = localS3Client(s3Server.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "archive-replay-"));
    await createBucket(s3, "archive");
    const p = "orders/";
    // shard 0: two objects in hour 20 (one uncompressed), one in hour 21
    keys.a = await putArchiveObject(s3, "archive", p, [
      userRecord(0, "10", at(5), json(0, 10)),
      userRecord(0, "11", at(6), BINARY),
      userRecord(0, "12", at(7), json(0, 12)),
    ]);
    keys.b = await putArchiveObject(
      s3,
      "archive",
      p,
      [userRecord(0, "13", at(50), json(0, 13)), userRecord(0, "14", at(50), json(0, 14))],
      {
        compression: "none",
      },
    );
    keys.c = await putArchiveObject(s3, "archive", p, [userRecord(0, "15", at(70), json(0, 15)), userRecord(0, "16", at(80), json(0, 16))]);
    // shard 1: a retried batch written again with an overlapping range, then a KPL aggregate of three user records
    keys.d = await putArchiveObject(
      s3,
      "archive",
      p,
      ["20", "21", "22"].map((q) => userRecord(1, q, at(30), json(1, Number(q)))),
    );
    keys.e = await putArchiveObject(
      s3,
      "archive",
      p,
      ["21", "22", "23"].map((q) => userRecord(1, q, at(30), json(1, Number(q)))),
    );
    keys.agg = await putArchiveObject(s3, "archive", p, aggregate);
    // shard 2: a retry that skipped the records already archived holds a range with a hole the other object fills
    keys.f = await putArchiveObject(
      s3,
      "archive",
      p,
      ["31", "32"].map((q) => userRecord(2, q, at(40), json(2, Number(q)))),
    );
    keys.g = await putArchiveObject(
      s3,
      "archive",
      p,
      ["30", "33", "34"].map((q) => userRecord(2, q, at(40), json(2, Number(q)))),
    );
  });

  after(async () => {
    s3.destroy();
    await s3Server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const flags = (prefix = "orders/") => [
    "--from-archive",
    `s3://archive/${prefix}`,
    "--s3-endpoint",
    s3Server.endpoint,
    "--region",
    "us-east-1",
  ];
  const expected = {
    "shardId-000000000000": ["11", "12", "13", "14", "15"],
    "shardId-000000000001": ["20", "21", "22", "23", "24:0", "24:1", "24:2"],
    "shardId-000000000002": ["30", "31", "32", "33", "34"],
  };

  it("replays [--from, --to) into --to-file in sequence order per shard, across objects and hours, each record once with its exact bytes", async () => {
    const file = path.join(dir, "all.ndjson");
    const run = await runCli(replay, [...flags(), "--from", at(6).toISOString(), "--to", at(75).toISOString(), "--to-file", file]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    const lines = readNdjson(file);
    expect(perShard(lines)).to.deep.equal(expected);
    expect(lines.find((l) => l.sequenceNumber === "11")).to.deep.include({ dataBase64: BINARY.toString("base64"), partitionKey: "k" });
    expect(readFileSync(file, "utf8")).to.include(
      `{"data":${json(0, 12)},"partitionKey":"k","sequenceNumber":"12","shardId":"shardId-000000000000"`,
    );
    expect(lines.filter((l) => l.sequenceNumber === "24").map((l) => [l.partitionKey, l.data])).to.deep.equal(
      [0, 1, 2].map((sub) => [`agg-${sub}`, { shard: 1, seq: 24, sub }]),
    );
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).to.deep.include({ archive: "s3://archive/orders/", skippedObjects: [], delivered: 15, read: 15, failed: 0 });
  });

  it("--dry-run counts the same records and delivers nothing", async () => {
    const run = await runCli(replay, [...flags(), "--from", at(6).toISOString(), "--to", at(75).toISOString(), "--dry-run"]);
    expect(run.code).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.include({ dryRun: true, wouldDeliver: 15, read: 15 });
  });

  it("finds S3 through the local stack's URL: --endpoint reads s3Endpoint from /_local/status", async () => {
    const status = createServer((req, res) => {
      res.writeHead(req.url === "/_local/status" ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ kinesisEndpoint: "http://127.0.0.1:9", sqsEndpoint: "http://127.0.0.1:9", s3Endpoint: s3Server.endpoint }));
    });
    status.listen(0, "127.0.0.1");
    await once(status, "listening");
    try {
      const endpoint = `http://127.0.0.1:${(status.address() as AddressInfo).port}`;
      const run = await runCli(replay, [
        "--endpoint",
        endpoint,
        "--from-archive",
        "s3://archive/orders/",
        "--from",
        at(6).toISOString(),
        "--to",
        at(75).toISOString(),
        "--dry-run",
      ]);
      expect(run.stderr).to.equal("");
      expect(JSON.parse(run.stdout)).to.deep.include({ wouldDeliver: 15 });
    } finally {
      await new Promise((resolve) => status.close(resolve));
    }
  });

  it("filters with --partition-key as stream replay does (an aggregate travels whole when one of its records passes)", async () => {
    const file = path.join(dir, "filtered.ndjson");
    const run = await runCli(replay, [
      ...flags(),
      "--from",
      at(0).toISOString(),
      "--to",
      at(75).toISOString(),
      "--partition-key",
      "agg-1",
      "--to-file",
      file,
    ]);
    expect(run.code).to.equal(0);
    expect(perShard(readNdjson(file))).to.deep.equal({ "shardId-000000000001": ["24:0", "24:1", "24:2"] });
  });

  it("invokes --to-function with the Kinesis event stream replay sends: an archived aggregate is one entry again, its user records at their sub-sequence numbers", async () => {
    const functions: TestFunctionServer = await startTestFunctions(() => ({ payload: null }));
    try {
      const run = await runCli(replay, [
        ...flags(),
        "--from",
        at(6).toISOString(),
        "--to",
        at(75).toISOString(),
        "--to-function",
        "ok",
        "--lambda-endpoint",
        functions.endpoint,
      ]);
      // The function sends no per-record report: its user records (the aggregate's one by one) are acknowledged.
      expect(run.stderr).to.match(/^kinesis-ingest replay: 17 records were acknowledged without a per-record report/);
      expect(run.code).to.equal(0);
      const events = functions.invocations.get("ok") as KinesisStreamEvent[];
      const entries = events.flatMap((event) => event.Records);
      expect(entries.map((r) => r.eventSourceARN)).to.deep.equal(entries.map(() => "arn:aws:s3:::archive/orders/"));
      expect(entries.filter((r) => r.kinesis.sequenceNumber === "24")).to.have.length(1);
      const users = events.flatMap((event) => decodeKinesisEvent(event).records);
      const got: Record<string, string[]> = {};
      for (const u of users) (got[u.shardId] ??= []).push(u.aggregated ? `${u.sequenceNumber}:${u.subSequenceNumber}` : u.sequenceNumber);
      expect(got).to.deep.equal(expected);
      expect(users.find((u) => u.sequenceNumber === "11")?.data).to.deep.equal(BINARY);
      expect(users.filter((u) => u.sequenceNumber === "24").map((u) => u.idempotencyKey)).to.deep.equal(
        aggregate.map((r) => r.idempotencyKey),
      );
    } finally {
      await functions.stop();
    }
  });

  it("resumes from --checkpoint after a crash with no gap and no record twice", async () => {
    const file = path.join(dir, "resumed.ndjson");
    const checkpoint = path.join(dir, "resume.checkpoint.json");
    const args = [
      "--from",
      at(6).toISOString(),
      "--to",
      at(75).toISOString(),
      "--to-file",
      file,
      "--checkpoint",
      checkpoint,
      "--batch-size",
      "2",
    ];
    // First run: the target dies on its third delivery, as a killed process would stop.
    const inner = fileTarget(file);
    let deliveries = 0;
    const crashing = {
      ...inner,
      deliver: async (records: Parameters<typeof inner.deliver>[0]) => {
        if (++deliveries === 3) throw new Error("killed");
        return inner.deliver(records);
      },
    };
    const first = runReplay({
      source: archiveSource({ s3, location: { bucket: "archive", prefix: "orders/" }, from: at(6) }),
      to: at(75),
      target: crashing,
      batchSize: 2,
      checkpoint: new CheckpointFile(checkpoint),
    });
    await first.then(
      () => expect.fail("the first run should have crashed"),
      (error: Error) => expect(error.message).to.equal("killed"),
    );
    await inner.close();
    const partial = readNdjson(file).length;
    expect(partial).to.be.greaterThan(0).and.lessThan(15);
    const run = await runCli(replay, [...flags(), ...args]);
    expect(run.code).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.include({ resumed: true });
    expect(perShard(readNdjson(file))).to.deep.equal(expected);
  });

  it("fetches each archive object once: the records read for its check are the ones delivered", async () => {
    const fetched: string[] = [];
    const counting = localS3Client(s3Server.endpoint);
    counting.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetObjectCommand") fetched.push((args.input as { Key: string }).Key);
        return next(args);
      },
      { step: "initialize" },
    );
    const file = path.join(dir, "once.ndjson");
    const target = fileTarget(file);
    try {
      await runReplay({
        source: archiveSource({ s3: counting, location: { bucket: "archive", prefix: "orders/" }, from: at(6) }),
        to: at(75),
        target,
      });
    } finally {
      await target.close();
      counting.destroy();
    }
    expect(perShard(readNdjson(file))).to.deep.equal(expected);
    expect(fetched.length).to.be.greaterThan(0);
    expect(fetched.length, `fetched ${fetched.join(", ")}`).to.equal(new Set(fetched).size);
  });

  it("records older than the stream's retention come back: archived, stream deleted and created again, replayed --to-stream each exactly once with identical bytes", async () => {
    const kinesis = await startKinesalite();
    const client: KinesisClient = localKinesisClient(kinesis.endpoint);
    try {
      await createStream(client, "orders", 2);
      const from = new Date(Date.now() - 1000);
      await putKeyed(client, "orders", ["a", "b", "c", "d"], 5);
      // Archive what the stream holds, as the archiver would: an object per 3 records of a shard.
      const archived: ConsumerRecord[] = [];
      for (const shardId of ["shardId-000000000000", "shardId-000000000001"]) {
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({ StreamName: "orders", ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
        );
        const page = await client.send(new GetRecordsCommand({ ShardIterator }));
        const event = kinesisEvent(
          (page.Records ?? []).map((r) =>
            kinesisEventRecord(
              {
                shardId,
                sequenceNumber: r.SequenceNumber as string,
                partitionKey: r.PartitionKey as string,
                data: r.Data as Uint8Array,
                approximateArrivalTimestamp: r.ApproximateArrivalTimestamp as Date,
              },
              { streamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/orders", invokeIdentityArn: "" },
            ),
          ),
        );
        const users = decodeKinesisEvent(event).records;
        for (let i = 0; i < users.length; i += 3) await putArchiveObject(s3, "archive", "retention/", users.slice(i, i + 3));
        archived.push(...users);
      }
      expect(archived).to.have.length(20);
      await client.send(new DeleteStreamCommand({ StreamName: "orders" }));
      // Deletion is asynchronous (DELETING, then gone): creating the name again before it is gone fails.
      await eventuallyGone(client, "orders");
      await createStream(client, "orders", 2);
      const run = await runCli(replay, [
        ...flags("retention/"),
        "--from",
        from.toISOString(),
        "--to-stream",
        "orders",
        "--kinesis-endpoint",
        kinesis.endpoint,
      ]);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      const back: { key: string; data: string }[] = [];
      for (const shardId of ["shardId-000000000000", "shardId-000000000001"]) {
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({ StreamName: "orders", ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
        );
        const page = await client.send(new GetRecordsCommand({ ShardIterator }));
        back.push(
          ...(page.Records ?? []).map((r) => ({
            key: r.PartitionKey as string,
            data: Buffer.from(r.Data as Uint8Array).toString("base64"),
          })),
        );
      }
      const sorted = (list: { key: string; data: string }[]) => [...list].sort((x, y) => (x.key + x.data).localeCompare(y.key + y.data));
      expect(sorted(back)).to.deep.equal(sorted(archived.map((r) => ({ key: r.partitionKey, data: r.data.toString("base64") }))));
      // Per key, in the order the key's records were written.
      for (const key of ["a", "b", "c", "d"]) {
        const ns = back.filter((r) => r.key === key).map((r) => (JSON.parse(Buffer.from(r.data, "base64").toString()) as { n: number }).n);
        expect(ns, key).to.deep.equal([0, 1, 2, 3, 4]);
      }
    } finally {
      client.destroy();
      await kinesis.stop();
    }
  });
});

/** Resolves once `streamName` no longer exists (DescribeStreamSummary answers ResourceNotFoundException). */
async function eventuallyGone(client: KinesisClient, streamName: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`Stream ${streamName} still exists ${timeoutMs} ms after DeleteStream.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
