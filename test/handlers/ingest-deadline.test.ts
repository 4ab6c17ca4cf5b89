/**
 * The ingest function's write deadline per front (config/ingest-budget.ts): under endless throttling with
 * slow calls, no PutRecords call starts later than the invocation's start plus `deadlineMs` less the 100 ms a
 * call needs (a call still running at the deadline is aborted then: put-records.ts), before the front's integration timeout
 * (API Gateway developer guide, "Amazon API Gateway quotas": HTTP API 30 s, REST 29 s), so the answer (429)
 * reaches the client and says that nothing was stored. Kinesis mocked with aws-sdk-client-mock; the clock is fake.
 */
import { expect } from "chai";
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from "@aws-sdk/client-kinesis";
import { mockClient } from "aws-sdk-client-mock";
import { ingestBudget } from "../../config/ingest-budget";
import { createIngestHandler } from "../../handlers/ingest";
import { createLogger } from "../../handlers/lib/log";
import { httpApiEvent, jsonRequest, lambdaContext, parseResult } from "./support/http-events";

const quiet = createLogger({ service: "ingest", write: () => undefined });
/** Each PutRecords call takes this long on the fake clock: slow, as calls get under throttling. */
const CALL_MS = 2500;
/** A retry is not started unless this much time is left (put-records.ts `minAttemptMs`). */
const MIN_ATTEMPT_MS = 100;

/** Runs one request against a stream that throttles every entry; returns the answer and when each call started. */
async function throttledForever(deadlineMs: number | undefined, remainingMs: number) {
  let clock = 1_000_000;
  const now = () => clock;
  const kinesis = new KinesisClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  const mock = mockClient(kinesis);
  const callStarts: number[] = [];
  mock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
    callStarts.push(clock);
    clock += CALL_MS;
    const records = input.Records ?? [];
    return {
      FailedRecordCount: records.length,
      Records: records.map(() => ({ ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded" })),
    };
  });
  const ingest = createIngestHandler({
    streamName: "kinesis-ingest-test",
    kinesis,
    logger: quiet,
    now,
    deadlineMs,
    jitter: () => 0.999,
    sleep: async (ms) => void (clock += ms),
  });
  const startedAt = clock;
  const body = {
    records: [
      { data: { n: 1 }, partitionKey: "k1" },
      { data: { n: 2 }, partitionKey: "k2" },
    ],
  };
  const result = parseResult(await ingest(httpApiEvent(jsonRequest(body)), lambdaContext(remainingMs, now)));
  mock.restore();
  return { result, callStarts: callStarts.map((start) => start - startedAt) };
}

describe("ingest handler: the write deadline of its front", () => {
  for (const front of ["http-api", "rest-api", "alb"] as const) {
    const { deadlineMs, timeoutSeconds } = ingestBudget(front);
    it(`${front}: no PutRecords call starts after ${deadlineMs - MIN_ATTEMPT_MS} ms, within the ${timeoutSeconds} s the front and function allow, and the answer is a 429 storing nothing`, async () => {
      const { result, callStarts } = await throttledForever(deadlineMs, timeoutSeconds * 1000);
      expect(callStarts.length).to.be.greaterThan(1);
      expect(Math.max(...callStarts)).to.be.at.most(deadlineMs - MIN_ATTEMPT_MS);
      expect(result.status).to.equal(429);
      expect(result.body).to.deep.include({ failedRecordCount: 2 });
    });
  }

  it("without a deadline only the function's remaining time bounds the retries (the behaviour the deadline fixes)", async () => {
    const { callStarts } = await throttledForever(undefined, 30_000);
    expect(Math.max(...callStarts)).to.be.greaterThan(ingestBudget("rest-api").deadlineMs);
  });
});
