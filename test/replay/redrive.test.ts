/** `kinesis-ingest redrive` against kinesalite and fauxqs: exact ranges, batchItemFailures, expiry, deletion. */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_ACCOUNT, localKinesisClient, localSqsClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { main as redrive } from "../../cli/redrive";
import { runCli, readNdjson } from "./cli-harness";
import { createStream, lambdaOnFailureRecord, putKeyed, startTestFunctions, type TestFunctionServer, type WrittenRecord } from "./support";
import { listShards, listShardsWith } from "../../semantics/list-shards";

const STREAM_ARN = `arn:aws:kinesis:us-east-1:${LOCAL_ACCOUNT}:stream/events`;

const onFailureRecord = (shardId: string, start: string, end: string, batchSize: number) =>
  lambdaOnFailureRecord(STREAM_ARN, shardId, start, end, batchSize);

describe("kinesis-ingest redrive (kinesalite + fauxqs)", function () {
  let kinesis: RunningEmulator;
  let sqsEmulator: RunningEmulator;
  let client: KinesisClient;
  let sqs: SQSClient;
  let functions: TestFunctionServer;
  let dir: string;
  let queueUrl: string;
  let byShard: Map<string, WrittenRecord[]>;
  const seenOnce = new Set<string>();
  /** Records the consumer accepted: those before the lowest record it reported in each invocation. */
  const accepted = new Set<string>();

  before(async () => {
    [kinesis, sqsEmulator] = await Promise.all([startKinesalite(), startSqs()]);
    client = localKinesisClient(kinesis.endpoint);
    sqs = localSqsClient(sqsEmulator.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "redrive-test-"));
    await createStream(client, "events", 2);
    const written = await putKeyed(client, "events", ["k1", "k2", "k3", "k4", "k5"], 12);
    byShard = new Map();
    for (const w of written) byShard.set(w.shardId, [...(byShard.get(w.shardId) ?? []), w]);
    // The consumer fails every record with n % 3 == 0 the first time it sees it (as when the mapping gave up).
    functions = await startTestFunctions((name, event) => {
      if (name === "always-failing")
        return { payload: { batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }] } };
      if (name !== "consumer") return undefined;
      const failing = event.Records.filter((r) => {
        const { n } = JSON.parse(Buffer.from(r.kinesis.data, "base64").toString()) as { n: number };
        return n % 3 === 0 && !seenOnce.has(r.kinesis.sequenceNumber);
      });
      failing.forEach((r) => seenOnce.add(r.kinesis.sequenceNumber));
      const cut = failing.length === 0 ? event.Records.length : event.Records.indexOf(failing[0]!);
      event.Records.slice(0, cut).forEach((r) => accepted.add(r.kinesis.sequenceNumber));
      return { payload: { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) } };
    });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "events-consumer-dlq" }))).QueueUrl as string;
  });

  after(async () => {
    client.destroy();
    sqs.destroy();
    await functions.stop();
    await Promise.all([kinesis.stop(), sqsEmulator.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const flags = () => [
    "--queue",
    queueUrl,
    "--endpoint",
    kinesis.endpoint,
    "--sqs-endpoint",
    sqsEmulator.endpoint,
    "--lambda-endpoint",
    functions.endpoint,
    "--wait-seconds",
    "0",
  ];
  const visibleMessages = async () =>
    Number(
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
        ?.ApproximateNumberOfMessages,
    );
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("redrives exact ranges, honours batchItemFailures, reports expired ranges and keeps their messages", async () => {
    const [shardA, shardB] = [...byShard.keys()].sort() as [string, string];
    const a = (byShard.get(shardA) as WrittenRecord[]).slice(3, 20);
    const b = (byShard.get(shardB) as WrittenRecord[]).slice(0, 9);
    const shards = await listShards(listShardsWith(client), "events");
    const trimmedStart = shards.find((s) => s.ShardId === shardA)?.SequenceNumberRange?.StartingSequenceNumber as string;
    const firstOfA = byShard.get(shardA) as WrittenRecord[];
    const bodies = [
      onFailureRecord(shardA, a[0]!.sequenceNumber, a.at(-1)!.sequenceNumber, a.length),
      onFailureRecord(shardB, b[0]!.sequenceNumber, b.at(-1)!.sequenceNumber, b.length),
      // Starts before the oldest record still in the shard: two records of the batch have left the stream.
      onFailureRecord(shardA, trimmedStart, firstOfA[2]!.sequenceNumber, 5),
      // A shard the stream no longer has.
      onFailureRecord(
        "shardId-000000000007",
        "49600000000000000000000000000000000000000000000000000000",
        "49600000000000000000000000000000000000000000000000000001",
        4,
      ),
      "not an on-failure record",
    ];
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

    const dry = await runCli(redrive, [...flags(), "--dry-run"]);
    expect(dry.code, dry.stderr).to.equal(0);
    const listed = lines(dry.stdout);
    expect(listed.at(-1)).to.deep.equal({
      summary: {
        messages: 5,
        redriven: 0,
        narrowed: 0,
        exported: 0,
        expired: 0,
        failed: 0,
        invalid: 1,
        dryRun: true,
        deleted: 0,
        records: a.length + b.length + 3,
        recordOutcomes: { delivered: 0, skipped: 0, isolated: 0, acknowledged: 0, failed: 0 },
        newMessages: 0,
      },
    });
    expect(
      listed
        .slice(0, -1)
        .map((o) => [o.status, o.found ?? null])
        .sort(),
    ).to.deep.equal(
      [
        ["dry-run", a.length],
        ["dry-run", b.length],
        ["dry-run", 3],
        ["dry-run", 0],
        ["invalid", null],
      ].sort(),
    );
    expect(functions.invocations.get("consumer")).to.equal(undefined);
    expect(await visibleMessages()).to.equal(5);

    const run = await runCli(redrive, [...flags(), "--to-function", "consumer", "--batch-size", "10"]);
    expect(run.code).to.equal(3);
    const outcomes = lines(run.stdout);
    expect(outcomes.at(-1)).to.deep.equal({
      summary: {
        messages: 5,
        redriven: 2,
        narrowed: 0,
        exported: 0,
        expired: 2,
        failed: 0,
        invalid: 1,
        dryRun: false,
        deleted: 2,
        records: a.length + b.length + 3,
        // The consumer sends no per-record report: what it took is acknowledged, not known to be delivered.
        recordOutcomes: { delivered: 0, skipped: 0, isolated: 0, acknowledged: a.length + b.length + 3, failed: 0 },
        newMessages: 0,
      },
    });
    const expired = outcomes.filter((o) => o.status === "expired");
    const partly = expired.find((o) => o.found === 3) as {
      reason: string;
      firstFoundSequenceNumber: string;
      pointer: { startSequenceNumber: string };
    };
    expect(partly.reason).to.equal(
      `3 of 5 records are still in the stream, the first from ${firstOfA[0]!.sequenceNumber}: the start is older than the trim horizon`,
    );
    expect(partly.pointer.startSequenceNumber).to.equal(trimmedStart);
    const gone = expired.find((o) => o.found === 0) as { reason: string };
    expect(gone.reason).to.match(/^the range cannot be read any more \(.*ResourceNotFoundException/);
    expect(run.stderr).to.contain(
      `shardId-000000000007 49600000000000000000000000000000000000000000000000000000..49600000000000000000000000000000000000000000000000000001: expired:`,
    );

    // Every record of the two live ranges (and the 3 left of the expired one) was accepted by the consumer.
    for (const event of functions.invocations.get("consumer") as KinesisStreamEvent[])
      expect(event.Records[0]!.eventSourceARN).to.equal(STREAM_ARN);
    const expected = [...a, ...b, ...firstOfA.slice(0, 3)].map((w) => w.sequenceNumber);
    expect([...accepted].sort()).to.deep.equal([...new Set(expected)].sort());
    expect(await visibleMessages()).to.equal(3);

    const cleanup = await runCli(redrive, [...flags(), "--to-file", path.join(dir, "expired.ndjson"), "--delete", "--delete-expired"]);
    expect(lines(cleanup.stdout).at(-1)).to.deep.include({
      summary: {
        messages: 3,
        redriven: 0,
        narrowed: 0,
        exported: 0,
        expired: 2,
        failed: 0,
        invalid: 1,
        dryRun: false,
        deleted: 2,
        records: 3,
        recordOutcomes: { delivered: 3, skipped: 0, isolated: 0, acknowledged: 0, failed: 0 },
        newMessages: 0,
      },
    });
    expect(readNdjson(path.join(dir, "expired.ndjson")).map((l) => l.sequenceNumber)).to.deep.equal(
      firstOfA.slice(0, 3).map((w) => w.sequenceNumber),
    );
    expect(await visibleMessages()).to.equal(1);
  });

  it("narrows a range the consumer still rejects to one message per record, and keeps them when the function is missing", async () => {
    const shardA = [...byShard.keys()].sort()[0]!;
    const range = (byShard.get(shardA) as WrittenRecord[]).slice(0, 4);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: "stubborn-dlq" }))).QueueUrl as string;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: onFailureRecord(shardA, range[0]!.sequenceNumber, range[3]!.sequenceNumber, 4),
      }),
    );
    const args = [
      "--queue",
      url,
      "--endpoint",
      kinesis.endpoint,
      "--sqs-endpoint",
      sqsEmulator.endpoint,
      "--lambda-endpoint",
      functions.endpoint,
      "--wait-seconds",
      "0",
    ];
    const failing = await runCli(redrive, [...args, "--to-function", "always-failing", "--max-retries", "2"]);
    expect(failing.code).to.equal(3);
    const [message, summary] = lines(failing.stdout).filter((line) => !("record" in line));
    // The function sends no report: every record from the one it names is still to be retried, so each fails.
    expect(message).to.include({ status: "narrowed", deleted: true, delivered: 0, failed: 4, found: 4 });
    expect(message!.reason).to.equal(
      `4 records from ${range[0]!.sequenceNumber} still fail: batchItemFailures from ${range[0]!.sequenceNumber} (after 3 invocations)`,
    );
    expect(lines(failing.stdout).filter((line) => "record" in line)).to.have.length(4);
    expect((summary!.summary as { messages: number }).messages, "its own messages are not redriven in the same run").to.equal(1);
    expect(functions.invocations.get("always-failing")).to.have.length(3);
    const run = await runCli(redrive, [...args, "--to-function", "missing-fn"]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("Function not found: missing-fn");
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).to.equal("4");
  });
});
