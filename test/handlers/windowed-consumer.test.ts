/**
 * The windowed consumer runtime (Lambda developer guide: Using tumbling windows with Kinesis): the response
 * always carries `state`, the state is folded from the record before, the final invocation calls
 * onWindowEnd, partial failures keep the state of the records before the failed one, 1 MB state limit.
 */
import { expect } from "chai";
import type { Context, KinesisStreamRecord } from "aws-lambda";
import { createWindowedConsumer, WindowStateTooLargeError, type KinesisWindowedEvent, type WindowInfo } from "../../handlers/lib/consumer";
import { kplAggregate } from "./consumer-fixtures";

const SHARD = "shardId-000000000000";
const WINDOW = { start: "2026-01-01T00:00:00Z", end: "2026-01-01T00:01:00Z" };

function record(seq: number, data: string | Buffer, partitionKey = "k"): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey,
      sequenceNumber: String(seq),
      data: Buffer.from(data).toString("base64"),
      approximateArrivalTimestamp: 1767225600,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${SHARD}:${seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::000000000000:role/r",
    awsRegion: "us-east-1",
    eventSourceARN: "arn:aws:kinesis:us-east-1:000000000000:stream/s",
  };
}

function event(
  records: KinesisStreamRecord[],
  state: Record<string, unknown>,
  final = false,
  terminatedEarly = false,
): KinesisWindowedEvent {
  return {
    Records: records,
    window: WINDOW,
    state,
    shardId: SHARD,
    isFinalInvokeForWindow: final,
    isWindowTerminatedEarly: terminatedEarly,
  };
}

/** A consumer summing the numbers in the records, failing on "bad", recording what reached onWindowEnd. */
function summing(lines: string[] = []) {
  const ended: Array<[number, WindowInfo]> = [];
  const handler = createWindowedConsumer<number>({
    initialState: () => 0,
    reduce: (sum, r) => {
      const text = r.data.toString("utf8");
      if (text === "bad") throw new Error("not a number");
      return sum + Number(text);
    },
    onWindowEnd: (sum, window) => void ended.push([sum, window]),
    writeLine: (line) => lines.push(line),
    now: () => 1767225601000,
  });
  return { handler, ended };
}

describe("consumer runtime: createWindowedConsumer (Lambda guide: Using tumbling windows with Kinesis)", () => {
  it("starts a window from initialState, returns the state with an empty batchItemFailures, and continues from the state it gets back", async () => {
    const { handler, ended } = summing();
    const first = await handler(event([record(1, "2"), record(2, "3")], {}));
    expect(first).to.deep.equal({ state: { aggregate: 5 }, batchItemFailures: [] });
    const second = await handler(event([record(3, "4")], first.state));
    expect(second).to.deep.equal({ state: { aggregate: 9 }, batchItemFailures: [] });
    expect(ended).to.deep.equal([]);
  });

  it("the final invocation calls onWindowEnd once with the window's state, window and shard, and answers with an empty state", async () => {
    const { handler, ended } = summing();
    const response = await handler(event([], { aggregate: 9 }, true));
    expect(response).to.deep.equal({ state: {}, batchItemFailures: [] });
    expect(ended).to.deep.equal([[9, { ...WINDOW, shardId: SHARD, terminatedEarly: false }]]);
  });

  it("tells onWindowEnd when Lambda ended the window early (isWindowTerminatedEarly)", async () => {
    const { handler, ended } = summing();
    await handler(event([], { aggregate: 1 }, true, true));
    expect(ended).to.deep.equal([[1, { ...WINDOW, shardId: SHARD, terminatedEarly: true }]]);
  });

  it("a failed record: batchItemFailures names it, the state counts exactly the records before it, later ones are not reduced", async () => {
    const lines: string[] = [];
    const { handler } = summing(lines);
    const response = await handler(event([record(1, "2"), record(2, "bad"), record(3, "5")], { aggregate: 10 }));
    expect(response).to.deep.equal({ state: { aggregate: 12 }, batchItemFailures: [{ itemIdentifier: "2" }] });
    const summary = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect([summary.Records, summary.FailedRecords, summary.SkippedRecords, summary.firstFailedSequenceNumber]).to.deep.equal([
      3,
      1,
      1,
      "2",
    ]);
    expect(JSON.parse(lines[0]!)).to.deep.include({ level: "error", message: "Record processing failed", sequenceNumber: "2" });
  });

  it("a failure on the final invocation's own records keeps the window open: no onWindowEnd until the retry succeeds", async () => {
    const { handler, ended } = summing();
    const response = await handler(event([record(7, "bad")], { aggregate: 3 }, true));
    expect(response).to.deep.equal({ state: { aggregate: 3 }, batchItemFailures: [{ itemIdentifier: "7" }] });
    expect(ended).to.deep.equal([]);
  });

  it("a failure inside a KPL aggregate returns the state before the aggregate, which Lambda redelivers whole", async () => {
    const { handler } = summing();
    const aggregate = kplAggregate([
      { partitionKey: "a", data: "1" },
      { partitionKey: "b", data: "bad" },
    ]);
    const response = await handler(event([record(1, "5"), record(2, aggregate.data, aggregate.partitionKey)], {}));
    expect(response).to.deep.equal({ state: { aggregate: 5 }, batchItemFailures: [{ itemIdentifier: "2" }] });
  });

  it("onWindowEnd throwing fails the final invocation, so Lambda retries it", async () => {
    const handler = createWindowedConsumer<number>({
      initialState: () => 0,
      reduce: (s) => s,
      onWindowEnd: () => {
        throw new Error("downstream down");
      },
      writeLine: () => undefined,
    });
    let thrown: unknown;
    await handler(event([], { aggregate: 1 }, true)).catch((error: unknown) => (thrown = error));
    expect((thrown as Error).message).to.equal("downstream down");
  });

  it("refuses a state over 1 MB with a clear error instead of returning it", async () => {
    const handler = createWindowedConsumer<string>({
      initialState: () => "",
      reduce: (s) => s + "x".repeat(1024 * 1024),
      onWindowEnd: () => undefined,
      writeLine: () => undefined,
    });
    let thrown: unknown;
    await handler(event([record(1, "x")], {})).catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(WindowStateTooLargeError);
    expect((thrown as Error).message).to.equal(
      "The window state is 1048592 bytes as JSON; Lambda keeps at most 1048576 bytes per shard. Keep the state bounded (counts, sums, top-N) or shorten the consumer's tumblingWindowSeconds.",
    );
  });

  it("stops before a record when the context runs short of time, reporting it so the work done is kept", async () => {
    const { handler } = summing();
    let left = 3000; // 0 ms left when the second record is due
    const context = { getRemainingTimeInMillis: () => (left -= 3000) } as unknown as Context;
    const response = await handler(event([record(1, "1"), record(2, "2"), record(3, "4")], {}), context);
    expect(response).to.deep.equal({ state: { aggregate: 1 }, batchItemFailures: [{ itemIdentifier: "2" }] });
  });

  it("refuses an event without a window: the mapping has no tumbling window", async () => {
    const { handler } = summing();
    let thrown: unknown;
    await handler({ Records: [] } as unknown as KinesisWindowedEvent).catch((error: unknown) => (thrown = error));
    expect((thrown as Error).message).to.match(/^The event is not a tumbling-window Kinesis event/);
  });
});
