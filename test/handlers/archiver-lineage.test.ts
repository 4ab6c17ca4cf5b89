/**
 * The archiver records each object's shard lineage (kinesalite, fauxqs S3): the `parent-shards` metadata
 * holds the ParentShardId and AdjacentParentShardId ListShards gives the batch's shard ("none" for a shard
 * no reshard made). ListShards is asked once per container and again only for a shard it did not list; when
 * it fails, the batch fails and nothing is written (aws-sdk-client-mock: kinesalite does not throttle it).
 */
import { expect } from "chai";
import type { KinesisStreamEvent } from "aws-lambda";
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  LimitExceededException,
  ListShardsCommand,
  SplitShardCommand,
} from "@aws-sdk/client-kinesis";
import { mockClient } from "aws-sdk-client-mock";
import { createArchiverHandler } from "../../handlers/archiver";
import { ShardLineage, streamNameOf } from "../../handlers/lib/archive/lineage";
import type { ListShardsCall } from "../../semantics/list-shards";
import { localS3Client, startSqs, type RunningEmulator } from "../../local/emulators";
import { KinesisEventSource } from "./consumer-fixtures";

/** The event as if its records had been read from `shardId` of the same stream. */
function fromShard(event: KinesisStreamEvent, shardId: string): KinesisStreamEvent {
  return { Records: event.Records.map((r) => ({ ...r, eventID: `${shardId}:${r.kinesis.sequenceNumber}` })) };
}

describe("archiver: each object names its shard's parents (kinesalite, fauxqs S3)", function () {
  this.timeout(20_000);
  let source: KinesisEventSource;
  let emulator: RunningEmulator;
  let s3: S3Client;
  let buckets = 0;

  before(async () => {
    [source, emulator] = await Promise.all([KinesisEventSource.start(), startSqs()]);
    s3 = localS3Client(emulator.endpoint);
  });
  after(async () => {
    s3.destroy();
    await Promise.all([source.stop(), emulator.stop()]);
  });

  async function archive(event: KinesisStreamEvent, kinesis: KinesisClient = source.client) {
    const bucket = `lineage-${++buckets}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const lines: Array<Record<string, unknown>> = [];
    const handler = createArchiverHandler({
      bucket,
      prefix: "a/",
      s3,
      kinesis,
      consumer: { idempotency: "none", writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const response = await handler(event);
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
    const metadata = await Promise.all(keys.map(async (Key) => (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))).Metadata));
    return { response, keys, metadata, lines };
  }

  it("Kinesis 'ListShards': an original shard has no parent, so its objects say none", async () => {
    const { response, metadata } = await archive(await source.eventOf([{ partitionKey: "k", data: "a" }]));
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(metadata).to.deep.equal([{ "parent-shards": "none" }]);
  });

  it("Kinesis 'SplitShard': a child shard's object names the shard it was split from", async () => {
    const event = await source.eventOf([{ partitionKey: "k", data: "a" }]);
    const streamName = streamNameOf(event.Records[0]!.eventSourceARN);
    await source.client.send(
      new SplitShardCommand({ StreamName: streamName, ShardToSplit: "shardId-000000000000", NewStartingHashKey: (2n ** 127n).toString() }),
    );
    // The children are listed once the split is done and the stream is ACTIVE again.
    while (
      (await source.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus !==
      "ACTIVE"
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    const { metadata, keys } = await archive(fromShard(event, "shardId-000000000002"));
    expect(keys[0]).to.match(/\/shardId-000000000002-/);
    expect(metadata).to.deep.equal([{ "parent-shards": "shardId-000000000000" }]);
  });

  it("a ListShards failure fails every record and writes nothing; the retry archives them", async () => {
    const event = await source.eventOf([
      { partitionKey: "k1", data: "a" },
      { partitionKey: "k2", data: "b" },
    ]);
    const kinesis = new KinesisClient({ region: "us-east-1" });
    const mock = mockClient(kinesis);
    mock.on(ListShardsCommand).rejects(new LimitExceededException({ message: "Rate exceeded for stream", $metadata: {} }));
    const failed = await archive(event, kinesis);
    expect(failed.response.batchItemFailures).to.deep.equal(event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })));
    expect(failed.keys).to.deep.equal([]);
    expect(failed.lines.find((l) => l.message === "Record processing failed")?.error).to.include({
      name: "ShardLineageError",
      kinesisError: "LimitExceededException",
      shardId: "shardId-000000000000",
    });
    mock.restore();
    expect((await archive(event)).metadata).to.deep.equal([{ "parent-shards": "none" }]);
  });
});

describe("archiver: ShardLineage", () => {
  const ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/orders";
  const listing = (shards: Array<{ ShardId: string; ParentShardId?: string; AdjacentParentShardId?: string }>) => {
    const calls: unknown[] = [];
    const call: ListShardsCall = async (request) => {
      calls.push(request);
      return { Shards: shards };
    };
    return { call, calls, shards };
  };

  it("lists the stream once for every shard it knows, and again only for a shard it did not list", async () => {
    const { call, calls, shards } = listing([{ ShardId: "shardId-000000000000" }]);
    const lineage = new ShardLineage(call);
    expect(await lineage.parentsOf(ARN, "shardId-000000000000")).to.deep.equal([]);
    expect(await lineage.parentsOf(ARN, "shardId-000000000000")).to.deep.equal([]);
    expect(calls).to.deep.equal([{ StreamName: "orders" }]);
    shards.push(
      { ShardId: "shardId-000000000001", ParentShardId: "shardId-000000000000" },
      { ShardId: "shardId-000000000003", ParentShardId: "shardId-000000000001", AdjacentParentShardId: "shardId-000000000002" },
    );
    expect(await lineage.parentsOf(ARN, "shardId-000000000003")).to.deep.equal(["shardId-000000000001", "shardId-000000000002"]);
    expect(await lineage.parentsOf(ARN, "shardId-000000000001")).to.deep.equal(["shardId-000000000000"]);
    expect(calls).to.have.length(2);
  });

  it("names the stream and the shard when ListShards does not list it", async () => {
    const lineage = new ShardLineage(listing([{ ShardId: "shardId-000000000000" }]).call);
    await lineage.parentsOf(ARN, "shardId-000000000009").then(
      () => expect.fail("an unlisted shard has no known parents"),
      (error: Error) =>
        expect(error.message).to.equal(
          "ListShards of stream orders did not name the parents of shardId-000000000009 (Error: the stream's shards do not include it); its records fail and are retried.",
        ),
    );
  });

  it("reads the stream's name from a stream ARN or an enhanced fan-out consumer's ARN, and refuses any other", () => {
    expect(streamNameOf(ARN)).to.equal("orders");
    expect(streamNameOf(`${ARN}/consumer/archive:1700000000`)).to.equal("orders");
    expect(() => streamNameOf("arn:aws:s3:::bucket/prefix/")).to.throw('Not a Kinesis stream ARN: "arn:aws:s3:::bucket/prefix/".');
  });
});
