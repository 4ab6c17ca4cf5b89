import { expect } from "chai";
import { createHash } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createForwarderHandler, type ForwarderOptions } from "../../handlers/forwarder";
import { forwarderOptionsFromEnv } from "../../handlers/lib/environment/forwarder";
import { decodeKinesisEvent, MemoryIdempotencyStore } from "../../handlers/lib/consumer";
import { deliveryBody } from "../../handlers/lib/consumer/delivery";
import { clearSecretCache } from "../../handlers/lib/secrets";
import { InMemoryKinesisEvents, sequenceNumbers, type PlainEntry } from "./consumer-fixtures";
import { Downstream, type ReceivedRequest } from "./support/downstream";

const SECRET_ID = "kinesis-ingest-prod-archiver-config";
const CREDENTIAL = "Bearer s3cr3t-downstream-credential";
const ROTATED = "Bearer r0tated-downstream-credential";
const SHARD = "shardId-000000000000";

interface Entry {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly data?: unknown;
}

describe("forwarder, delivery batch", () => {
  const secrets = mockClient(SecretsManagerClient);
  const source = new InMemoryKinesisEvents();
  let downstream: Downstream;
  let targetUrl: string;
  let lines: Record<string, unknown>[];

  after(() => secrets.restore());
  beforeEach(async () => {
    secrets.reset();
    clearSecretCache();
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: JSON.stringify({ authorization: CREDENTIAL }) });
    downstream = new Downstream();
    targetUrl = await downstream.listen();
    lines = [];
  });
  afterEach(() => downstream.close());

  const forwarder = (batch: ForwarderOptions["batch"], options: Partial<ForwarderOptions> = {}) =>
    createForwarderHandler({
      secretId: SECRET_ID,
      targetUrl,
      requestTimeoutMs: 1_000,
      batch,
      consumer: {
        concurrency: 1,
        idempotency: "none",
        writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
        now: () => 1_900_000_000_000,
      },
      ...options,
    });
  const bounds = { maxBatchRecords: 500, maxBatchBytes: 2 * 1024 * 1024 };
  const keyed = (partitionKey: string, data: string): PlainEntry => ({ partitionKey, data });
  const entriesOf = (request: ReceivedRequest) => (JSON.parse(request.body) as { records: Entry[] }).records;
  const failureLogs = () => lines.filter((l) => l.level === "error");
  const batchKey = (keys: readonly string[]) => `batch-${createHash("sha256").update(keys.join("\n")).digest("hex")}`;

  it("POSTs one {records} body whose entries are record mode's bodies byte for byte, in sequence order", async () => {
    const event = await source.eventOf([
      keyed("user-1", '{"order":17,"total":9.50,"big":12345678901234567890}'),
      { partitionKey: "user-2", data: Buffer.from([0xff, 0x00, 0x7b]) },
      { aggregate: [keyed("kpl-a", "[1,2]"), keyed("kpl-b", "not json")] },
    ]);
    const [s0, s1, s2] = sequenceNumbers(event);

    expect(await forwarder(undefined)(event)).to.deep.equal({ batchItemFailures: [] });
    const recordBodies = downstream.requests.map((r) => r.body);
    downstream.requests.length = 0;
    expect(await forwarder(bounds)(event)).to.deep.equal({ batchItemFailures: [] });

    expect(downstream.requests).to.have.length(1);
    const [request] = downstream.requests;
    expect(request!.body).to.equal(`{"records":[${recordBodies.join(",")}]}`);
    expect(request!.body).to.include('"data":{"order":17,"total":9.50,"big":12345678901234567890}');
    expect([request!.method, request!.url, request!.headers["content-type"], request!.headers.authorization]).to.deep.equal([
      "POST",
      "/events",
      "application/json",
      CREDENTIAL,
    ]);
    expect(request!.headers["idempotency-key"]).to.equal(
      batchKey([`${SHARD}:${s0}:0`, `${SHARD}:${s1}:0`, `${SHARD}:${s2}:0`, `${SHARD}:${s2}:1`]),
    );
  });

  it("sends the same Idempotency-Key when the same records are delivered again, another for other records", async () => {
    const event = await source.eventOf([keyed("a", "1"), keyed("b", "2"), keyed("c", "3")]);
    await forwarder(bounds)(event);
    await forwarder(bounds)(event);
    await forwarder(bounds)({ Records: event.Records.slice(1) });

    const keys = downstream.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).to.have.length(3);
    expect(keys[1]).to.equal(keys[0]);
    expect(keys[2]).to.not.equal(keys[0]);
    expect(keys[2]).to.match(/^batch-[0-9a-f]{64}$/);
  });

  it("cuts requests at maxBatchRecords: 25 records in 10 + 10 + 5, in sequence order", async () => {
    const event = await source.eventOf(Array.from({ length: 25 }, (_, i) => keyed(`k${i % 3}`, String(i))));

    expect(await forwarder({ ...bounds, maxBatchRecords: 10 })(event)).to.deep.equal({ batchItemFailures: [] });

    expect(downstream.requests.map((r) => entriesOf(r).map((e) => e.data))).to.deep.equal([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24],
    ]);
  });

  it("cuts requests at maxBatchBytes: a body of exactly the bound is sent whole, one byte less splits it", async () => {
    const event = await source.eventOf(Array.from({ length: 3 }, (_, i) => keyed("k", `"${"x".repeat(100)}${i}"`)));
    await forwarder(bounds)(event);
    const exact = Buffer.byteLength(downstream.requests[0]!.body);
    downstream.requests.length = 0;

    await forwarder({ ...bounds, maxBatchBytes: exact })(event);
    await forwarder({ ...bounds, maxBatchBytes: exact - 1 })(event);

    const [whole, ...split] = downstream.requests;
    expect([Buffer.byteLength(whole!.body), entriesOf(whole!).length]).to.deep.equal([exact, 3]);
    expect(split.map((r) => entriesOf(r).length)).to.deep.equal([2, 1]);
    expect(split.every((r) => Buffer.byteLength(r.body) <= exact - 1)).to.equal(true);
  });

  it("keeps every request within maxBatchBytes, filling each as far as the next record allows", async () => {
    const event = await source.eventOf(Array.from({ length: 30 }, (_, i) => keyed(`k${i % 4}`, `"${"z".repeat(i * 7)}"`)));
    const sizes = decodeKinesisEvent(event).records.map((r) => Buffer.byteLength(deliveryBody(r)) + 1);
    const maxBatchBytes = 1500;

    expect(await forwarder({ ...bounds, maxBatchBytes })(event)).to.deep.equal({ batchItemFailures: [] });

    let next = 0;
    for (const request of downstream.requests) {
      const count = entriesOf(request).length;
      expect(Buffer.byteLength(request.body)).to.equal(13 + sizes.slice(next, next + count).reduce((a, b) => a + b, 0));
      expect(Buffer.byteLength(request.body)).to.be.at.most(maxBatchBytes);
      next += count;
      if (next < sizes.length) expect(Buffer.byteLength(request.body) + sizes[next]!).to.be.above(maxBatchBytes);
    }
    expect(next).to.equal(30);
    expect(downstream.requests.length).to.be.at.least(3);
  });

  it("fails a record larger than maxBatchBytes as oversize, logged with its bytes, and sends nothing at or after it", async () => {
    const event = await source.eventOf([keyed("a", '"small"'), keyed("b", `"${"y".repeat(3000)}"`), keyed("c", '"after"')]);
    const seqs = sequenceNumbers(event);

    expect(await forwarder({ ...bounds, maxBatchBytes: 2048 })(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[1] }] });

    expect(downstream.requests.map((r) => entriesOf(r).map((e) => e.data))).to.deep.equal([["small"]]);
    // No on-failure queue to isolate it to: it fails, after a line saying why it was not isolated.
    const log = failureLogs().find((l) => l.message === "Record processing failed");
    expect(failureLogs()).to.have.length(2);
    expect(log!.sequenceNumber).to.equal(seqs[1]);
    const error = log!.error as Record<string, unknown>;
    expect([error.name, error.maxBytes, error.retriable]).to.deep.equal(["OversizeRecordError", 2048 - 13, false]);
    // The record's entry (record mode's body) and its comma.
    expect(error.recordBytes).to.equal(Buffer.byteLength(deliveryBody(decodeKinesisEvent(event).records[1]!)) + 1);
  });

  it('isolates a record a 207 refuses with "retriable": false, and a record of a request refused as a whole with a 400, sending the others alone', async () => {
    const event = await source.eventOf(Array.from({ length: 4 }, (_, i) => keyed(`k${i}`, String(i))));
    const seqs = sequenceNumbers(event);
    const isolated: Array<{ KinesisBatchInfo: { startSequenceNumber: string }; kinesisIngest: { reason: string } }> = [];
    const handler = (answer: (entries: Entry[]) => [number, string]) => {
      downstream.respond = (request, res) => {
        const [status, body] = answer(entriesOf(request));
        res.writeHead(status, { "content-type": "application/json" }).end(body);
      };
      return forwarder(bounds, {
        consumer: {
          concurrency: 1,
          idempotency: "none",
          writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
          onFailureDestination: async (body) => (isolated.push(JSON.parse(body)), "m"),
        },
      });
    };

    const per207 = handler(() => [207, '{"failed":[{"index":2,"error":"schema: total missing","retriable":false}]}']);
    expect(await per207(event)).to.deep.equal({ batchItemFailures: [] });
    expect(isolated.map((r) => r.KinesisBatchInfo.startSequenceNumber)).to.deep.equal([seqs[2]]);
    expect(isolated[0]!.kinesisIngest.reason).to.equal(
      "PermanentRecordError: The downstream refused the record in its HTTP 207 answer: schema: total missing",
    );

    // A 400 for a request of several records names none: each is sent again alone, and only record 1 is refused alone.
    isolated.length = 0;
    downstream.requests.length = 0;
    const whole400 = handler((entries) => [entries.length > 1 || entries[0]!.data === 1 ? 400 : 200, ""]);
    expect(await whole400(event)).to.deep.equal({ batchItemFailures: [] });
    expect(downstream.requests.map((r) => entriesOf(r).map((e) => e.data))).to.deep.equal([[0, 1, 2, 3], [0], [1], [2], [3]]);
    expect(isolated.map((r) => r.KinesisBatchInfo.startSequenceNumber)).to.deep.equal([seqs[1]]);
  });

  it("turns the records a 207 names into batchItemFailures, and takes the others", async () => {
    const event = await source.eventOf(Array.from({ length: 6 }, (_, i) => keyed(`k${i}`, String(i))));
    const seqs = sequenceNumbers(event);
    downstream.respond = (_request, res) =>
      void res
        .writeHead(207, { "content-type": "application/json" })
        .end('{"failed":[{"index":4},{"index":2,"error":"schema: total missing"}]}');

    const response = await forwarder(bounds)(event);

    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[2] }, { itemIdentifier: seqs[4] }] });
    expect(downstream.requests).to.have.length(1);
    expect(failureLogs().map((l) => [l.sequenceNumber, (l.error as Record<string, unknown>).message])).to.deep.equal([
      [seqs[2], "The downstream refused the record in its HTTP 207 answer: schema: total missing"],
      [seqs[4], "The downstream refused the record in its HTTP 207 answer."],
    ]);
    expect((failureLogs()[0]!.error as Record<string, unknown>).downstreamStatus).to.equal(207);
  });

  it("skips, on the redelivery, the records the downstream took after a refused one (idempotency memory)", async () => {
    const event = await source.eventOf(Array.from({ length: 4 }, (_, i) => keyed(`k${i}`, String(i))));
    let first = true;
    downstream.respond = (_request, res) => {
      res.writeHead(first ? 207 : 200).end(first ? '{"failed":[{"index":1}]}' : "");
      first = false;
    };
    const handler = forwarder(bounds, {
      consumer: { concurrency: 1, idempotency: new MemoryIdempotencyStore(), writeLine: () => undefined },
    });
    await handler(event);
    expect(await handler({ Records: event.Records.slice(1) })).to.deep.equal({ batchItemFailures: [] });

    expect(downstream.requests.map((r) => entriesOf(r).map((e) => e.data))).to.deep.equal([[0, 1, 2, 3], [1]]);
  });

  it("reads a failed list sent with a 200 too, and takes every record of a 200 or 204 without one", async () => {
    const event = await source.eventOf([keyed("a", "0"), keyed("b", "1"), keyed("c", "2")]);
    const seqs = sequenceNumbers(event);
    const answers: [number, string][] = [
      [200, '{"failed":[{"index":1}]}'],
      [200, '{"accepted":3}'],
      [200, "ok"],
      [204, ""],
    ];
    const responses = [];
    for (const [status, body] of answers) {
      downstream.respond = (_request, res) => void res.writeHead(status).end(body);
      responses.push(await forwarder(bounds)(event));
    }

    expect(responses).to.deep.equal([
      { batchItemFailures: [{ itemIdentifier: seqs[1] }] },
      ...[1, 2, 3].map(() => ({ batchItemFailures: [] })),
    ]);
    expect((failureLogs()[0]!.error as Record<string, unknown>).message).to.equal(
      "The downstream refused the record in its HTTP 200 answer.",
    );
  });

  const malformed: [string, string][] = [
    ["a body that is not JSON", "ok"],
    ["no failed list", '{"accepted":3}'],
    ["a failed member that is not a list", '{"failed":{"index":1}}'],
    ["an index outside the request", '{"failed":[{"index":3}]}'],
    ["an index listed twice", '{"failed":[{"index":1},{"index":1}]}'],
  ];
  for (const [what, body] of malformed) {
    it(`fails every record of the request for a 207 with ${what}`, async () => {
      const event = await source.eventOf([keyed("a", "0"), keyed("b", "1"), keyed("c", "2")]);
      downstream.respond = (_request, res) => void res.writeHead(207).end(body);

      expect(await forwarder(bounds)(event)).to.deep.equal({
        batchItemFailures: sequenceNumbers(event).map((itemIdentifier) => ({ itemIdentifier })),
      });
      expect(failureLogs()).to.have.length(3);
      expect((failureLogs()[0]!.error as Record<string, unknown>).message).to.match(
        /^The downstream answered HTTP 207 with .*; every record/,
      );
    });
  }

  it("fails every record of the request on a 5xx, retriable, and sends no later request", async () => {
    const event = await source.eventOf(Array.from({ length: 5 }, (_, i) => keyed(`k${i}`, String(i))));
    const seqs = sequenceNumbers(event);
    downstream.respond = (request, res) => void res.writeHead(entriesOf(request)[0]!.data === 2 ? 503 : 200).end();

    const response = await forwarder({ ...bounds, maxBatchRecords: 2 })(event);

    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[2] }, { itemIdentifier: seqs[3] }] });
    expect(downstream.requests.map((r) => entriesOf(r).map((e) => e.data))).to.deep.equal([
      [0, 1],
      [2, 3],
    ]);
    expect(failureLogs().map((l) => l.error)).to.deep.equal(
      [0, 1].map(() => ({
        name: "DeliveryError",
        message: "The downstream answered HTTP 503 (retriable); every record of the request fails.",
        downstreamStatus: 503,
        retriable: true,
        target: targetUrl,
      })),
    );
  });

  it("on 401, reads the secret again and sends the request once more with the rotated credential", async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolvesOnce({ SecretString: JSON.stringify({ authorization: CREDENTIAL }) })
      .resolves({ SecretString: JSON.stringify({ authorization: ROTATED }) });
    const event = await source.eventOf([keyed("a", "1"), keyed("a", "2")]);
    downstream.respond = (request, res) => void res.writeHead(request.headers.authorization === ROTATED ? 200 : 401).end();

    expect(await forwarder(bounds)(event)).to.deep.equal({ batchItemFailures: [] });

    expect(downstream.requests.map((r) => [r.headers.authorization, entriesOf(r).length])).to.deep.equal([
      [CREDENTIAL, 2],
      [ROTATED, 2],
    ]);
    expect(downstream.requests[1]!.headers["idempotency-key"]).to.equal(downstream.requests[0]!.headers["idempotency-key"]);
    expect(secrets.commandCalls(GetSecretValueCommand)).to.have.length(2);
  });

  it("never has two requests holding one partition key in flight, and a key's records arrive in order", async () => {
    const event = await source.eventOf(Array.from({ length: 40 }, (_, i) => keyed(`k${i % 3}`, String(i))));
    const inFlight = new Set<string>();
    let overlaps = 0;
    let maxInFlight = 0;
    downstream.respond = (request, res) => {
      const keys = [...new Set(entriesOf(request).map((e) => e.partitionKey))];
      if (keys.some((k) => inFlight.has(k))) overlaps++;
      keys.forEach((k) => inFlight.add(k));
      maxInFlight = Math.max(maxInFlight, inFlight.size);
      setTimeout(() => (keys.forEach((k) => inFlight.delete(k)), res.writeHead(200).end()), 10);
    };
    const handler = forwarder(
      { ...bounds, maxBatchRecords: 1 },
      { consumer: { concurrency: 4, idempotency: "none", writeLine: () => undefined } },
    );

    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });

    expect(overlaps).to.equal(0);
    expect(maxInFlight).to.equal(3);
    for (const key of ["k0", "k1", "k2"]) {
      const received = downstream.requests.flatMap((r) => entriesOf(r)).filter((e) => e.partitionKey === key);
      expect(received.map((e) => e.data)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i).filter((i) => `k${i % 3}` === key));
    }
  });

  it("reads DELIVERY, MAX_BATCH_RECORDS and MAX_BATCH_BYTES from the environment, naming a wrong variable", () => {
    const env = { CONFIG_SECRET_ID: "s", DELIVERY: "batch", MAX_BATCH_RECORDS: "200", MAX_BATCH_BYTES: "1048576" };
    expect(forwarderOptionsFromEnv(env).batch).to.deep.equal({ maxBatchRecords: 200, maxBatchBytes: 1_048_576 });
    expect(forwarderOptionsFromEnv({ CONFIG_SECRET_ID: "s", DELIVERY: "record" })).to.not.have.property("batch");
    expect(() => forwarderOptionsFromEnv({ ...env, DELIVERY: "batches" })).to.throw('DELIVERY must be record or batch, got "batches".');
    expect(() => forwarderOptionsFromEnv({ ...env, MAX_BATCH_BYTES: "1.5" })).to.throw(
      'MAX_BATCH_BYTES must be a positive integer with DELIVERY=batch, got "1.5".',
    );
    expect(() => forwarderOptionsFromEnv({ ...env, MAX_BATCH_RECORDS: undefined })).to.throw(
      'MAX_BATCH_RECORDS must be a positive integer with DELIVERY=batch, got "".',
    );
  });
});
