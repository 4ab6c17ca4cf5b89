/** The Kinesis event builder and the batchItemFailures reader (docs/aws-semantics.md#the-kinesis-event-lambda-receives, #partial-batch-responses). */
import { expect } from "chai";
import { readBatchItemFailures } from "../../semantics/batch-response";
import { EVENT_ENVELOPE_BYTES, kinesisEvent, kinesisEventRecord } from "../../semantics/lambda-event";

const STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
const ROLE = "arn:aws:iam::123456789012:role/consumer-role";

describe("semantics: Lambda Kinesis event", () => {
  const record = {
    shardId: "shardId-000000000003",
    sequenceNumber: "4959",
    partitionKey: "device-7",
    data: Buffer.from("Hello"),
    approximateArrivalTimestamp: new Date(1_545_084_650_987),
  };

  it("Lambda 'Using Lambda with Kinesis' example event: every field, in Lambda's key order", () => {
    const entry = kinesisEventRecord(record, { streamArn: STREAM_ARN, invokeIdentityArn: ROLE });
    expect(entry).to.deep.equal({
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: "device-7",
        sequenceNumber: "4959",
        data: "SGVsbG8=",
        approximateArrivalTimestamp: 1_545_084_650.987,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: "shardId-000000000003:4959",
      eventName: "aws:kinesis:record",
      invokeIdentityArn: ROLE,
      awsRegion: "eu-west-1",
      eventSourceARN: STREAM_ARN,
    });
    expect(Object.keys(entry)).to.deep.equal([
      "kinesis",
      "eventSource",
      "eventVersion",
      "eventID",
      "eventName",
      "invokeIdentityArn",
      "awsRegion",
      "eventSourceARN",
    ]);
    expect(Object.keys(entry.kinesis)).to.deep.equal([
      "kinesisSchemaVersion",
      "partitionKey",
      "sequenceNumber",
      "data",
      "approximateArrivalTimestamp",
    ]);
  });

  it("takes awsRegion from the source when given, and refuses a stream ARN without a region otherwise", () => {
    expect(kinesisEventRecord(record, { streamArn: STREAM_ARN, invokeIdentityArn: ROLE, region: "us-east-1" }).awsRegion).to.equal(
      "us-east-1",
    );
    expect(() => kinesisEventRecord(record, { streamArn: "arn:aws:kinesis", invokeIdentityArn: ROLE })).to.throw(/has no region/);
  });

  it("wraps the entries as Records; the envelope's size is what a batch adds around them", () => {
    const entry = kinesisEventRecord(record, { streamArn: STREAM_ARN, invokeIdentityArn: ROLE });
    expect(kinesisEvent([entry, entry])).to.deep.equal({ Records: [entry, entry] });
    expect(EVENT_ENVELOPE_BYTES).to.equal(Buffer.byteLength('{"Records":[]}'));
  });
});

describe("semantics: batchItemFailures reader", () => {
  const batch = ["100", "200", "300", "400"];

  it("Lambda 'Reporting batch item failures': a null, empty or non-object response, or an empty list, is success", () => {
    for (const response of [undefined, null, "", "ok", 42, [], {}, { batchItemFailures: null }, { batchItemFailures: [] }]) {
      expect(readBatchItemFailures(response, batch), JSON.stringify(response)).to.deep.equal({ kind: "success" });
    }
  });

  it("Lambda 'Reporting batch item failures': the lowest reported sequence number wins", () => {
    const response = { batchItemFailures: [{ itemIdentifier: "400" }, { itemIdentifier: "200" }, { itemIdentifier: "300" }] };
    expect(readBatchItemFailures(response, batch)).to.deep.equal({ kind: "partial", firstFailedIndex: 1, reported: 3 });
  });

  it("Lambda 'Reporting batch item failures': a null itemIdentifier fails the whole batch", () => {
    expect(readBatchItemFailures({ batchItemFailures: [{ itemIdentifier: null }] }, batch).kind).to.equal("invalid");
  });

  it("Lambda 'Reporting batch item failures': an empty itemIdentifier, a wrong key or a non-list fails the whole batch", () => {
    for (const response of [
      { batchItemFailures: [{ itemIdentifier: "" }] },
      { batchItemFailures: [{ itemId: "200" }] },
      { batchItemFailures: [null] },
      { batchItemFailures: "200" },
    ]) {
      expect(readBatchItemFailures(response, batch).kind, JSON.stringify(response)).to.equal("invalid");
    }
  });

  it("Lambda 'Reporting batch item failures': an itemIdentifier that is not in the batch fails the whole batch", () => {
    expect(readBatchItemFailures({ batchItemFailures: [{ itemIdentifier: "200" }, { itemIdentifier: "999" }] }, batch)).to.deep.equal({
      kind: "invalid",
      reason: "itemIdentifier 999 is not a sequence number of this batch",
    });
  });
});
