import { expect } from "chai";
import type { KinesisStreamEvent } from "aws-lambda";
import {
  createBatchedConsumer,
  MemoryIdempotencyStore,
  OversizeRecordError,
  PermanentRecordError,
  type BatchedConsumerOptions,
  type ChunkProcessor,
  type ConsumerRecord,
} from "../../handlers/lib/consumer";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { InMemoryKinesisEvents, sequenceNumbers, type PlainEntry } from "./consumer-fixtures";

const entry = (partitionKey: string, data: string): PlainEntry => ({ partitionKey, data });
const text = (record: ConsumerRecord): string => record.data.toString("utf8");
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A batched consumer with captured log lines and no idempotency unless a store is given. */
function batchedUnderTest(deliver: ChunkProcessor, options: Partial<BatchedConsumerOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const handler = createBatchedConsumer(deliver, {
    maxRecords: 10,
    maxBytes: 1_000,
    idempotency: "none",
    writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    ...options,
  });
  return { handler, lines };
}

describe("batched consumer runtime: requests of a batch API, per-record answers", () => {
  const source = new InMemoryKinesisEvents();
  let event25: KinesisStreamEvent;
  before(async () => {
    // 25 records over 5 keys, "k0:0" … "k4:24": key = i mod 5.
    event25 = await source.eventOf(Array.from({ length: 25 }, (_, i) => entry(`k${i % 5}`, `r${i}`)));
  });

  it("cuts the batch into requests of at most maxRecords, in sequence order, and acknowledges all", async () => {
    const requests: string[][] = [];
    const { handler, lines } = batchedUnderTest(async (records) => void requests.push(records.map(text)), { concurrency: 1 });
    expect(await handler(event25)).to.deep.equal({ batchItemFailures: [] });
    expect(requests.map((r) => r.length)).to.deep.equal([10, 10, 5]);
    expect(requests.flat()).to.deep.equal(Array.from({ length: 25 }, (_, i) => `r${i}`));
    expect(lines.at(-1)).to.include({ Records: 25, FailedRecords: 0, SkippedRecords: 0 });
  });

  it("keeps each request within maxBytes as sizeOf counts it", async () => {
    const requests: number[] = [];
    const { handler } = batchedUnderTest(async (records) => void requests.push(records.length), {
      maxRecords: 500,
      maxBytes: 30,
      sizeOf: () => 7, // 4 records per request
      concurrency: 1,
    });
    await handler(event25);
    expect(requests).to.deep.equal([4, 4, 4, 4, 4, 4, 1]);
  });

  it("ends a request early where splitBetween says so", async () => {
    const requests: string[][] = [];
    const { handler } = batchedUnderTest(async (records) => void requests.push(records.map(text)), {
      concurrency: 1,
      splitBetween: (previous) => text(previous) === "r2",
    });
    await handler(event25);
    expect(requests.map((r) => r.length)).to.deep.equal([3, 10, 10, 2]);
  });

  it("never has two requests holding the same partition key in flight, and keeps each key's order", async () => {
    // Keys a (records 0-9), b (10-19), then a again (20-29): with maxRecords 10 the third request waits for the first.
    const event = await source.eventOf([
      ...Array.from({ length: 10 }, (_, i) => entry("a", `a${i}`)),
      ...Array.from({ length: 10 }, (_, i) => entry("b", `b${i}`)),
      ...Array.from({ length: 10 }, (_, i) => entry("a", `a${10 + i}`)),
    ]);
    const log: string[] = [];
    const { handler } = batchedUnderTest(
      async (records) => {
        const name = text(records[0]!);
        log.push(`start ${name}`);
        await tick(name === "a0" ? 40 : 5);
        log.push(`end ${name}`);
      },
      { concurrency: 3 },
    );
    await handler(event);
    // b0's request runs beside a0's; a10's starts only after a0's ended.
    expect(log.indexOf("start b0")).to.be.lessThan(log.indexOf("end a0"));
    expect(log.indexOf("start a10")).to.be.greaterThan(log.indexOf("end a0"));
  });

  it("fails only the records the target refused, sends the other keys' later records (not the refused key's), and the retry sends only what was refused or held back", async () => {
    const store = new MemoryIdempotencyStore();
    const sent: string[] = [];
    let refuse = true;
    const deliver: ChunkProcessor = async (records) => {
      sent.push(...records.map(text));
      // The first request refuses its 4th record (r3) once.
      const index = records.findIndex((r) => text(r) === "r3");
      return { failed: refuse && index >= 0 ? [{ index, error: new Error("refused by the target") }] : [] };
    };
    const { handler, lines } = batchedUnderTest(deliver, { idempotency: store, concurrency: 1 });
    const first = await handler(event25);
    expect(first).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event25)[3] }] });
    // k3's later records (r13, r18, r23) wait for the retry; r8 was in r3's request, which the target applied.
    const heldBack = ["r13", "r18", "r23"];
    expect(sent).to.deep.equal(Array.from({ length: 25 }, (_, i) => `r${i}`).filter((r) => !heldBack.includes(r)));
    expect(lines.find((l) => l.level === "error")).to.include({ sequenceNumber: sequenceNumbers(event25)[3], partitionKey: "k3" });

    // Lambda redelivers from r3: everything the target took is skipped; r3 and k3's held-back records are sent.
    refuse = false;
    sent.length = 0;
    const retry: KinesisStreamEvent = { Records: event25.Records.slice(3) };
    expect(await handler(retry)).to.deep.equal({ batchItemFailures: [] });
    expect(sent).to.deep.equal(["r3", ...heldBack]);
    expect(lines.at(-1)).to.include({ SkippedDuplicates: 18 });
  });

  it("fails every record of a request that threw, and none is recorded as completed", async () => {
    const store = new MemoryIdempotencyStore();
    const { handler } = batchedUnderTest(
      async () => {
        throw new Error("HTTP 503");
      },
      { idempotency: store, concurrency: 1 },
    );
    expect(await handler(event25)).to.deep.equal({
      batchItemFailures: sequenceNumbers(event25)
        .slice(0, 10)
        .map((s) => ({ itemIdentifier: s })),
    });
    const keys = event25.Records.map((r) => `${r.eventID.split(":")[0]}:${r.kinesis.sequenceNumber}:0`);
    expect((await store.completed(keys)).size).to.equal(0);
  });

  it("isolates a record over maxBytes (OversizeRecordError naming the limit) and delivers the records before and after it", async () => {
    const event = await source.eventOf([entry("a", "small-1"), entry("b", "x".repeat(50)), entry("c", "small-2")]);
    const sent: string[] = [];
    const isolated: KinesisOnFailureRecord[] = [];
    const { handler, lines } = batchedUnderTest(async (records) => void sent.push(...records.map(text)), {
      maxBytes: 20,
      concurrency: 1,
      onFailureDestination: async (body) => (isolated.push(JSON.parse(body) as KinesisOnFailureRecord), "m-1"),
    });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(sent).to.deep.equal(["small-1", "small-2"]);
    expect(
      isolated.map((r) => [r.requestContext.condition, r.KinesisBatchInfo.startSequenceNumber, r.KinesisBatchInfo.batchSize]),
    ).to.deep.equal([["RecordFailedPermanently", sequenceNumbers(event)[1], 1]]);
    expect(isolated[0]!.kinesisIngest!.reason).to.match(/^OversizeRecordError: .*over the limit of 20 bytes per request/);
    const line = lines.find((l) => l.message === "Poison record isolated to the on-failure queue")!;
    expect(line.error).to.include({ name: "OversizeRecordError", recordBytes: 50, maxBytes: 20, retriable: false });
    expect(new OversizeRecordError(50, 20)).to.be.instanceOf(PermanentRecordError);
  });

  it("fails a record over maxBytes when it cannot be isolated (no on-failure queue), and sends nothing after it without a store", async () => {
    const event = await source.eventOf([entry("a", "small-1"), entry("b", "x".repeat(50)), entry("c", "small-2")]);
    const sent: string[] = [];
    const { handler, lines } = batchedUnderTest(async (records) => void sent.push(...records.map(text)), { maxBytes: 20, concurrency: 1 });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[1] }] });
    expect(sent).to.deep.equal(["small-1"]);
    expect(lines.filter((l) => l.level === "error").map((l) => l.message)).to.deep.equal([
      "Poison record could not be written to the on-failure queue; it fails instead",
      "Record processing failed",
    ]);
  });

  it("with an idempotency store, still sends the records after an oversize one: its retries deliver nothing twice and fail only it", async () => {
    const event = await source.eventOf([entry("a", "small-1"), entry("b", "x".repeat(50)), entry("a", "small-2"), entry("c", "small-3")]);
    const sent: string[] = [];
    const { handler } = batchedUnderTest(async (records) => void sent.push(...records.map(text)), {
      maxBytes: 20,
      concurrency: 1,
      idempotency: new MemoryIdempotencyStore(),
    });
    const oversize = { batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[1] }] };
    expect(await handler(event)).to.deep.equal(oversize);
    expect(sent).to.deep.equal(["small-1", "small-2", "small-3"]);
    // Lambda retries from the oversize record: the ones after it were recorded, so nothing is sent again.
    expect(await handler({ Records: event.Records.slice(1) })).to.deep.equal(oversize);
    expect(sent).to.have.length(3);
  });

  it("fails the whole request when the answer names a record the request did not have", async () => {
    const { handler } = batchedUnderTest(async () => ({ failed: [{ index: 10, error: new Error("x") }] }), { concurrency: 1 });
    const response = await handler(event25);
    expect(response.batchItemFailures).to.have.length(10);
  });

  it("starts no request once the time margin is reached, except the first, and reports the next record as deferred", async () => {
    let left = 10_000;
    const context = { getRemainingTimeInMillis: () => left, awsRequestId: "req-1" } as unknown as import("aws-lambda").Context;
    const sent: number[] = [];
    const { handler, lines } = batchedUnderTest(
      async (records) => {
        sent.push(records.length);
        left = 500; // below the default margin of 1000 ms after the first request
      },
      { concurrency: 1 },
    );
    expect(await handler(event25, context)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event25)[10] }] });
    expect(sent).to.deep.equal([10]);
    expect(lines.at(-1)).to.include({ FailedRecords: 0, SkippedRecords: 15 });
  });

  it("refuses bounds that are not positive integers when the handler is built", () => {
    expect(() => createBatchedConsumer(async () => undefined, { maxRecords: 0, maxBytes: 10 })).to.throw(
      RangeError,
      /maxRecords must be an integer of at least 1, got 0/,
    );
    expect(() => createBatchedConsumer(async () => undefined, { maxRecords: 1, maxBytes: 1.5 })).to.throw(
      RangeError,
      /maxBytes must be an integer of at least 1, got 1.5/,
    );
  });
});
