/**
 * What the fan-out consumers do when a target refuses (aws-sdk-client-mock: partial answers and throttling
 * have no emulator): per-entry failures (SQS and SNS `Failed[]` by Id, EventBridge `FailedEntryCount` and
 * `Entries[i].ErrorCode`) fail exactly those records and a redelivery sends only them; throttled entries
 * are sent again alone, with backoff, within the function's remaining time; access denied fails the
 * request without a retry (SendMessageBatch, PublishBatch, PutEvents pages; AWS SDK retry behavior).
 */
import { expect } from "chai";
import type { Context, KinesisStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createEventBridgeHandler } from "../../handlers/eventbridge";
import { MemoryIdempotencyStore } from "../../handlers/lib/consumer";
import { createSnsHandler } from "../../handlers/sns";
import { createSqsHandler } from "../../handlers/sqs";
import { InMemoryKinesisEvents, sequenceNumbers } from "./consumer-fixtures";

const credentials = { accessKeyId: "x", secretAccessKey: "x" };
const instant = { sleep: async () => undefined, random: () => 0.5 };
const quiet = { writeLine: () => undefined };

/** A Lambda context with `remainingMs` left. */
const contextWith = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs, awsRequestId: "r" }) as unknown as Context;

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: "client", $metadata: { httpStatusCode: status } });
}

describe("fan-out consumers when the target refuses", () => {
  let event: KinesisStreamEvent;
  before(async () => {
    event = await new InMemoryKinesisEvents().eventOf(Array.from({ length: 5 }, (_, i) => ({ partitionKey: `k${i}`, data: `{"n":${i}}` })));
  });
  const seq = (i: number) => event.Records[i]!.kinesis.sequenceNumber;

  it("sqs: entries refused in Failed[] fail alone; the redelivery sends only them (the rest were recorded completed)", async () => {
    const sqs = mockClient(SQSClient);
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: "3", Code: "InvalidParameterValue", SenderFault: true, Message: "no" }] })
      .resolves({ Successful: [], Failed: [] });
    const handler = createSqsHandler(
      { client: new SQSClient({ region: "eu-west-1", credentials }), queueUrl: "https://sqs/q", fifo: false },
      { retry: instant, consumer: { ...quiet, idempotency: new MemoryIdempotencyStore() } },
    );
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seq(3) }] });
    expect(sqs.commandCalls(SendMessageBatchCommand)).to.have.length(1); // a permanent refusal is not retried
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).to.have.length(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => [e.Id, e.MessageBody])).to.deep.equal([["0", '{"n":3}']]);
    sqs.restore();
  });

  it("sns: entries refused as Throttled are sent again alone after a backoff; the others only once", async () => {
    const sns = mockClient(SNSClient);
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: "1", Code: "Throttled", SenderFault: false, Message: "slow down" }] })
      .resolves({ Successful: [], Failed: [] });
    const waits: number[] = [];
    const handler = createSnsHandler(
      { client: new SNSClient({ region: "eu-west-1", credentials }), topicArn: "arn:aws:sns:eu-west-1:123456789012:t", fifo: false },
      { retry: { ...instant, sleep: async (ms) => void waits.push(ms) }, consumer: { ...quiet, idempotency: "none" } },
    );
    expect(await handler(event, contextWith(30_000))).to.deep.equal({ batchItemFailures: [] });
    const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries!.map((e) => e.Message));
    expect(calls).to.deep.equal([['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'], ['{"n":1}']]);
    expect(waits).to.deep.equal([50]); // full jitter: 0.5 × min(5000, 100 × 2^0)
    sns.restore();
  });

  it("sns: throttling that outlasts the function's remaining time fails the throttled records, not retried past it", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishBatchCommand).rejects(awsError("ThrottledException", 400));
    const handler = createSnsHandler(
      {
        client: new SNSClient({ region: "eu-west-1", credentials, maxAttempts: 1 }),
        topicArn: "arn:aws:sns:eu-west-1:123456789012:t",
        fifo: false,
      },
      { retry: instant, consumer: { ...quiet, idempotency: "none", timeMarginMs: 100 } },
    );
    // 1,020 ms left: the first retry's wait (≤ 50 ms) would leave less than the 1,000 ms reserve after it.
    expect(await handler(event, contextWith(1_020))).to.deep.equal({
      batchItemFailures: sequenceNumbers(event).map((itemIdentifier) => ({ itemIdentifier })),
    });
    expect(sns.commandCalls(PublishBatchCommand)).to.have.length(1);
    sns.restore();
  });

  it("eventbridge: an entry failing with ThrottlingException is retried, one with MalformedDetail fails (FailedEntryCount/Entries)", async () => {
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: "e0" },
          { ErrorCode: "ThrottlingException", ErrorMessage: "rate" },
          { EventId: "e2" },
          { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
          { EventId: "e4" },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e1" }] });
    const handler = createEventBridgeHandler(
      { client: new EventBridgeClient({ region: "eu-west-1", credentials }), eventBusName: "b", source: "s", detailType: "d" },
      { retry: instant, consumer: { ...quiet, idempotency: "none" } },
    );
    expect(await handler(event, contextWith(30_000))).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seq(3) }] });
    const details = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.map((e: PutEventsRequestEntry) => e.Detail));
    expect(details).to.deep.equal([['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'], ['{"n":1}']]);
    eb.restore();
  });

  it("eventbridge: a thrown ThrottlingException sends the request again; AccessDeniedException fails it at once", async () => {
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand).rejectsOnce(awsError("ThrottlingException", 400)).resolves({ FailedEntryCount: 0, Entries: [] });
    const client = new EventBridgeClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    const options = { retry: instant, consumer: { ...quiet, idempotency: "none" as const } };
    const handler = createEventBridgeHandler({ client, eventBusName: "b", source: "s", detailType: "d" }, options);
    expect(await handler(event, contextWith(30_000))).to.deep.equal({ batchItemFailures: [] });
    expect(eb.commandCalls(PutEventsCommand)).to.have.length(2);
    eb.reset();
    eb.on(PutEventsCommand).rejects(awsError("AccessDeniedException", 400));
    expect(await handler(event, contextWith(30_000))).to.deep.equal({
      batchItemFailures: sequenceNumbers(event).map((itemIdentifier) => ({ itemIdentifier })),
    });
    expect(eb.commandCalls(PutEventsCommand)).to.have.length(1);
    eb.restore();
  });
});
