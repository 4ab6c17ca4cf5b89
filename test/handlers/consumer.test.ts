import { expect } from "chai";
import type { KinesisStreamEvent } from "aws-lambda";
import {
  ConsumerError,
  createKinesisConsumer,
  InvalidEventError,
  MemoryIdempotencyStore,
  type ConsumerOptions,
  type ConsumerRecord,
  type RecordProcessor,
} from "../../handlers/lib/consumer";
import { InMemoryKinesisEvents, sequenceNumbers, type PlainEntry } from "./consumer-fixtures";

const PINNED_NOW = 1_900_000_000_000;

/** A consumer whose log lines are captured and whose clock is pinned. */
function consumerUnderTest(processRecord: RecordProcessor, concurrency = 10, options: ConsumerOptions = {}) {
  const lines: Record<string, unknown>[] = [];
  const handler = createKinesisConsumer(processRecord, {
    ...options,
    concurrency,
    serviceName: "consumer-test",
    namespace: "kinesis-ingest-test",
    writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    now: () => PINNED_NOW,
  });
  return { handler, lines };
}

const text = (record: ConsumerRecord): string => record.data.toString("utf8");
const entry = (partitionKey: string, data: string): PlainEntry => ({ partitionKey, data });
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("consumer runtime", () => {
  const source = new InMemoryKinesisEvents();

  describe("decoding", () => {
    it("base64-decodes plain records and keeps the stream coordinates of each", async () => {
      const event = await source.eventOf([entry("user-1", '{"n":1}'), { partitionKey: "user-2", data: Buffer.from([0, 255, 1]) }]);
      const seen: ConsumerRecord[] = [];
      const { handler } = consumerUnderTest(async (record) => void seen.push(record));

      const response = await handler(event);

      expect(response).to.deep.equal({ batchItemFailures: [] });
      const [first, second] = event.Records;
      const shardId = first!.eventID.split(":")[0]!;
      expect(shardId).to.equal("shardId-000000000000");
      expect(seen.map((r) => ({ ...pick(r), idempotencyKey: r.idempotencyKey }))).to.deep.equal([
        {
          data: Buffer.from('{"n":1}'),
          partitionKey: "user-1",
          explicitHashKey: undefined,
          sequenceNumber: first!.kinesis.sequenceNumber,
          subSequenceNumber: 0,
          aggregated: false,
          shardId,
          eventSourceARN: first!.eventSourceARN,
          approximateArrivalTimestamp: first!.kinesis.approximateArrivalTimestamp,
          idempotencyKey: `${shardId}:${first!.kinesis.sequenceNumber}:0`,
        },
        {
          data: Buffer.from([0, 255, 1]),
          partitionKey: "user-2",
          explicitHashKey: undefined,
          sequenceNumber: second!.kinesis.sequenceNumber,
          subSequenceNumber: 0,
          aggregated: false,
          shardId,
          eventSourceARN: second!.eventSourceARN,
          approximateArrivalTimestamp: second!.kinesis.approximateArrivalTimestamp,
          idempotencyKey: `${shardId}:${second!.kinesis.sequenceNumber}:0`,
        },
      ]);
    });

    it("de-aggregates KPL aggregates into user records that keep the parent's sequence number", async () => {
      const event = await source.eventOf([
        entry("plain", "p0"),
        { aggregate: [entry("a", "a0"), entry("b", "b0"), entry("a", "a1")] },
        entry("plain", "p1"),
        { aggregate: [entry("c", "c0")] },
      ]);
      const [s0, s1, s2, s3] = sequenceNumbers(event);
      const seen: ConsumerRecord[] = [];
      const { handler, lines } = consumerUnderTest(async (record) => void seen.push(record), 1);

      expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });

      expect(seen.map((r) => [r.partitionKey, text(r), r.sequenceNumber, r.subSequenceNumber, r.aggregated])).to.deep.equal([
        ["plain", "p0", s0, 0, false],
        ["plain", "p1", s2, 0, false],
        ["a", "a0", s1, 0, true],
        ["a", "a1", s1, 2, true],
        ["b", "b0", s1, 1, true],
        ["c", "c0", s3, 0, true],
      ]);
      expect(seen.find((r) => text(r) === "a1")!.idempotencyKey).to.equal(`shardId-000000000000:${s1}:2`);
      expect(lines.at(-1)).to.include({ kinesisRecords: 4, aggregatedRecords: 2, Records: 6 });
    });

    it("takes a record with the KPL magic number but a wrong checksum as a plain record, like the KCL", async () => {
      const forged = Buffer.concat([Buffer.from("f3899ac2", "hex"), Buffer.from("not a protobuf message, no md5 trailer")]);
      const event = await source.eventOf([{ partitionKey: "k", data: forged }]);
      const seen: ConsumerRecord[] = [];
      const { handler } = consumerUnderTest(async (record) => void seen.push(record));

      expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
      expect(seen.map((r) => [r.data, r.aggregated, r.subSequenceNumber])).to.deep.equal([[forged, false, 0]]);
    });
  });

  describe("ordering", () => {
    it("runs one key's records strictly in sequence order while different keys run concurrently, up to the limit", async () => {
      const entries = Array.from({ length: 40 }, (_, i) => entry(`key-${i % 8}`, String(i)));
      const event = await source.eventOf(entries);
      const inFlightByKey = new Map<string, number>();
      const order = new Map<string, number[]>();
      const overlaps: string[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      // Violations are collected, not asserted inside: a throw here would only fail the record.
      const { handler } = consumerUnderTest(async (record) => {
        if (inFlightByKey.get(record.partitionKey)) overlaps.push(text(record));
        inFlightByKey.set(record.partitionKey, 1);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await tick(1 + ((Number(text(record)) * 7) % 5));
        order.set(record.partitionKey, [...(order.get(record.partitionKey) ?? []), Number(text(record))]);
        inFlight--;
        inFlightByKey.set(record.partitionKey, 0);
      }, 3);

      expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });

      expect(overlaps).to.deep.equal([]);
      expect(maxInFlight).to.equal(3);
      for (let k = 0; k < 8; k++) {
        expect(order.get(`key-${k}`)).to.deep.equal([k, k + 8, k + 16, k + 24, k + 32]);
      }
    });
  });

  describe("batchItemFailures", () => {
    // Records A0 B1 A2 B3 C4 D5 (index = position in the batch); concurrency 1 makes the run deterministic:
    // lanes in order of first appearance A, B, C, D.
    const keys = ["A", "B", "A", "B", "C", "D"];
    // With an idempotency store (memory, the default) other keys go on after a failure: the redelivery skips
    // what they completed. With none, nothing at or after the lowest failure starts (it would run twice).
    const cases: { name: string; failing: number[]; concurrency: number; failed: number[]; attempted: number[]; none?: true }[] = [
      { name: "none fails: an empty list", failing: [], concurrency: 1, failed: [], attempted: [0, 2, 1, 3, 4, 5] },
      {
        name: "A2 fails: A's later records are not attempted, other keys' are (memory store)",
        failing: [2],
        concurrency: 1,
        failed: [2],
        attempted: [0, 2, 1, 3, 4, 5],
      },
      {
        name: "A2 fails: A's later records and everything after 2 are not attempted, earlier B1 is (idempotency none)",
        failing: [2],
        concurrency: 1,
        failed: [2],
        attempted: [0, 2, 1],
        none: true,
      },
      {
        name: "the first record fails: other keys go on (memory store)",
        failing: [0],
        concurrency: 1,
        failed: [0],
        attempted: [0, 1, 3, 4, 5],
      },
      {
        name: "the first record fails: nothing else is attempted (idempotency none)",
        failing: [0],
        concurrency: 1,
        failed: [0],
        attempted: [0],
        none: true,
      },
      {
        name: "A2 then B1 fail: both listed, lowest first (memory store)",
        failing: [1, 2],
        concurrency: 1,
        failed: [1, 2],
        attempted: [0, 2, 1, 4, 5],
      },
      {
        name: "A2 then B1 fail: both listed, lowest first (idempotency none)",
        failing: [1, 2],
        concurrency: 1,
        failed: [1, 2],
        attempted: [0, 2, 1],
        none: true,
      },
      { name: "the last record fails: all others succeeded", failing: [5], concurrency: 1, failed: [5], attempted: [0, 2, 1, 3, 4, 5] },
      {
        name: "concurrent keys: every key's first record starts at once, B1 and D5 fail, A goes on (memory store)",
        failing: [1, 5],
        concurrency: 4,
        failed: [1, 5],
        attempted: [0, 1, 4, 5, 2],
      },
      {
        name: "concurrent keys: every key's first record starts at once, B1 and D5 fail (idempotency none)",
        failing: [1, 5],
        concurrency: 4,
        failed: [1, 5],
        attempted: [0, 1, 4, 5],
        none: true,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const event = await source.eventOf(keys.map((key, i) => entry(key, String(i))));
        const attempted: number[] = [];
        const { handler } = consumerUnderTest(
          async (record) => {
            const index = Number(text(record));
            attempted.push(index);
            if (c.failing.includes(index)) throw new Error(`record ${index} refused`);
            await tick(1);
          },
          c.concurrency,
          c.none ? { idempotency: "none" } : { idempotency: new MemoryIdempotencyStore() },
        );

        const response = await handler(event);

        const seqs = sequenceNumbers(event);
        expect(response).to.deep.equal({ batchItemFailures: c.failed.map((i) => ({ itemIdentifier: seqs[i] })) });
        expect(attempted).to.deep.equal(c.attempted);
      });
    }

    it("names a KPL aggregate once, by its own sequence number, when any of its user records fails", async () => {
      const event = await source.eventOf([
        entry("x", "x0"),
        { aggregate: [entry("a", "a0"), entry("b", "b0"), entry("c", "c0")] },
        entry("y", "y0"),
      ]);
      const { handler } = consumerUnderTest(async (record) => {
        if (text(record) === "b0" || text(record) === "c0") throw new Error("refused");
      });

      expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[1] }] });
    });

    it("fails an item for a synchronous throw and for a thrown non-Error", async () => {
      const event = await source.eventOf([entry("a", "0"), entry("b", "1"), entry("c", "2")]);
      const { handler, lines } = consumerUnderTest((record) => {
        // "1" rejects later with a string; "2" throws synchronously while "1" is still running.
        if (text(record) === "1") return tick(1).then(() => Promise.reject("plain string"));
        if (text(record) === "2") throw new Error("sync");
        return undefined;
      });

      const seqs = sequenceNumbers(event);
      expect(await handler(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[1] }, { itemIdentifier: seqs[2] }] });
      expect(lines.filter((l) => l.level === "error").map((l) => l.error)).to.deep.equal([
        { name: "Error", message: "sync" },
        { name: "NonError", message: "plain string" },
      ]);
    });

    it("never processes a record before the checkpoint twice, nor a key's record after its failure (random batches)", async function () {
      this.timeout(20_000);
      let seed = 42;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const event = await source.eventOf(Array.from({ length: 60 }, (_, i) => entry(`key-${i % 7}`, String(i))));
      const seqs = sequenceNumbers(event);
      for (let trial = 0; trial < 30; trial++) {
        const failing = new Set(Array.from({ length: 60 }, (_, i) => i).filter(() => random() < 0.05));
        const delays = Array.from({ length: 60 }, () => Math.floor(random() * 3));
        const attempts = new Map<number, number>();
        const failedKeys = new Set<string>();
        const afterKeyFailure: number[] = [];
        const { handler } = consumerUnderTest(
          async (record) => {
            const index = Number(text(record));
            if (failedKeys.has(record.partitionKey)) afterKeyFailure.push(index);
            attempts.set(index, (attempts.get(index) ?? 0) + 1);
            await tick(delays[index]!);
            if (failing.has(index)) {
              failedKeys.add(record.partitionKey);
              throw new Error(`record ${index} refused`);
            }
          },
          1 + Math.floor(random() * 6),
        );

        const { batchItemFailures } = await handler(event);

        expect(afterKeyFailure, `trial ${trial}`).to.deep.equal([]);
        const reported = batchItemFailures.map((f) => seqs.indexOf(f.itemIdentifier));
        const checkpoint = reported.length === 0 ? 60 : reported[0]!;
        expect(reported, `trial ${trial}`).to.deep.equal([...reported].sort((a, b) => a - b));
        expect(checkpoint, `trial ${trial}`).to.equal(Math.min(60, ...[...attempts.keys()].filter((i) => failing.has(i))));
        for (let i = 0; i < checkpoint; i++) expect(attempts.get(i), `trial ${trial} record ${i}`).to.equal(1);
      }
    });

    it("lets an idempotent processor apply every record exactly once across Lambda's redelivery", async () => {
      const event = await source.eventOf(Array.from({ length: 12 }, (_, i) => entry(`key-${i % 3}`, String(i))));
      const applied = new Map<string, string>();
      let failOnce = true;
      // Idempotent side effect: keyed by the record's idempotency key, a redelivered record changes nothing.
      const { handler } = consumerUnderTest(async (record) => {
        if (text(record) === "4" && failOnce) {
          failOnce = false;
          throw new Error("downstream briefly unavailable");
        }
        await tick(Number(text(record)) % 2);
        if (!applied.has(record.idempotencyKey)) applied.set(record.idempotencyKey, text(record));
      }, 3);

      const first = await handler(event);
      const seqs = sequenceNumbers(event);
      expect(first).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[4] }] });
      // What Lambda does: checkpoint before the lowest failure, redeliver from there.
      const retry: KinesisStreamEvent = { Records: event.Records.slice(seqs.indexOf(first.batchItemFailures[0]!.itemIdentifier)) };
      expect(await handler(retry)).to.deep.equal({ batchItemFailures: [] });

      expect([...applied.values()].map(Number).sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });
  });

  describe("running out of time", () => {
    /** A Lambda context whose remaining time drops by 1,000 ms for every record processed. */
    function clockedContext(startMs: number) {
      let remainingMs = startMs;
      return {
        context: { awsRequestId: "req-t", getRemainingTimeInMillis: () => remainingMs } as never,
        spend: () => (remainingMs -= 1_000),
      };
    }

    it("stops starting records when less than timeMarginMs is left and reports the first one not started", async () => {
      const event = await source.eventOf(Array.from({ length: 8 }, (_, i) => entry(`k${i}`, String(i))));
      const { context, spend } = clockedContext(10_000);
      const attempted: number[] = [];
      const lines: Record<string, unknown>[] = [];
      const handler = createKinesisConsumer(async (record) => void (attempted.push(Number(text(record))), spend()), {
        concurrency: 1,
        timeMarginMs: 5_000,
        writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      });

      const response = await handler(event, context);

      expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[5] }] });
      expect(attempted).to.deep.equal([0, 1, 2, 3, 4]);
      expect(lines.at(-1)).to.include({ level: "info", deferredRecords: 1, FailedRecords: 0, SkippedRecords: 3 });
    });

    it("always attempts the first record, so that every invocation makes progress", async () => {
      const event = await source.eventOf([entry("a", "0"), entry("b", "1")]);
      const { context } = clockedContext(0);
      const attempted: number[] = [];
      const handler = createKinesisConsumer(async (record) => void attempted.push(Number(text(record))), { writeLine: () => undefined });

      expect(await handler(event, context)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[1] }] });
      expect(attempted).to.deep.equal([0]);
    });
  });

  describe("logs and metrics", () => {
    it("prints one EMF summary per batch and one ERROR line per failed record, with the error's log fields", async () => {
      const event = await source.eventOf([entry("a", "0"), entry("b", "1")]);
      event.Records[0]!.kinesis.approximateArrivalTimestamp = (PINNED_NOW - 1_500) / 1000;
      event.Records[1]!.kinesis.approximateArrivalTimestamp = (PINNED_NOW - 250) / 1000;
      const { handler, lines } = consumerUnderTest(async (record) => {
        if (text(record) === "1")
          throw Object.assign(new Error("Downstream answered 503."), { name: "DeliveryError", logFields: { status: 503 } });
      });

      await handler(event, { awsRequestId: "req-1" } as never);

      const seqs = sequenceNumbers(event);
      expect(lines).to.deep.equal([
        {
          timestamp: new Date(PINNED_NOW).toISOString(),
          level: "error",
          message: "Record processing failed",
          service: "consumer-test",
          awsRequestId: "req-1",
          shardId: "shardId-000000000000",
          sequenceNumber: seqs[1],
          subSequenceNumber: 0,
          partitionKey: "b",
          error: { name: "DeliveryError", message: "Downstream answered 503.", status: 503 },
        },
        {
          timestamp: new Date(PINNED_NOW).toISOString(),
          level: "warn",
          message: "Kinesis batch processed",
          service: "consumer-test",
          awsRequestId: "req-1",
          shardId: "shardId-000000000000",
          kinesisRecords: 2,
          aggregatedRecords: 0,
          deferredRecords: 0,
          firstFailedSequenceNumber: seqs[1],
          durationMs: 0,
          _aws: {
            Timestamp: PINNED_NOW,
            CloudWatchMetrics: [
              {
                Namespace: "kinesis-ingest-test",
                Dimensions: [["Service"]],
                Metrics: [
                  { Name: "Records", Unit: "Count" },
                  { Name: "FailedRecords", Unit: "Count" },
                  { Name: "IsolatedRecords", Unit: "Count" },
                  { Name: "SkippedRecords", Unit: "Count" },
                  { Name: "SkippedDuplicates", Unit: "Count" },
                  { Name: "MaxRecordAgeMs", Unit: "Milliseconds" },
                ],
              },
            ],
          },
          Service: "consumer-test",
          Records: 2,
          FailedRecords: 1,
          IsolatedRecords: 0,
          SkippedRecords: 0,
          SkippedDuplicates: 0,
          MaxRecordAgeMs: 1_500,
        },
      ]);
    });

    it("answers an empty batch with an empty list and zero metrics", async () => {
      const { handler, lines } = consumerUnderTest(async () => undefined);
      expect(await handler({ Records: [] })).to.deep.equal({ batchItemFailures: [] });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({
        level: "info",
        Records: 0,
        FailedRecords: 0,
        SkippedRecords: 0,
        SkippedDuplicates: 0,
        MaxRecordAgeMs: 0,
      });
    });
  });

  describe("options", () => {
    it("rejects a negative or non-finite timeMarginMs, naming the value", () => {
      for (const timeMarginMs of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
        expect(() => createKinesisConsumer(async () => undefined, { timeMarginMs })).to.throw(
          RangeError,
          `timeMarginMs must be a number of milliseconds of at least 0, got ${String(timeMarginMs)}.`,
        );
      }
    });

    it("rejects a concurrency that is not a positive integer, naming the value", () => {
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        expect(() => createKinesisConsumer(async () => undefined, { concurrency })).to.throw(
          RangeError,
          `concurrency must be an integer of at least 1, got ${String(concurrency)}.`,
        );
      }
    });

    it("fails the whole invocation for an event without Records", async () => {
      const { handler } = consumerUnderTest(async () => undefined);
      let caught: unknown;
      await handler({} as KinesisStreamEvent).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(InvalidEventError).and.instanceOf(ConsumerError);
    });
  });
});

/** The plain fields of a record (the class's getter is compared separately). */
function pick(r: ConsumerRecord) {
  const {
    data,
    partitionKey,
    explicitHashKey,
    sequenceNumber,
    subSequenceNumber,
    aggregated,
    shardId,
    eventSourceARN,
    approximateArrivalTimestamp,
  } = r;
  return {
    data,
    partitionKey,
    explicitHashKey,
    sequenceNumber,
    subSequenceNumber,
    aggregated,
    shardId,
    eventSourceARN,
    approximateArrivalTimestamp,
  };
}
