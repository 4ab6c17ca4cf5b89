/**
 * The in-memory Kinesis events the consumer unit tests use have the shape of those read back from kinesalite
 * (the event source mapping's event: "Using Lambda with Kinesis", the Kinesis event example): the same
 * fields and types, `eventID` `<shardId>:<sequenceNumber>`, sequence numbers of Kinesis's form increasing in
 * write order, and the data bytes unchanged, KPL aggregates included.
 */
import { expect } from "chai";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import { InMemoryKinesisEvents, KinesisEventSource, type StreamEntry } from "./consumer-fixtures";

const ENTRIES: StreamEntry[] = [
  { partitionKey: "a", data: '{"n":1}' },
  { partitionKey: "b", data: Buffer.from([0, 255, 1]) },
  {
    aggregate: [
      { partitionKey: "c", data: "x" },
      { partitionKey: "d", data: "y" },
    ],
  },
];

/** Each value replaced by its type, recursively: what the two events must share. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

function withoutStreamName(record: KinesisStreamRecord): unknown {
  const { eventSourceARN, eventID, kinesis, ...rest } = record;
  // The arrival time and the sequence number differ by nature; the third test holds the numbers' form.
  const content = { ...kinesis, approximateArrivalTimestamp: undefined, sequenceNumber: undefined };
  return { ...rest, kinesis: content, arn: eventSourceARN.replace(/stream\/.*$/, "stream/"), id: eventID.split(":")[0] };
}

describe("consumer fixtures: in-memory Kinesis events match kinesalite's", function () {
  this.timeout(30_000);
  let kinesalite: KinesisEventSource;
  let real: KinesisStreamEvent;
  let memory: KinesisStreamEvent;
  before(async () => {
    kinesalite = await KinesisEventSource.start();
    real = await kinesalite.eventOf(ENTRIES);
    memory = await new InMemoryKinesisEvents().eventOf(ENTRIES);
  });
  after(async () => kinesalite?.stop());

  it("has the same fields and types", () => {
    expect(shapeOf(memory)).to.deep.equal(shapeOf(real));
  });

  it("carries the same records: data, keys, event source, region, ids' shard", () => {
    expect(memory.Records.map(withoutStreamName)).to.deep.equal(real.Records.map(withoutStreamName));
  });

  it("numbers records as Kinesis does: 56 digits, increasing, in the eventID after the shard id", () => {
    for (const event of [real, memory]) {
      const numbers = event.Records.map((r) => r.kinesis.sequenceNumber);
      for (const n of numbers) expect(n).to.match(/^\d{56}$/);
      expect(numbers.map(BigInt)).to.deep.equal([...numbers.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(event.Records.map((r) => r.eventID)).to.deep.equal(
        event.Records.map((r) => `shardId-000000000000:${r.kinesis.sequenceNumber}`),
      );
    }
  });
});
