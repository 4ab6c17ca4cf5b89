/**
 * `redrive --to-file` is an export, not a move: it writes the records and leaves every message in
 * the queue as it was, unless `--delete`. Against kinesalite and fauxqs.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { LOCAL_ACCOUNT, localKinesisClient, localSqsClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { main as redrive } from "../../cli/redrive";
import { readNdjson, runCli } from "./cli-harness";
import { createStream, lambdaOnFailureRecord, putKeyed, type WrittenRecord } from "./support";

const STREAM_ARN = `arn:aws:kinesis:us-east-1:${LOCAL_ACCOUNT}:stream/export`;

describe("redrive --to-file exports without deleting unless --delete (kinesalite + fauxqs)", function () {
  let kinesis: RunningEmulator;
  let sqsEmulator: RunningEmulator;
  let client: KinesisClient;
  let sqs: SQSClient;
  let dir: string;
  let written: WrittenRecord[];
  let queueUrl: string;

  before(async () => {
    [kinesis, sqsEmulator] = await Promise.all([startKinesalite(), startSqs()]);
    client = localKinesisClient(kinesis.endpoint);
    sqs = localSqsClient(sqsEmulator.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "redrive-export-"));
    await createStream(client, "export", 1);
    written = await putKeyed(client, "export", ["a", "b"], 3);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "export-dlq" }))).QueueUrl!;
    const [first, third, fourth, last] = [written[0]!, written[2]!, written[3]!, written.at(-1)!];
    for (const [start, end, size] of [
      [first, third, 3],
      [fourth, last, 3],
    ] as const) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: lambdaOnFailureRecord(STREAM_ARN, first.shardId, start.sequenceNumber, end.sequenceNumber, size),
        }),
      );
    }
  });

  after(async () => {
    client.destroy();
    sqs.destroy();
    await Promise.all([kinesis.stop(), sqsEmulator.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...more: string[]) =>
    runCli(redrive, [
      "--queue",
      queueUrl,
      "--endpoint",
      kinesis.endpoint,
      "--sqs-endpoint",
      sqsEmulator.endpoint,
      "--wait-seconds",
      "0",
      ...more,
    ]);
  /** How many messages are visible and hidden, then the bodies of the visible ones (left visible). */
  const queueState = async () => {
    // Counted first: fauxqs counts a message peeked at with VisibilityTimeout 0 as hidden until the next receive.
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return { counts: attributes.Attributes, bodies: (received.Messages ?? []).map((m) => m.Body).sort() };
  };

  it("writes every record of the ranges and leaves the queue as it was; with --delete it empties it", async () => {
    const before = await queueState();
    expect(before.counts).to.deep.equal({ ApproximateNumberOfMessages: "2", ApproximateNumberOfMessagesNotVisible: "0" });
    expect(before.bodies).to.have.length(2);
    const file = path.join(dir, "export.ndjson");
    const exported = await run("--to-file", file);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(readNdjson(file).map((l) => l.sequenceNumber)).to.deep.equal(written.map((w) => w.sequenceNumber));
    const summary = JSON.parse(exported.stdout.trim().split("\n").at(-1)!) as { summary: Record<string, unknown> };
    expect(summary.summary).to.include({ messages: 2, exported: 2, redriven: 0, deleted: 0, records: written.length });
    expect(await queueState()).to.deep.equal(before);

    const help = await runCli(redrive, ["--help"]);
    expect(help.stdout).to.match(/--to-file PATH +append the records as NDJSON: an export, every message is kept unless --delete/);
    const refused = await run("--to-file", file, "--delete-expired");
    expect([refused.code, refused.stderr.split("\n")[0]]).to.deep.equal([
      64,
      "kinesis-ingest redrive: --to-file deletes no message unless --delete: give --delete with --delete-expired.",
    ]);

    const moved = await run("--to-file", path.join(dir, "moved.ndjson"), "--delete");
    expect(moved.code, moved.stderr).to.equal(0);
    expect(JSON.parse(moved.stdout.trim().split("\n").at(-1)!).summary).to.include({ messages: 2, redriven: 2, deleted: 2 });
    expect(await queueState()).to.deep.equal({
      counts: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" },
      bodies: [],
    });
  });
});
