/**
 * redrive and replay with a consumer built on the runtime (`createKinesisConsumer`), served through the
 * Invoke API: a record refused for good is isolated into the queue by the consumer while redrive delivers
 * the rest, the queue then points at it alone, and once it is accepted a redrive delivers it and empties
 * the queue; a replay into the warm consumer reports its records skipped, and `--reprocess` runs them.
 * Against kinesalite and fauxqs.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_ACCOUNT, localKinesisClient, localSqsClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { main as redrive } from "../../cli/redrive";
import { main as replay } from "../../cli/replay";
import { createKinesisConsumer, MemoryIdempotencyStore, PermanentRecordError } from "../../handlers/lib/consumer";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { runCli } from "./cli-harness";
import { createStream, lambdaOnFailureRecord, putKeyed, startTestFunctions, type TestFunctionServer, type WrittenRecord } from "./support";

const STREAM_ARN = `arn:aws:kinesis:us-east-1:${LOCAL_ACCOUNT}:stream/real`;

describe("redrive and replay into a consumer built on the runtime (kinesalite + fauxqs)", function () {
  let kinesis: RunningEmulator;
  let sqsEmulator: RunningEmulator;
  let client: KinesisClient;
  let sqs: SQSClient;
  let functions: TestFunctionServer;
  let queueUrl: string;
  let from: string;
  /** kp0 (refused while `refusing`), kq0 kq1 kq2, kp1 kp2: one shard. */
  let written: WrittenRecord[];
  let refusing = true;
  const delivered: string[] = [];
  const handler = createKinesisConsumer(
    (record) => {
      const { key, n } = JSON.parse(record.data.toString()) as { key: string; n: number };
      if (key === "kp" && n === 0 && refusing) throw new PermanentRecordError("HTTP 400 from the downstream");
      delivered.push(`${key}${n}`);
    },
    {
      idempotency: new MemoryIdempotencyStore(),
      poisonRecords: "isolate",
      onFailureDestination: async (body) => (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))).MessageId!,
      writeLine: () => undefined,
    },
  );

  before(async () => {
    [kinesis, sqsEmulator] = await Promise.all([startKinesalite(), startSqs()]);
    client = localKinesisClient(kinesis.endpoint);
    sqs = localSqsClient(sqsEmulator.endpoint);
    await createStream(client, "real", 1);
    from = new Date(Date.now() - 1000).toISOString();
    written = [
      ...(await putKeyed(client, "real", ["kp"], 1)),
      ...(await putKeyed(client, "real", ["kq"], 3)),
      ...(await putKeyed(client, "real", ["kp"], 2, 1)),
    ];
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "real-dlq" }))).QueueUrl!;
    functions = await startTestFunctions(async (name, event) => (name === "consumer" ? { payload: await handler(event) } : undefined));
  });

  after(async () => {
    client.destroy();
    sqs.destroy();
    await functions.stop();
    await Promise.all([kinesis.stop(), sqsEmulator.stop()]);
  });

  const endpoints = () => ["--endpoint", kinesis.endpoint, "--sqs-endpoint", sqsEmulator.endpoint, "--lambda-endpoint", functions.endpoint];
  const runRedrive = () => runCli(redrive, ["--queue", queueUrl, "--to-function", "consumer", "--wait-seconds", "0", ...endpoints()]);
  const lastLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  const messagesIn = async () =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages ?? [];

  it("redrive delivers every other record while the consumer isolates the refused one, and delivers it once it is accepted", async () => {
    const kp0 = written[0]!;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: lambdaOnFailureRecord(STREAM_ARN, kp0.shardId, kp0.sequenceNumber, written.at(-1)!.sequenceNumber, written.length),
      }),
    );
    const first = await runRedrive();
    expect(first.code, first.stderr).to.equal(3);
    const message = first.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => "status" in line)!;
    expect(message).to.deep.include({ status: "redriven", deleted: true, delivered: 5, isolated: 1, failed: 0 });
    expect(delivered).to.deep.equal(["kq0", "kq1", "kq2", "kp1", "kp2"]);
    const left = await messagesIn();
    expect(left.map((m) => m.MessageId)).to.deep.equal(message.newMessageIds);
    const body = JSON.parse(left[0]!.Body!) as KinesisOnFailureRecord;
    expect(body.KinesisBatchInfo).to.include({
      startSequenceNumber: kp0.sequenceNumber,
      endSequenceNumber: kp0.sequenceNumber,
      batchSize: 1,
    });
    expect(body.kinesisIngest?.idempotencyKey).to.equal(`${kp0.shardId}:${kp0.sequenceNumber}:0`);

    refusing = false;
    const second = await runRedrive();
    expect(second.code, second.stderr).to.equal(0);
    expect(lastLine(second.stdout).summary).to.include({ messages: 1, redriven: 1, deleted: 1, newMessages: 0 });
    expect(delivered.filter((d) => d === "kp0")).to.have.length(1);
    expect(await messagesIn()).to.deep.equal([]);
  });

  it("a replay into the warm consumer reports its records skipped, and --reprocess delivers them again", async () => {
    const args = ["--stream", "real", "--from", from, "--to-function", "consumer", ...endpoints()];
    const again = await runCli(replay, args);
    expect(again.code, again.stderr).to.equal(0);
    expect(lastLine(again.stdout)).to.include({ delivered: 0, skipped: written.length, failed: 0 });
    expect(again.stderr).to.contain("Run the same replay with --reprocess to run them again.");
    const before = delivered.length;
    const reprocessed = await runCli(replay, [...args, "--reprocess"]);
    expect(reprocessed.code, reprocessed.stderr).to.equal(0);
    expect(lastLine(reprocessed.stdout)).to.include({ delivered: written.length, skipped: 0 });
    expect(delivered.slice(before).sort()).to.deep.equal(["kp0", "kp1", "kp2", "kq0", "kq1", "kq2"]);
  });
});
