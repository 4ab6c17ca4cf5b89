/**
 * The consumer runtime with an idempotency store: completed records delivered again are acknowledged
 * without running the processor (SkippedDuplicates), and only records whose processor resolved are ever
 * recorded as completed.
 */
import { expect } from "chai";
import type { Context } from "aws-lambda";
import { MemoryIdempotencyStore, type IdempotencyStore } from "../../handlers/lib/consumer";
import { idempotencyStoreFromEnv } from "../../handlers/lib/idempotency/from-env";
import { consumerUnderTest, eventOf, keyOf, sequenceNumber } from "./support";

/** A store that keeps what it is told and counts its calls. */
class CountingStore implements IdempotencyStore {
  readonly inner = new MemoryIdempotencyStore();
  readonly recorded: string[][] = [];
  lookups = 0;
  async lookup(keys: readonly string[]) {
    this.lookups++;
    return this.inner.lookup(keys);
  }
  async recordFailures(attempts: ReadonlyMap<string, number>) {
    await this.inner.recordFailures(attempts);
  }
  async complete(keys: readonly string[]) {
    this.recorded.push([...keys]);
    await this.inner.complete(keys);
  }
}

describe("consumer runtime: idempotency", () => {
  const savedEnv = { ...process.env };
  afterEach(() => void (process.env = { ...savedEnv }));

  it("by default (IDEMPOTENCY unset: memory) acknowledges a batch delivered again without processing it, counting SkippedDuplicates", async () => {
    delete process.env.IDEMPOTENCY;
    const { handler, processed, summaries } = consumerUnderTest(async () => undefined, {});
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
      ["a", "a2"],
    ]);
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(processed).to.deep.equal(["a0", "b1", "a2"]);
    expect(summaries().map((s) => [s.Records, s.SkippedDuplicates, s.FailedRecords])).to.deep.equal([
      [3, 0, 0],
      [3, 3, 0],
    ]);
  });

  it("after a partial failure, the retry from the lowest failed record processes it and skips the other keys' records that succeeded", async () => {
    let failB = true;
    const store = new CountingStore();
    const { handler, processed, summaries } = consumerUnderTest(
      async (record) => {
        if (record.data.toString() === "b1" && failB) throw new Error("downstream 503");
      },
      { idempotency: store },
    );
    const first = eventOf([
      ["a", "a0"],
      ["b", "b1"],
      ["c", "c2"],
      ["d", "d3"],
    ]);
    expect(await handler(first)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
    failB = false;
    // Lambda checkpoints before the lowest failure and delivers from it again.
    const retry = eventOf(
      [
        ["b", "b1"],
        ["c", "c2"],
        ["d", "d3"],
      ],
      2,
    );
    expect(await handler(retry)).to.deep.equal({ batchItemFailures: [] });
    expect(processed).to.deep.equal(["a0", "c2", "d3", "b1"]);
    expect(store.recorded).to.deep.equal([[keyOf(1), keyOf(3), keyOf(4)], [keyOf(2)]]);
    expect(store.lookups).to.equal(2);
    expect(summaries().map((s) => [s.SkippedDuplicates, s.FailedRecords])).to.deep.equal([
      [0, 1],
      [2, 0],
    ]);
  });

  it("never records a failed record, nor the records not attempted after it, as completed", async () => {
    const store = new CountingStore();
    let calls = 0;
    const { handler } = consumerUnderTest(
      async (record) => {
        calls++;
        if (record.data.toString() === "a0") throw new Error("poison");
      },
      { idempotency: store, concurrency: 1 },
    );
    const event = eventOf([
      ["a", "a0"],
      ["a", "a1"],
    ]);
    await handler(event);
    await handler(event);
    expect(calls).to.equal(2); // a0 twice; a1 never, as it comes after its key's failure
    expect(store.recorded).to.deep.equal([]);
    expect(await store.inner.completed([keyOf(1), keyOf(2)])).to.deep.equal(new Set());
  });

  it("never records deferred records (no time left) as completed; their redelivery processes them", async () => {
    const store = new CountingStore();
    const { handler, processed } = consumerUnderTest(async () => undefined, { idempotency: store, concurrency: 1, timeMarginMs: 1_000 });
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
    ]);
    const noTime = { getRemainingTimeInMillis: () => 10 } as unknown as Context;
    expect(await handler(event, noTime)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
    expect(store.recorded).to.deep.equal([[keyOf(1)]]);
    expect(await handler(eventOf([["b", "b1"]], 2))).to.deep.equal({ batchItemFailures: [] });
    expect(processed).to.deep.equal(["a0", "b1"]);
  });

  it("with idempotency none (option or IDEMPOTENCY=none) processes a redelivered batch again and asks no store", async () => {
    process.env.IDEMPOTENCY = "none";
    for (const options of [{ idempotency: "none" as const }, {}]) {
      const { handler, processed, summaries } = consumerUnderTest(async () => undefined, options);
      const event = eventOf([["a", "a0"]]);
      await handler(event);
      await handler(event);
      expect(processed).to.deep.equal(["a0", "a0"]);
      expect(summaries().map((s) => s.SkippedDuplicates)).to.deep.equal([0, 0]);
    }
  });

  describe("a failure of the store", () => {
    it("to answer fails the whole batch before any record is processed, with an error line", async () => {
      const failing: IdempotencyStore = {
        lookup: async () => Promise.reject(new Error("store unreachable")),
        complete: async () => undefined,
        recordFailures: async () => undefined,
      };
      const { handler, processed, lines } = consumerUnderTest(async () => undefined, { idempotency: failing });
      let thrown: unknown;
      await handler(
        eventOf([
          ["a", "a0"],
          ["b", "b1"],
        ]),
      ).catch((error: unknown) => (thrown = error));
      expect((thrown as Error).message).to.equal("store unreachable");
      expect(processed).to.deep.equal([]);
      expect(lines.map((l) => [l.level, l.message, l.records])).to.deep.equal([
        ["error", "Idempotency store read failed; the batch fails and Lambda retries it", 2],
      ]);
    });

    it("to record completions acknowledges the processed batch and logs a warning naming how many records", async () => {
      const failing: IdempotencyStore = {
        lookup: async () => ({ completed: new Set<string>(), failedAttempts: new Map<string, number>() }),
        recordFailures: async () => undefined,
        complete: async () => Promise.reject(Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" })),
      };
      const { handler, processed, lines } = consumerUnderTest(async () => undefined, { idempotency: failing });
      expect(
        await handler(
          eventOf([
            ["a", "a0"],
            ["b", "b1"],
          ]),
        ),
      ).to.deep.equal({ batchItemFailures: [] });
      expect(processed).to.deep.equal(["a0", "b1"]);
      const warning = lines.find((l) => l.level === "warn" && l.message !== "Kinesis batch processed");
      expect(warning).to.include({
        message: "Idempotency store write failed; these records may be processed again if redelivered",
        records: 2,
      });
      expect(warning!.error).to.deep.equal({ name: "ProvisionedThroughputExceededException", message: "throttled" });
    });
  });

  describe("configuration from the environment", () => {
    it("refuses an unknown IDEMPOTENCY, a dynamodb store without IDEMPOTENCY_TABLE and a bad IDEMPOTENCY_TTL_SECONDS, naming the variable", () => {
      expect(() => idempotencyStoreFromEnv({ IDEMPOTENCY: "redis" })).to.throw(
        'IDEMPOTENCY must be one of memory, dynamodb, none, got "redis".',
      );
      expect(() => idempotencyStoreFromEnv({ IDEMPOTENCY: "dynamodb" })).to.throw(
        "IDEMPOTENCY is dynamodb but IDEMPOTENCY_TABLE is not set; it must name the consumer's idempotency table.",
      );
      expect(() => idempotencyStoreFromEnv({ IDEMPOTENCY_TTL_SECONDS: "1.5" })).to.throw(
        'IDEMPOTENCY_TTL_SECONDS must be a positive integer of seconds, got "1.5".',
      );
    });

    it("builds a memory store when unset or memory, none for none", () => {
      expect(idempotencyStoreFromEnv({})).to.be.instanceOf(MemoryIdempotencyStore);
      expect(idempotencyStoreFromEnv({ IDEMPOTENCY: "memory", IDEMPOTENCY_TTL_SECONDS: "60" })).to.be.instanceOf(MemoryIdempotencyStore);
      expect(idempotencyStoreFromEnv({ IDEMPOTENCY: "none" })).to.equal(undefined);
    });
  });
});

describe("memory idempotency store: bounds, TTL and expiry", () => {
  it("remembers a completion for exactly ttlSeconds", async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore({ ttlSeconds: 60, now: () => now });
    await store.complete(["k1"]);
    now += 59_999;
    expect(await store.completed(["k1", "k2"])).to.deep.equal(new Set(["k1"]));
    now += 1;
    expect(await store.completed(["k1"])).to.deep.equal(new Set());
    expect(store.size).to.equal(0); // an expired key found by a lookup is dropped
  });

  it("keeps at most maxKeys, forgetting the oldest completion first", async () => {
    const store = new MemoryIdempotencyStore({ maxKeys: 2 });
    await store.complete(["k1", "k2"]);
    await store.complete(["k1"]); // completed again: now the newest
    await store.complete(["k3"]);
    expect(await store.completed(["k1", "k2", "k3"])).to.deep.equal(new Set(["k1", "k3"]));
    expect(store.size).to.equal(2);
  });

  it("refuses a maxKeys or ttlSeconds below 1", () => {
    expect(() => new MemoryIdempotencyStore({ maxKeys: 0 })).to.throw("maxKeys must be an integer of at least 1, got 0.");
    expect(() => new MemoryIdempotencyStore({ ttlSeconds: 0 })).to.throw("ttlSeconds must be an integer of at least 1, got 0.");
  });
});

describe("consumer runtime: completions of a store with a completion chunk", () => {
  it("hands completed keys over in chunks while the batch still runs, the rest at its end", async () => {
    const events: string[] = [];
    const inner = new MemoryIdempotencyStore();
    const store: IdempotencyStore = {
      completionChunk: 2,
      lookup: (keys) => inner.lookup(keys),
      recordFailures: (attempts) => inner.recordFailures(attempts),
      complete: async (keys) => {
        events.push(`write ${keys.length}`);
        await inner.complete(keys);
      },
    };
    const { handler } = consumerUnderTest(
      async (record) => {
        events.push(`process ${record.data.toString()}`);
      },
      { idempotency: store, concurrency: 1 },
    );
    await handler(
      eventOf([
        ["a", "a0"],
        ["a", "a1"],
        ["a", "a2"],
        ["a", "a3"],
        ["a", "a4"],
      ]),
    );
    expect(events).to.deep.equal(["process a0", "process a1", "write 2", "process a2", "process a3", "write 2", "process a4", "write 1"]);
  });

  it("a failed chunk write is logged with its record count and the batch is still acknowledged", async () => {
    const inner = new MemoryIdempotencyStore();
    let calls = 0;
    const store: IdempotencyStore = {
      completionChunk: 2,
      lookup: (keys) => inner.lookup(keys),
      recordFailures: (attempts) => inner.recordFailures(attempts),
      complete: async (keys) => {
        if (calls++ === 0) throw new Error("ProvisionedThroughputExceededException");
        await inner.complete(keys);
      },
    };
    const { handler, lines } = consumerUnderTest(async () => undefined, { idempotency: store, concurrency: 1 });
    expect(
      await handler(
        eventOf([
          ["a", "a0"],
          ["a", "a1"],
          ["a", "a2"],
        ]),
      ),
    ).to.deep.equal({ batchItemFailures: [] });
    const warning = lines.find((line) => String(line.message).startsWith("Idempotency store write failed"));
    expect(warning).to.deep.include({ records: 2 });
  });
});
