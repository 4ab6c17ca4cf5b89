/**
 * A redrive run ends, even when messages show again: with a visibility timeout shorter than a message's redrive, the
 * message shows again while the run goes on; it is not redriven again, each outcome is reported as it
 * happens, and the run stops once the queue shows nothing new. Against kinesalite and fauxqs.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_ACCOUNT, localKinesisClient, localSqsClient, startKinesalite, startSqs, type RunningEmulator } from "../../local/emulators";
import { runRedrive } from "../../replay/redrive";
import type { ReplayTarget } from "../../replay/targets/target";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { createStream, putKeyed, type WrittenRecord } from "./support";

const STREAM_ARN = `arn:aws:kinesis:us-east-1:${LOCAL_ACCOUNT}:stream/bounded`;

function onFailureRecord(record: WrittenRecord): string {
  const body: KinesisOnFailureRecord = {
    requestContext: {
      requestId: "r-1",
      functionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:consumer`,
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    version: "1.0",
    timestamp: "2024-05-01T00:00:00.000Z",
    KinesisBatchInfo: {
      shardId: record.shardId,
      startSequenceNumber: record.sequenceNumber,
      endSequenceNumber: record.sequenceNumber,
      approximateArrivalOfFirstRecord: "2024-05-01T00:00:00.000Z",
      approximateArrivalOfLastRecord: "2024-05-01T00:00:00.000Z",
      batchSize: 1,
      streamArn: STREAM_ARN,
    },
  };
  return JSON.stringify(body);
}

describe("redrive with a visibility timeout shorter than a redrive (kinesalite + fauxqs)", function () {
  this.timeout(30_000);
  let kinesis: RunningEmulator;
  let sqsEmulator: RunningEmulator;
  let client: KinesisClient;
  let sqs: SQSClient;
  let written: WrittenRecord[];

  before(async () => {
    [kinesis, sqsEmulator] = await Promise.all([startKinesalite(), startSqs()]);
    client = localKinesisClient(kinesis.endpoint);
    sqs = localSqsClient(sqsEmulator.endpoint);
    await createStream(client, "bounded", 1);
    written = await putKeyed(client, "bounded", ["a", "b"], 1);
  });
  after(async () => {
    client.destroy();
    sqs.destroy();
    await Promise.all([kinesis.stop(), sqsEmulator.stop()]);
  });

  it("redrives each message once, streams each outcome before the next message starts, and ends", async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bounded-dlq" }))).QueueUrl as string;
    for (const record of written) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: onFailureRecord(record) }));
    const events: string[] = [];
    // The downstream still rejects everything, and each delivery takes longer than the 1 s visibility timeout.
    const rejecting = (): ReplayTarget => ({
      description: "rejecting",
      async deliver(records) {
        events.push(`deliver ${records[0]?.sequenceNumber}`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return { failed: records, reason: "still rejected" };
      },
      close: async () => undefined,
    });
    const started = Date.now();
    const outcomes = await runRedrive({
      sqs,
      kinesis: client,
      queueUrl,
      targetFor: rejecting,
      visibilityTimeoutSeconds: 1,
      waitSeconds: 1,
      maxMessages: 6, // only a bound for the code before the fix, which redrove the same messages forever
      onOutcome: (outcome) => events.push(`outcome ${outcome.pointer?.startSequenceNumber}`),
    });
    const [first, second] = written.map((record) => record.sequenceNumber).sort();
    expect(outcomes.map((o) => [o.status, o.deleted, o.pointer?.startSequenceNumber]).sort()).to.deep.equal([
      ["failed", false, first],
      ["failed", false, second],
    ]);
    expect(new Set(outcomes.map((o) => o.messageId)).size).to.equal(2);
    expect(events).to.have.length(4);
    expect(events.map((e) => e.split(" ")[0])).to.deep.equal(["deliver", "outcome", "deliver", "outcome"]);
    expect(events[0]?.split(" ")[1]).to.equal(events[1]?.split(" ")[1]);
    expect(Date.now() - started).to.be.below(10_000);
    // Both kept, and visible again for the next run.
    const visible = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(visible.Attributes?.ApproximateNumberOfMessages).to.equal("2");
  });
});
