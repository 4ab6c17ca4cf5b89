/**
 * `putRecordsWithRetry` on its own, with an in-memory client and a virtual clock: call sizes, the exact
 * backoff schedule (full jitter, capped, clamped to the deadline) and the attempt cap.
 */
import { expect } from "chai";
import type {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsOutput,
  PutRecordsRequestEntry,
  PutRecordsResultEntry,
} from "@aws-sdk/client-kinesis";
import { putRecordsWithRetry } from "../../handlers/lib/put-records";

/** A client that records each PutRecords call and answers with `answer` (default: all stored). */
function stubClient(answer?: (entries: readonly PutRecordsRequestEntry[], call: number) => PutRecordsOutput["Records"]) {
  const calls: PutRecordsRequestEntry[][] = [];
  const client = {
    send: async (command: PutRecordsCommand) => {
      const entries = command.input.Records ?? [];
      calls.push(entries);
      const records: PutRecordsResultEntry[] =
        answer?.(entries, calls.length) ??
        entries.map((_, i) => ({ SequenceNumber: `${calls.length}-${i}`, ShardId: "shardId-000000000000" }));
      return { FailedRecordCount: records.filter((r) => r.ErrorCode).length, Records: records, $metadata: {} };
    },
  } as unknown as KinesisClient;
  return { client, calls };
}

/** A virtual clock whose sleeps only advance time, and record what was slept. */
function virtualClock() {
  let time = 0;
  const sleeps: number[] = [];
  return { now: () => time, sleep: async (ms: number) => void (sleeps.push(ms), (time += ms)), sleeps };
}

const entry = (key: string, bytes = 10): PutRecordsRequestEntry => ({ PartitionKey: key, Data: Buffer.alloc(bytes, 1) });

describe("putRecordsWithRetry", () => {
  it("sends at most 500 records per call, in input order", async () => {
    const { client, calls } = stubClient();
    const entries = Array.from({ length: 1200 }, (_, i) => entry(`k${i}`));

    const outcome = await putRecordsWithRetry(client, entries, { streamName: "s", deadline: Date.now() + 5000 });

    expect(calls.map((c) => c.length)).to.deep.equal([500, 500, 200]);
    expect(calls.flat().map((e) => e.PartitionKey)).to.deep.equal(entries.map((e) => e.PartitionKey));
    expect(outcome.results[700]).to.deep.equal({ sequenceNumber: "2-200", shardId: "shardId-000000000000" });
    expect([outcome.failedRecordCount, outcome.attempts]).to.deep.equal([0, 1]);
  });

  it("sends at most 5 MiB of data plus partition keys per call", async () => {
    const { client, calls } = stubClient();
    // 1 MiB − 2 bytes of data + a 2-byte key = exactly 1 MiB each: five fill a call, the sixth starts the next.
    const entries = Array.from({ length: 11 }, (_, i) => entry(`k${i % 10}`, 1024 * 1024 - 2));

    await putRecordsWithRetry(client, entries, { streamName: "s", deadline: Date.now() + 5000 });

    expect(calls.map((c) => c.length)).to.deep.equal([5, 5, 1]);
  });

  it("backs off with full jitter, doubling up to the cap, and stops when no time is left for another call", async () => {
    const clock = virtualClock();
    const { client, calls } = stubClient((entries) =>
      entries.map(() => ({ ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded." })),
    );

    const outcome = await putRecordsWithRetry(client, [entry("a")], {
      streamName: "s",
      deadline: 1000,
      baseDelayMs: 50,
      maxDelayMs: 1000,
      minAttemptMs: 100,
      random: () => 0.5,
      ...clock,
    });

    // Delays: 0.5 × 50, 100, 200, 400, 800, then clamped to the 125 ms left before deadline − minAttemptMs.
    expect(clock.sleeps).to.deep.equal([25, 50, 100, 200, 400, 125]);
    expect(calls).to.have.length(7);
    expect(outcome.attempts).to.equal(7);
    expect(outcome.results).to.deep.equal([{ errorCode: "ProvisionedThroughputExceededException", errorMessage: "Rate exceeded." }]);
  });

  it("caps each delay at maxDelayMs and the attempts at maxAttempts", async () => {
    const clock = virtualClock();
    const { client, calls } = stubClient((entries) => entries.map(() => ({ ErrorCode: "InternalFailure", ErrorMessage: "x" })));

    await putRecordsWithRetry(client, [entry("a")], { streamName: "s", deadline: 60_000, maxAttempts: 8, random: () => 0.999, ...clock });

    expect(clock.sleeps.map(Math.round)).to.deep.equal([50, 100, 200, 400, 799, 999, 999]);
    expect(calls).to.have.length(8);
  });

  it("keeps the first call even when the deadline has already passed", async () => {
    const clock = virtualClock();
    const { client, calls } = stubClient();

    const outcome = await putRecordsWithRetry(client, [entry("a")], { streamName: "s", deadline: -5, ...clock });

    expect(calls).to.have.length(1);
    expect(outcome.failedRecordCount).to.equal(0);
  });
});
