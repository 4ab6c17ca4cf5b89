import { expect } from "chai";
import { HttpProducer } from "../../client/http-producer";
import { RecordDeadlineError, RecordRejectedError } from "../../client/errors";
import type { PutResult } from "../../client/types";
import { startFakeApi, type FakeApi } from "./fake-api";

const fastBackoff = { baseMs: 5, maxMs: 20 };

describe("HttpProducer against an HTTP server implementing the API contract", () => {
  let api: FakeApi;
  beforeEach(async () => (api = await startFakeApi("secret-token")));
  afterEach(() => api.stop());

  function producer(overrides: Partial<ConstructorParameters<typeof HttpProducer>[0]> = {}): HttpProducer {
    return new HttpProducer({ url: api.url, token: "secret-token", lingerMs: 5, backoff: fastBackoff, ...overrides });
  }

  it("stores every record once, in batches of at most 500, and matches each result to its input", async () => {
    const client = producer({ maxInFlight: 4 });
    const results = await Promise.all(Array.from({ length: 1234 }, (_, i) => client.put({ data: { n: i }, partitionKey: `k${i % 7}` })));
    await client.close();
    expect(api.stored).to.have.length(1234);
    expect(new Set(api.stored.map((r) => JSON.stringify(r.data))).size).to.equal(1234);
    results.forEach((result, i) => {
      const stored = api.stored.find((r) => r.sequenceNumber === result.sequenceNumber);
      expect(stored?.data).to.deep.equal({ n: i });
      expect(stored?.partitionKey).to.equal(`k${i % 7}`);
    });
    expect(Math.max(...api.requests.map((r) => r.records))).to.equal(500);
    for (const [i, r] of api.requests.entries()) expect(r.authorization, `request ${i}`).to.equal("Bearer secret-token");
    expect(client.stats()).to.include({ sent: 1234, failed: 0, retried: 0, pending: 0 });
  });

  it("sends the REST front's API key as x-api-key on every request", async () => {
    const client = producer({ apiKey: "usage-plan-key" });
    await Promise.all(Array.from({ length: 3 }, (_, i) => client.put({ data: i })));
    await client.close();
    expect(api.requests.map((r) => [r.authorization, r.apiKey])).to.deep.equal([["Bearer secret-token", "usage-plan-key"]]);
  });

  it("splits batches by bytes: the sum of data and partition key bytes stays within maxBatchBytes", async () => {
    const client = producer({ maxBatchBytes: 1000 });
    await Promise.all(
      Array.from({ length: 20 }, () => client.put({ dataBase64: Buffer.alloc(240, 1).toString("base64"), partitionKey: "abcdefghij" })),
    );
    await client.close();
    // 250 bytes each: four fit in 1000
    expect(api.requests.map((r) => r.records)).to.deep.equal([4, 4, 4, 4, 4]);
    expect(api.stored[0]!.dataBase64).to.equal(Buffer.alloc(240, 1).toString("base64"));
  });

  it("retries exactly the records a 207 reports failed", async () => {
    api.faults.push({ kind: "partial", store: (i) => i % 3 !== 0 });
    const client = producer();
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => client.put({ data: i })));
    await client.close();
    expect(api.requests.map((r) => r.records)).to.deep.equal([9, 3]);
    expect(api.stored.map((r) => r.data)).to.deep.equal([1, 2, 4, 5, 7, 8, 0, 3, 6]);
    expect(results.map((r) => api.stored.find((s) => s.sequenceNumber === r.sequenceNumber)?.data)).to.deep.equal([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(client.stats()).to.include({ sent: 9, retried: 3, failed: 0 });
  });

  it("waits at least Retry-After after a 429, and retries 503 and dropped connections", async () => {
    api.faults.push({ kind: "status", status: 429, retryAfter: "1" }, { kind: "status", status: 503 }, { kind: "drop" });
    const client = producer();
    const started = Date.now();
    const result = await client.put({ data: "x" });
    await client.close();
    expect(result.sequenceNumber).to.equal("00000000000000000001");
    expect(api.requests).to.have.length(4);
    expect(api.requests[1]!.at - api.requests[0]!.at).to.be.at.least(1000);
    expect(Date.now() - started).to.be.at.least(1000);
    expect(api.stored).to.have.length(1);
    expect(client.stats()).to.include({ sent: 1, retried: 3, requests: 4 });
  });

  it("rejects records with a clear error on 401 and does not retry", async () => {
    const client = producer({ token: "wrong" });
    const outcome = await client.put({ data: 1 }).catch((error: unknown) => error);
    await client.close();
    expect(outcome).to.be.instanceOf(RecordRejectedError);
    expect((outcome as RecordRejectedError).status).to.equal(401);
    expect((outcome as Error).message).to.equal("The API refused the record with HTTP 401: missing or wrong bearer token");
    expect(api.requests).to.have.length(1);
  });

  it("on a 400 isolates the offending record by splitting the batch, storing all the others", async () => {
    api.poison = JSON.stringify("bad");
    const client = producer();
    const inputs = ["a", "b", "bad", "c", "d", "e", "f"];
    const outcomes = await Promise.allSettled(inputs.map((data) => client.put({ data })));
    await client.close();
    expect(outcomes.map((o) => o.status)).to.deep.equal([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).to.be.instanceOf(RecordRejectedError);
    expect(api.stored.map((r) => r.data).sort()).to.deep.equal(["a", "b", "c", "d", "e", "f"]);
    expect(client.stats()).to.include({ sent: 6, failed: 1 });
  });

  it("gives up at the record's deadline with the last error", async () => {
    for (let i = 0; i < 100; i++) api.faults.push({ kind: "status", status: 503 });
    const client = producer({ recordTimeoutMs: 150 });
    const outcome = await client.put({ data: 1 }).catch((error: unknown) => error);
    await client.close();
    expect(outcome).to.be.instanceOf(RecordDeadlineError);
    expect((outcome as Error).message).to.match(
      /^The record was not stored within its 150 ms deadline after \d+ attempt\(s\); last error: HTTP 503: scripted 503$/,
    );
    expect(api.stored).to.have.length(0);
  });

  it("refuses an invalid record before sending anything", async () => {
    const client = producer();
    const outcome = await client.put({ data: 1, dataBase64: "AA==" }).catch((error: unknown) => error);
    await client.close();
    expect((outcome as RecordRejectedError).status).to.equal(0);
    expect(api.requests).to.have.length(0);
  });

  it("sends dataJson as written, and refuses text that is not one JSON value or a record with two data fields, naming them", async () => {
    const client = producer();
    await client.put({ dataJson: '{"big":12345678901234567890.5, "f":1.0}' });
    const refusals = await Promise.all(
      [{ dataJson: "{not json" }, { dataJson: "1 2" }, { data: 1, dataJson: "1" }].map((record) =>
        client.put(record).catch((error: Error) => error.message),
      ),
    );
    await client.close();
    expect(api.bodies).to.deep.equal(['{"records":[{"data":{"big":12345678901234567890.5, "f":1.0}}]}']);
    expect(refusals).to.deep.equal([
      "`dataJson` must be the text of one JSON value.",
      "`dataJson` must be the text of one JSON value.",
      "A record must have exactly one of `data` (any JSON value), `dataJson` (JSON text) or `dataBase64` (a base64 string).",
    ]);
  });

  it("applies back-pressure: ready() waits while the buffer is full, and keeps connections alive", async () => {
    const client = producer({ maxBufferedRecords: 50, maxBatchRecords: 10, maxInFlight: 2 });
    let maxPending = 0;
    const results: Array<Promise<PutResult>> = [];
    for (let i = 0; i < 2000; i++) {
      await client.ready();
      maxPending = Math.max(maxPending, client.stats().pending);
      results.push(client.put({ data: i }));
    }
    await Promise.all(results);
    await client.close();
    expect(maxPending).to.equal(49);
    expect(api.stored).to.have.length(2000);
    expect(api.connections).to.be.at.most(2);
  });
});
