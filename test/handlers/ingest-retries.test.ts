/**
 * Throttling and partial PutRecords failures, which emulators never produce, injected into a real client
 * in front of kinesalite: only failed entries are resent, results stay in input order, the answer is
 * 200/207/429/503 as the contract says, and the stream holds exactly what the answer claims.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { createIngestHandler, type IngestHandlerOptions } from "../../handlers/ingest";
import { createLogger } from "../../handlers/lib/log";
import { httpApiEvent, jsonRequest, lambdaContext, parseResult } from "./support/http-events";
import { callErrors, injectPutRecordsFaults, type PutRecordsFaultPlan } from "./support/kinesis-faults";
import { createTestStream, readAllRecords } from "./support/kinesis-stream";

const PTEE = "ProvisionedThroughputExceededException";
const quiet = createLogger({ service: "ingest", write: () => undefined });
const noSleep = async (): Promise<void> => undefined;

describe("ingest handler retries (kinesalite + injected faults)", () => {
  let emulator: RunningEmulator;
  let kinesis: KinesisClient;
  const removeFaults: (() => void)[] = [];

  before(async () => {
    emulator = await startKinesalite();
    kinesis = localKinesisClient(emulator.endpoint);
  });
  afterEach(() => removeFaults.splice(0).forEach((remove) => remove()));
  after(async () => {
    kinesis.destroy();
    await emulator.stop();
  });

  /** Five records keyed k0…k4 with data {"n": i}; runs them through a handler with `plan` installed. */
  async function ingestFive(plan: PutRecordsFaultPlan, options: Partial<IngestHandlerOptions> = {}, remainingMs = 10_000) {
    const streamName = await createTestStream(kinesis);
    const faults = injectPutRecordsFaults(kinesis, plan);
    removeFaults.push(faults.remove);
    const ingest = createIngestHandler({ streamName, kinesis, logger: quiet, sleep: noSleep, ...options });
    const body = { records: Array.from({ length: 5 }, (_, n) => ({ data: { n }, partitionKey: `k${n}` })) };
    const result = parseResult(await ingest(httpApiEvent(jsonRequest(body)), lambdaContext(remainingMs)));
    const stored = await readAllRecords(kinesis, streamName);
    return { result, stored, calls: faults.calls };
  }

  const resultOf = (stored: { sequenceNumber: string; shardId: string }) => ({
    sequenceNumber: stored.sequenceNumber,
    shardId: stored.shardId,
  });

  it("resends only the entries that failed and answers 200 once all are stored", async () => {
    const { result, stored, calls } = await ingestFive({
      failEntry: (_e, call, position) => (call === 1 && (position === 1 || position === 3) ? PTEE : undefined),
    });

    expect(calls.map((c) => c.partitionKeys)).to.deep.equal([
      ["k0", "k1", "k2", "k3", "k4"],
      ["k1", "k3"],
    ]);
    expect(stored.map((r) => r.partitionKey)).to.deep.equal(["k0", "k2", "k4", "k1", "k3"]);
    const byKey = new Map(stored.map((r) => [r.partitionKey, r]));
    expect(result.status).to.equal(200);
    expect(result.body).to.deep.equal({
      failedRecordCount: 0,
      records: ["k0", "k1", "k2", "k3", "k4"].map((k) => resultOf(byKey.get(k)!)),
    });
  });

  it("answers 207 with the stored and failed records in input order when some keep failing", async () => {
    const { result, stored, calls } = await ingestFive({
      failEntry: (entry) => (entry.PartitionKey === "k2" ? "InternalFailure" : undefined),
    });

    expect(calls).to.have.length(10);
    expect(stored.map((r) => r.partitionKey)).to.deep.equal(["k0", "k1", "k3", "k4"]);
    expect(result.status).to.equal(207);
    expect(result.headers["retry-after"]).to.equal(undefined);
    expect(result.body).to.deep.equal({
      failedRecordCount: 1,
      records: [
        resultOf(stored[0]!),
        resultOf(stored[1]!),
        { errorCode: "InternalFailure", errorMessage: "Injected fault: InternalFailure." },
        resultOf(stored[2]!),
        resultOf(stored[3]!),
      ],
    });
  });

  it("answers 429 with Retry-After when every record stays throttled, and stores nothing", async () => {
    const { result, stored } = await ingestFive({ failEntry: () => PTEE });

    expect(stored).to.deep.equal([]);
    expect(result.status).to.equal(429);
    expect(result.headers["retry-after"]).to.equal("1");
    expect(result.body).to.deep.equal({
      failedRecordCount: 5,
      records: Array(5).fill({ errorCode: PTEE, errorMessage: `Injected fault: ${PTEE}.` }),
    });
  });

  it("retries whole-call throttling, service faults and connection resets, then stores everything", async () => {
    const errors = [callErrors.throttled(), callErrors.internal(), callErrors.connectionReset()];
    const { result, stored, calls } = await ingestFive({ failCall: (call) => errors[call - 1] });

    expect(calls).to.have.length(4);
    expect(result.status).to.equal(200);
    expect(stored.map((r) => r.partitionKey)).to.deep.equal(["k0", "k1", "k2", "k3", "k4"]);
  });

  it("answers 503 with Retry-After when the service keeps failing, and stores nothing", async () => {
    const { result, stored, calls } = await ingestFive({ failCall: () => callErrors.internal() });

    expect(calls).to.have.length(10);
    expect(stored).to.deep.equal([]);
    expect(result.status).to.equal(503);
    expect(result.headers["retry-after"]).to.equal("5");
    expect(result.body).to.deep.equal({
      failedRecordCount: 5,
      records: Array(5).fill({ errorCode: "InternalFailureException", errorMessage: "Internal service failure." }),
    });
  });

  it("does not retry errors outside the retriable set (per entry or per call)", async () => {
    const kms = await ingestFive({ failEntry: (entry) => (entry.PartitionKey === "k0" ? "KMSAccessDeniedException" : undefined) });
    expect(kms.calls).to.have.length(1);
    expect(kms.result.status).to.equal(207);
    expect(kms.stored.map((r) => r.partitionKey)).to.deep.equal(["k1", "k2", "k3", "k4"]);

    const denied = await ingestFive({ failCall: () => callErrors.accessDenied() });
    expect(denied.calls).to.have.length(1);
    expect(denied.result.status).to.equal(503);
    expect((denied.result.body as { records: unknown[] }).records[0]).to.deep.equal({
      errorCode: "AccessDeniedException",
      errorMessage: "User is not authorized to perform: kinesis:PutRecords",
    });
  });

  it("stops retrying before the function's remaining time runs out (real clock)", async () => {
    // The handler's clock, recording its first reading (deadline computed) and its last (retrying ended).
    const clock = { first: 0, last: 0 };
    const now = (): number => {
      clock.last = Date.now();
      clock.first ||= clock.last;
      return clock.last;
    };
    const { result, stored, calls } = await ingestFive(
      { failEntry: () => PTEE },
      { sleep: undefined, safetyMarginMs: 300, baseDelayMs: 100, maxDelayMs: 400, now },
      900,
    );
    const elapsed = clock.last - clock.first;

    expect(result.status).to.equal(429);
    expect(stored).to.deep.equal([]);
    expect(calls.length).to.be.within(2, 9);
    // Deadline = 900 − 300 ms from the first clock reading; the last retry ends before it.
    expect(elapsed).to.be.within(400, 600);
  });

  it("cuts off a call still running at the deadline and says the outcome is unknown", async () => {
    const { result, calls } = await ingestFive({ delayMs: () => 600 }, { safetyMarginMs: 200 }, 500);

    expect(calls).to.have.length(1);
    expect(result.status).to.equal(503);
    expect((result.body as { records: unknown[] }).records[4]).to.deep.equal({
      errorCode: "DeadlineExceeded",
      errorMessage: "The write did not finish before the function ran out of time; the record may or may not have been stored.",
    });
  });
});
