/**
 * The archiver on real emulators (kinesalite events, fauxqs S3): objects' keys and contents exact, KPL
 * aggregates unpacked, hour boundaries, retries that overwrite, S3 failures that fail the batch. What fauxqs
 * does not keep (ContentEncoding) and what it cannot answer (AccessDenied) use aws-sdk-client-mock.
 */
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import type { KinesisStreamEvent } from "aws-lambda";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3Client as S3ClientType,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { createArchiverHandler, type ArchiverOptions } from "../../handlers/archiver";
import { archiverOptionsFromEnv } from "../../handlers/lib/environment/archiver";
import { parseArchiveLine } from "../../handlers/lib/archive/format";
import { localS3Client, startSqs, type RunningEmulator } from "../../local/emulators";
import { KinesisEventSource, type StreamEntry } from "./consumer-fixtures";

const HOUR_S = 3600;
/** 2026-11-30T22:59:59.500Z and 23:00:00.250Z, either side of an hour boundary, in epoch seconds. */
const BEFORE_HOUR = Date.UTC(2026, 10, 30, 22, 59, 59, 500) / 1000;
const AFTER_HOUR = BEFORE_HOUR + 0.75;

/** The event with its records' arrival times set, as Lambda would deliver records that arrived then. */
function arrivingAt(event: KinesisStreamEvent, times: readonly number[]): KinesisStreamEvent {
  return {
    Records: event.Records.map((r, i) => ({ ...r, kinesis: { ...r.kinesis, approximateArrivalTimestamp: times[i] ?? times.at(-1)! } })),
  };
}

describe("archiver: one NDJSON object per shard and arrival hour in S3 (fauxqs)", function () {
  this.timeout(20_000);
  let source: KinesisEventSource;
  let emulator: RunningEmulator;
  let s3: S3ClientType;
  let bucketCount = 0;

  before(async () => {
    [source, emulator] = await Promise.all([KinesisEventSource.start(), startSqs()]);
    s3 = localS3Client(emulator.endpoint);
  });
  after(async () => {
    s3.destroy();
    await Promise.all([source.stop(), emulator.stop()]);
  });

  async function freshBucket(): Promise<string> {
    const bucket = `archive-test-${++bucketCount}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  async function objects(bucket: string): Promise<Array<{ key: string; body: Buffer }>> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) => {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
        return { key: Key!, body: Buffer.from(await got.Body!.transformToByteArray()) };
      }),
    );
  }

  function archiver(bucket: string, options: Partial<ArchiverOptions> = {}) {
    const lines: Record<string, unknown>[] = [];
    const handler = createArchiverHandler({
      bucket,
      prefix: "s3-archive/",
      s3,
      kinesis: source.client,
      ...options,
      consumer: { idempotency: "none", writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), ...options.consumer },
    });
    return { handler, lines };
  }

  it("writes a batch as one gzip NDJSON object whose lines keep bytes, key, sequence, sub-sequence, shard and arrival", async () => {
    const bucket = await freshBucket();
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x0a, 0x22]);
    const event = arrivingAt(
      await source.eventOf([
        { partitionKey: "k1", data: '{"n":1}' },
        { partitionKey: "k2", data: binary },
      ]),
      [BEFORE_HOUR - 10, BEFORE_HOUR],
    );
    const { handler } = archiver(bucket);
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });

    const [first, second] = event.Records.map((r) => r.kinesis);
    const stored = await objects(bucket);
    expect(stored.map((o) => o.key)).to.deep.equal([
      `s3-archive/2026/11/30/22/shardId-000000000000-${first!.sequenceNumber}-0-${second!.sequenceNumber}-0.ndjson.gz`,
    ]);
    const text = gunzipSync(stored[0]!.body).toString("utf8");
    expect(text.endsWith("\n")).to.equal(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).to.have.length(2);
    expect(JSON.parse(lines[0]!)).to.deep.equal({
      shardId: "shardId-000000000000",
      sequenceNumber: first!.sequenceNumber,
      subSequenceNumber: 0,
      partitionKey: "k1",
      arrivalTime: "2026-11-30T22:59:49.500Z",
      data: Buffer.from('{"n":1}').toString("base64"),
    });
    const back = parseArchiveLine(lines[1]!, stored[0]!.key, 2);
    expect(back.data.equals(binary)).to.equal(true);
    expect(back).to.include({
      partitionKey: "k2",
      sequenceNumber: second!.sequenceNumber,
      subSequenceNumber: 0,
      arrivalTime: BEFORE_HOUR * 1000,
    });
  });

  it("unpacks KPL aggregates: one line per user record, with its own key and sub-sequence number", async () => {
    const bucket = await freshBucket();
    const entries: StreamEntry[] = [
      { aggregate: ["a", "b", "c"].map((d, i) => ({ partitionKey: `user-${i}`, data: d })) },
      { partitionKey: "plain", data: "d" },
    ];
    const event = arrivingAt(await source.eventOf(entries), [BEFORE_HOUR]);
    const { handler } = archiver(bucket, { compression: "none" });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const [aggregate, plain] = event.Records.map((r) => r.kinesis.sequenceNumber);
    const stored = await objects(bucket);
    expect(stored.map((o) => o.key)).to.deep.equal([`s3-archive/2026/11/30/22/shardId-000000000000-${aggregate}-0-${plain}-0.ndjson`]);
    const records = stored[0]!.body
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((line, i) => parseArchiveLine(line, stored[0]!.key, i + 1));
    expect(records.map((r) => [r.sequenceNumber, r.subSequenceNumber, r.partitionKey, r.data.toString()])).to.deep.equal([
      [aggregate, 0, "user-0", "a"],
      [aggregate, 1, "user-1", "b"],
      [aggregate, 2, "user-2", "c"],
      [plain, 0, "plain", "d"],
    ]);
  });

  it("cuts the batch at an arrival-hour boundary: one object per hour, each under its hour's prefix", async () => {
    const bucket = await freshBucket();
    const event = arrivingAt(await source.eventOf(["r0", "r1", "r2"].map((data) => ({ partitionKey: "k", data }))), [
      BEFORE_HOUR,
      AFTER_HOUR,
      AFTER_HOUR + HOUR_S / 2,
    ]);
    const { handler } = archiver(bucket, { compression: "none" });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const [s0, s1, s2] = event.Records.map((r) => r.kinesis.sequenceNumber);
    const stored = await objects(bucket);
    expect(stored.map((o) => [o.key, o.body.toString().trimEnd().split("\n").length])).to.deep.equal([
      [`s3-archive/2026/11/30/22/shardId-000000000000-${s0}-0-${s0}-0.ndjson`, 1],
      [`s3-archive/2026/11/30/23/shardId-000000000000-${s1}-0-${s2}-0.ndjson`, 2],
    ]);
  });

  it("a retried batch (the same records) overwrites the same key: the bucket holds each record once", async () => {
    const bucket = await freshBucket();
    const event = arrivingAt(await source.eventOf(["x", "y", "z"].map((data, i) => ({ partitionKey: `k${i}`, data }))), [BEFORE_HOUR]);
    const { handler } = archiver(bucket, { compression: "none" });
    await handler(event);
    const firstTime = await objects(bucket);
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const secondTime = await objects(bucket);
    expect(secondTime.map((o) => o.key)).to.deep.equal(firstTime.map((o) => o.key));
    expect(secondTime).to.have.length(1);
    expect(secondTime[0]!.body.equals(firstTime[0]!.body)).to.equal(true);
    const lines = secondTime[0]!.body.toString().trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { data: string }).data)).to.deep.equal(
      ["x", "y", "z"].map((d) => Buffer.from(d).toString("base64")),
    );
  });

  it("a missing bucket fails every record (nothing acknowledged) and logs bucket, key and the S3 error", async () => {
    const event = arrivingAt(await source.eventOf(["a", "b"].map((data) => ({ partitionKey: "k", data }))), [BEFORE_HOUR]);
    const { handler, lines } = archiver("no-such-archive-bucket");
    const response = await handler(event);
    expect(response.batchItemFailures).to.deep.equal(event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })));
    const failures = lines
      .filter((line) => line.message === "Record processing failed")
      .map((line) => line.error as Record<string, unknown>);
    expect(failures).to.have.length(2);
    const [failure] = failures;
    expect(failure).to.include({ name: "ArchiveWriteError", bucket: "no-such-archive-bucket", s3Error: "NoSuchBucket", httpStatus: 404 });
    expect(failure!.key).to.match(/^s3-archive\/2026\/11\/30\/22\/shardId-000000000000-\d+-0-\d+-0\.ndjson\.gz$/);
    expect(lines.at(-1)).to.include({ Records: 2, FailedRecords: 2 });
  });

  it("access denied fails the batch, and the next delivery archives it (aws-sdk-client-mock: fauxqs has no IAM)", async () => {
    const event = arrivingAt(await source.eventOf(["a", "b", "c"].map((data, i) => ({ partitionKey: `k${i}`, data }))), [BEFORE_HOUR]);
    const client = new S3Client({ region: "us-east-1" });
    const mock = mockClient(client);
    const denied = new S3ServiceException({
      name: "AccessDenied",
      $fault: "client",
      $metadata: { httpStatusCode: 403 },
      message: "Access Denied",
    });
    mock.on(PutObjectCommand).rejectsOnce(denied).resolves({});
    const store = (await import("../../handlers/lib/consumer")).MemoryIdempotencyStore;
    const { handler, lines } = archiver("archive", { s3: client, consumer: { idempotency: new store({ ttlSeconds: 60 }) } });
    expect((await handler(event)).batchItemFailures).to.deep.equal(
      event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    );
    expect(lines.find((l) => l.message === "Record processing failed")?.error).to.include({
      s3Error: "AccessDenied",
      httpStatus: 403,
      bucket: "archive",
    });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const puts = mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts).to.have.length(2);
    expect(puts[1]!.Key).to.equal(puts[0]!.Key);
    mock.restore();
  });

  it("puts gzip objects with ContentType application/x-ndjson and ContentEncoding gzip, plain ones without an encoding", async () => {
    const event = arrivingAt(await source.eventOf([{ partitionKey: "k", data: "same bytes ".repeat(50) }]), [BEFORE_HOUR]);
    const client = new S3Client({ region: "us-east-1" });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    await archiver("archive", { s3: client, compression: "gzip" }).handler(event);
    await archiver("archive", { s3: client, compression: "none" }).handler(event);
    const [gzip, none] = mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(gzip).to.include({ Bucket: "archive", ContentType: "application/x-ndjson", ContentEncoding: "gzip" });
    expect(none).to.include({ Bucket: "archive", ContentType: "application/x-ndjson" });
    expect(none).not.to.have.property("ContentEncoding");
    expect(gunzipSync(gzip!.Body as Buffer).equals(none!.Body as Buffer)).to.equal(true);
    expect((gzip!.Body as Buffer).length).to.be.below((none!.Body as Buffer).length);
    expect(gzip!.Key!.replace(/\.gz$/, "")).to.equal(none!.Key);
    mock.restore();
  });

  it("reads its settings from the environment, naming the variable that is wrong", () => {
    expect(archiverOptionsFromEnv({ ARCHIVE_BUCKET: "b", ARCHIVE_PREFIX: "p/" })).to.deep.equal({
      bucket: "b",
      prefix: "p/",
      compression: "gzip",
    });
    expect(archiverOptionsFromEnv({ ARCHIVE_BUCKET: "b", ARCHIVE_PREFIX: "p/", ARCHIVE_COMPRESSION: "none" }).compression).to.equal("none");
    expect(() => archiverOptionsFromEnv({ ARCHIVE_PREFIX: "p/" })).to.throw("ARCHIVE_BUCKET is not set");
    expect(() => archiverOptionsFromEnv({ ARCHIVE_BUCKET: "b", ARCHIVE_PREFIX: "p" })).to.throw(
      'ARCHIVE_PREFIX must be a key prefix ending with /, got "p"',
    );
    expect(() => archiverOptionsFromEnv({ ARCHIVE_BUCKET: "b", ARCHIVE_PREFIX: "p/", ARCHIVE_COMPRESSION: "zstd" })).to.throw(
      'ARCHIVE_COMPRESSION must be gzip or none, got "zstd"',
    );
  });
});
