/**
 * `kinesis-ingest replay --from-archive` when the archive is not as it should be (fauxqs S3; IAM and
 * listing pages mocked): bad objects named by key and line, bucket errors, listing pages, usage errors.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { main as replay } from "../../cli/replay";
import { startSqs, type RunningEmulator } from "../../local/emulators";
import { archiveSource } from "../../replay/archive/archive-source";
import { runReplay } from "../../replay/replay";
import { archiveBody, at, createBucket, json, localS3Client, putArchiveObject, userRecord } from "./archive-support";
import { runCli, readNdjson } from "./cli-harness";

/** Per shard, the sequence numbers of the file's lines, in file order. */
function perShard(lines: readonly Record<string, unknown>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) (out[line.shardId as string] ??= []).push(String(line.sequenceNumber));
  return out;
}

describe("kinesis-ingest replay --from-archive: bad objects, bucket errors, listing, usage", function () {
  this.timeout(60_000);
  let s3Server: RunningEmulator;
  let s3: S3Client;
  let dir: string;

  before(async () => {
    s3Server = await startSqs();
    s3 = localS3Client(s3Server.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "archive-errors-"));
    await createBucket(s3, "archive");
  });

  after(async () => {
    s3.destroy();
    await s3Server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const flags = (prefix: string) => [
    "--from-archive",
    `s3://archive/${prefix}`,
    "--s3-endpoint",
    s3Server.endpoint,
    "--region",
    "us-east-1",
  ];

  describe("bad objects", () => {
    let truncatedKey: string;
    let garbledKey: string;
    let cutLineKey: string;
    const good = [userRecord(0, "1", at(10), json(0, 1)), userRecord(0, "2", at(10), json(0, 2))];
    const bad = [userRecord(0, "3", at(11), json(0, 3)), userRecord(0, "4", at(11), json(0, 4))];

    before(async () => {
      await putArchiveObject(s3, "archive", "truncated/", good);
      const whole = archiveBody(bad);
      truncatedKey = await putArchiveObject(s3, "archive", "truncated/", bad, { body: whole.subarray(0, whole.length - 12) });
      const lines = bad.map((r) => archiveBody([r], "none").toString());
      garbledKey = await putArchiveObject(s3, "archive", "garbled/", bad, {
        body: gzipSync(`${lines[0]}this is not NDJSON\n${lines[1]}`),
      });
      cutLineKey = await putArchiveObject(s3, "archive", "cutline/", bad, {
        compression: "none",
        body: Buffer.from(`${lines[0]}${lines[1]!.slice(0, 30)}`),
      });
    });

    const range = ["--from", at(0).toISOString(), "--to", at(60).toISOString()];

    it("a truncated gzip object (S3 GetObject returns the stored bytes): exit 1 naming its key and line, nothing of it delivered", async () => {
      const file = path.join(dir, "truncated.ndjson");
      const run = await runCli(replay, [...flags("truncated/"), ...range, "--to-file", file]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(new RegExp(`Archive object "${truncatedKey}", line \\d+: cannot be read to its end .*truncated`));
      expect(run.stderr).to.include("--skip-bad-objects");
      // What precedes the bad object is delivered; nothing of the bad object is.
      expect(perShard(readNdjson(file))).to.deep.equal({ "shardId-000000000000": ["1", "2"] });
    });

    it("--skip-bad-objects reports the truncated object, replays the rest and exits 3", async () => {
      const file = path.join(dir, "skipped.ndjson");
      const run = await runCli(replay, [...flags("truncated/"), ...range, "--to-file", file, "--skip-bad-objects"]);
      expect(run.code).to.equal(3);
      const summary = JSON.parse(run.stdout) as { skippedObjects: string[]; delivered: number };
      expect(summary.delivered).to.equal(2);
      expect(summary.skippedObjects).to.have.length(1);
      expect(summary.skippedObjects[0]).to.include(`Archive object "${truncatedKey}", line `);
      expect(perShard(readNdjson(file))).to.deep.equal({ "shardId-000000000000": ["1", "2"] });
    });

    it("a line that is not NDJSON: exit 1 naming the key and line 2, nothing of the object delivered", async () => {
      const file = path.join(dir, "garbled.ndjson");
      const run = await runCli(replay, [...flags("garbled/"), ...range, "--to-file", file]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`Archive object "${garbledKey}", line 2: not a JSON document`);
      expect(readFileSync(file, "utf8")).to.equal("");
    });

    it("an object whose last line is cut short: exit 1 naming the key and line 2", async () => {
      const run = await runCli(replay, [...flags("cutline/"), ...range, "--dry-run"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`Archive object "${cutLineKey}", line 2: not a JSON document`);
    });

    it("a missing bucket: exit 1 naming the bucket (S3 Error responses: NoSuchBucket)", async () => {
      const run = await runCli(replay, [
        "--from-archive",
        "s3://no-such-archive/x/",
        "--s3-endpoint",
        s3Server.endpoint,
        ...range,
        "--dry-run",
      ]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`Archive bucket "no-such-archive" does not exist in region us-east-1 at ${s3Server.endpoint}`);
    });

    it("access denied (mocked: no emulator enforces IAM) names the bucket and the permissions needed (S3 ListObjectsV2 API reference)", async () => {
      const denied = new S3Client({ region: "us-east-1" });
      const mock = mockClient(denied);
      mock
        .on(ListObjectsV2Command)
        .rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
      const summary = runReplay({
        source: archiveSource({ s3: denied, location: { bucket: "locked", prefix: "p/" }, from: at(0), where: "in region us-east-1" }),
        to: at(60),
        target: { description: "dry-run", deliver: async () => ({ failed: [] }), close: async () => undefined },
      });
      await summary.then(
        () => expect.fail("should be denied"),
        (error: Error) =>
          expect(error.message).to.equal(
            'Access to archive bucket "locked" was denied in region us-east-1: reading the archive needs s3:ListBucket on the bucket and s3:GetObject on "p/*".',
          ),
      );
      mock.restore();
    });
  });

  it("lists only the hour prefixes of the range, following ListObjectsV2 pages (S3 ListObjectsV2 API reference: up to 1,000 keys a page)", async () => {
    const listing = new S3Client({ region: "us-east-1" });
    const mock = mockClient(listing);
    mock
      .on(ListObjectsV2Command)
      .callsFake((input: { Prefix?: string; ContinuationToken?: string }) =>
        input.Prefix === "p/2026/05/28/21/" && input.ContinuationToken === undefined
          ? { Contents: [], IsTruncated: true, NextContinuationToken: "t1" }
          : { Contents: [], IsTruncated: false },
      );
    await runReplay({
      source: archiveSource({ s3: listing, location: { bucket: "b", prefix: "p/" }, from: at(59) }),
      to: at(120),
      target: { description: "dry-run", deliver: async () => ({ failed: [] }), close: async () => undefined },
    });
    expect(mock.commandCalls(ListObjectsV2Command).map((c) => [c.args[0].input.Prefix, c.args[0].input.ContinuationToken])).to.deep.equal([
      ["p/2026/05/28/20/", undefined],
      ["p/2026/05/28/21/", undefined],
      ["p/2026/05/28/21/", "t1"],
    ]);
    mock.restore();
  });

  it("rejects bad usage with exit 64, naming the flag", async () => {
    const cases: [string[], string][] = [
      [["--from-archive", "s3://archive/orders/", "--dry-run"], "--from-archive needs --from"],
      [
        ["--from-archive", "s3://archive/orders/", "--stream", "orders", "--from", at(0).toISOString(), "--dry-run"],
        "Give one source: --stream NAME or --from-archive",
      ],
      [
        ["--from-archive", "http://archive/orders/", "--from", at(0).toISOString(), "--dry-run"],
        "--from-archive must look like s3://BUCKET/PREFIX",
      ],
      [
        ["--from-archive", "s3://archive/", "--from-sequence", "shardId-000000000000:1", "--dry-run"],
        "--from-sequence names a stream record",
      ],
      [
        ["--stream", "orders", "--from", at(0).toISOString(), "--skip-bad-objects", "--dry-run"],
        "--skip-bad-objects applies only with --from-archive",
      ],
      [
        ["--stream", "orders", "--from", at(0).toISOString(), "--s3-endpoint", "http://127.0.0.1:1", "--dry-run"],
        "--s3-endpoint applies only with --from-archive",
      ],
      [["--from-archive", "s3://archive/orders/", "--from", "yesterday", "--dry-run"], "--from must be an ISO 8601 time"],
    ];
    for (const [argv, message] of cases) {
      const run = await runCli(replay, [...argv, "--region", "us-east-1"]);
      expect(run.code, argv.join(" ")).to.equal(64);
      expect(run.stderr, argv.join(" ")).to.include(message);
    }
  });
});
