/**
 * The archive on the local stack (`npm start` as a child process, the dev stack file): the stack's bucket is
 * created on the S3 emulator, `/_local/status` names it per archiver, and records POSTed to the API appear
 * as archive objects an AWS SDK client (path-style) reads back with their exact bytes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { parseArchiveLine, type ArchivedRecord } from "../../handlers/lib/archive/format";
import { localS3Client } from "../../local/emulators";
import type { LocalStatus } from "../../local/server";
import { main as replay } from "../../cli/replay";
import { readNdjson, runCli } from "../replay/cli-harness";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

const BUCKET = "kinesis-ingest-dev-archive";

describe("local stack: the s3-archive consumer writes the archive to the S3 emulator", function () {
  this.timeout(120_000);
  let stack: LocalStackProcess;
  let status: LocalStatus;
  let archived: ArchivedRecord[] = [];
  const startedAt = new Date(Date.now() - 1_000);

  before(async () => {
    stack = await startLocalStackProcess();
    status = await stack.status();
  });
  after(async () => {
    if (stack) await stack.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-3000));
  });

  it("lists the S3 endpoint and each archiver's s3://bucket/prefix in /_local/status and the banner", () => {
    expect(status.s3Endpoint).to.equal(status.sqsEndpoint);
    expect(status.archives).to.deep.equal({ "s3-archive": `s3://${BUCKET}/s3-archive/` });
    expect(stack.output()).to.include(`S3 ${status.s3Endpoint} (path-style); archives: s3-archive → s3://${BUCKET}/s3-archive/`);
  });

  it("POSTed records appear in the bucket as gzip NDJSON objects under s3-archive/YYYY/MM/DD/HH/, each record once", async () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ partitionKey: `k${i % 3}`, data: { n: i, note: "é\u0000" } }));
    const posted = await stack.postRecords(records);
    expect(posted.status).to.equal(200);
    expect(posted.body.failedRecordCount).to.equal(0);

    const s3 = localS3Client(status.s3Endpoint);
    try {
      archived = await eventually("12 archived records", async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "s3-archive/" }));
        const lines: ArchivedRecord[] = [];
        for (const { Key } of listed.Contents ?? []) {
          const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
          expect(got.ContentType).to.equal("application/x-ndjson");
          expect(Key).to.match(/^s3-archive\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/shardId-000000000000-\d+-0-\d+-0\.ndjson\.gz$/);
          const text = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString("utf8");
          text
            .trimEnd()
            .split("\n")
            .forEach((line, i) => lines.push(parseArchiveLine(line, Key!, i + 1)));
        }
        return lines.length >= records.length ? lines : undefined;
      });
      expect(archived.map((r) => JSON.parse(r.data.toString("utf8")) as unknown)).to.deep.equal(records.map((r) => r.data));
      expect(archived.map((r) => r.partitionKey)).to.deep.equal(records.map((r) => r.partitionKey));
      expect(archived.map((r) => r.sequenceNumber)).to.deep.equal(posted.body.records.map((r) => r.sequenceNumber));
      expect(new Set(archived.map((r) => r.shardId))).to.deep.equal(new Set(["shardId-000000000000"]));
      for (const r of archived) expect(Math.abs(r.arrivalTime - Date.now())).to.be.below(60_000);
    } finally {
      s3.destroy();
    }
  });

  it("replay --from-archive with the local stack's --endpoint brings every archived record back once, bytes unchanged, to a file and to a function", async () => {
    expect(archived).to.have.length(12);
    const dir = mkdtempSync(path.join(tmpdir(), "archive-replay-"));
    try {
      const file = path.join(dir, "replayed.ndjson");
      const archive = ["--from-archive", `s3://${BUCKET}/s3-archive/`, "--from", startedAt.toISOString(), "--endpoint", stack.url];
      const toFile = await runCli(replay, [...archive, "--to-file", file]);
      expect(toFile.code, toFile.stderr).to.equal(0);
      const lines = readNdjson<{ sequenceNumber: string; partitionKey: string; data: unknown }>(file);
      expect(lines.map((l) => l.sequenceNumber)).to.deep.equal(archived.map((r) => r.sequenceNumber));
      expect(lines.map((l) => l.data)).to.deep.equal(archived.map((r) => JSON.parse(r.data.toString("utf8")) as unknown));

      // The forwarder already delivered these records from the stream: its idempotency store (memory, warm)
      // skips the replayed ones without POSTing them, and says so, so the sink still holds each record exactly once.
      const toFunction = await runCli(replay, [...archive, "--to-function", "forwarder"]);
      expect(toFunction.code, toFunction.stderr).to.equal(0);
      expect(JSON.parse(toFunction.stdout.trim().split("\n").at(-1)!)).to.deep.include({ delivered: 0, skipped: 12, failed: 0 });
      const idlePollsAtTwelve = await eventually("the stream's 12 deliveries in the sink", async () => {
        const listed = await sinkRecords(stack.url);
        return listed.length >= 12 ? forwarderIdlePolls(stack) : undefined;
      });
      // Two more reads that find the forwarder's shard caught up (no new record, no batch in flight): its mapping
      // has read and finished everything, so a duplicate would have arrived by now.
      await eventually("the forwarder's mapping to read past the stream twice more", async () =>
        (await forwarderIdlePolls(stack)) >= idlePollsAtTwelve + 2 ? true : undefined,
      );
      const sequenceNumbers = (await sinkRecords(stack.url)).map((r) => r.sequenceNumber);
      expect(sequenceNumbers, "each record delivered once").to.have.length(12);
      expect([...sequenceNumbers].sort()).to.deep.equal(archived.map((r) => r.sequenceNumber).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `idlePolls` of the forwarder consumer's mapping, from `/_local/status`. */
async function forwarderIdlePolls(stack: LocalStackProcess): Promise<number> {
  const stats = (await stack.status()).consumers.forwarder;
  if (!stats) throw new Error("/_local/status shows no forwarder consumer");
  return stats.idlePolls;
}

/** The deliveries the local stack's sink holds. */
async function sinkRecords(url: string): Promise<Array<{ sequenceNumber?: string }>> {
  const body = (await (await fetch(`${url}/_local/sink`)).json()) as { records: Array<{ sequenceNumber?: string }> };
  return body.records;
}
