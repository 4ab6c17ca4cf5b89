/**
 * The ingest handler against a real kinesalite: every front's event and response shape, what is stored
 * (read back with GetRecords), derived partition keys, chunking, and the health route.
 */
import { expect } from "chai";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { createIngestHandler, handler } from "../../handlers/ingest";
import { createLogger } from "../../handlers/lib/log";
import { eventFor, FRONTS, httpApiEvent, jsonRequest, lambdaContext, parseResult, albEvent, restApiEvent } from "./support/http-events";
import { createTestStream, readAllRecords } from "./support/kinesis-stream";

const quiet = createLogger({ service: "ingest", write: () => undefined });

describe("ingest handler (kinesalite)", () => {
  let emulator: RunningEmulator;
  let kinesis: KinesisClient;

  before(async () => {
    emulator = await startKinesalite();
    kinesis = localKinesisClient(emulator.endpoint);
  });
  after(async () => {
    kinesis.destroy();
    await emulator.stop();
  });

  const records = [
    { data: { orderId: 17, items: ["a", "b"], note: "café" } },
    { dataBase64: Buffer.from([0, 1, 2, 254, 255]).toString("base64"), partitionKey: "device-42" },
    { data: "plain string", partitionKey: "ключ-🔑" },
    { data: null },
  ];
  const expectedData = [
    Buffer.from('{"orderId":17,"items":["a","b"],"note":"café"}'),
    Buffer.from([0, 1, 2, 254, 255]),
    Buffer.from('"plain string"'),
    Buffer.from("null"),
  ];

  for (const front of FRONTS) {
    it(`${front}: stores every record and answers 200 with per-record results in input order`, async () => {
      const streamName = await createTestStream(kinesis);
      const ingest = createIngestHandler({ streamName, kinesis, logger: quiet });

      const result = await ingest(eventFor(front, jsonRequest({ records })), lambdaContext());

      const stored = await readAllRecords(kinesis, streamName);
      expect(stored.map((r) => r.data)).to.deep.equal(expectedData);
      expect(stored[1]!.partitionKey).to.equal("device-42");
      expect(stored[2]!.partitionKey).to.equal("ключ-🔑");
      expect(stored[0]!.partitionKey).to.match(/^[A-Za-z0-9_-]{22}$/);
      expect(stored[3]!.partitionKey).to.match(/^[A-Za-z0-9_-]{22}$/);
      expect(stored[0]!.partitionKey).to.not.equal(stored[3]!.partitionKey);
      const parsed = parseResult(result);
      expect(parsed.status).to.equal(200);
      expect(parsed.body).to.deep.equal({
        failedRecordCount: 0,
        records: stored.map((r) => ({ sequenceNumber: r.sequenceNumber, shardId: r.shardId })),
      });
    });

    it(`${front}: GET /health answers 200 {"status":"ok"} without touching the stream`, async () => {
      const ingest = createIngestHandler({ streamName: "no-such-stream", kinesis, logger: quiet });
      const parsed = parseResult(await ingest(eventFor(front, { method: "GET", path: "/health" }), lambdaContext()));
      expect(parsed).to.deep.equal({ status: 200, headers: { "content-type": "application/json" }, body: { status: "ok" } });
    });
  }

  it("answers each front in its own response shape", async () => {
    const ingest = createIngestHandler({ streamName: "unused", kinesis, logger: quiet });
    const health = { method: "GET", path: "/health" };
    const expected = { statusCode: 200, headers: { "Content-Type": "application/json" }, body: '{"status":"ok"}', isBase64Encoded: false };
    expect(await ingest(httpApiEvent(health))).to.deep.equal(expected);
    expect(await ingest(restApiEvent(health))).to.deep.equal(expected);
    expect(await ingest(albEvent(health))).to.deep.equal({ ...expected, statusDescription: "200 OK" });
    expect(await ingest(albEvent(health, { multiValueHeaders: true }))).to.deep.equal({
      statusCode: 200,
      statusDescription: "200 OK",
      multiValueHeaders: { "Content-Type": ["application/json"] },
      body: '{"status":"ok"}',
      isBase64Encoded: false,
    });
  });

  it("decodes base64-encoded bodies (isBase64Encoded) on every front", async () => {
    const streamName = await createTestStream(kinesis);
    const ingest = createIngestHandler({ streamName, kinesis, logger: quiet });
    for (const front of FRONTS) {
      const body = Buffer.from(JSON.stringify({ records: [{ data: { front }, partitionKey: front }] }));
      const result = parseResult(await ingest(eventFor(front, { body, headers: { "content-type": "application/json; charset=UTF-8" } })));
      expect(result.status, front).to.equal(200);
    }
    const stored = await readAllRecords(kinesis, streamName);
    expect(stored.map((r) => [r.partitionKey, r.data.toString()])).to.deep.equal(FRONTS.map((f) => [f, JSON.stringify({ front: f })]));
  });

  it("routes by the route key, not the stage-prefixed raw path, and refuses other routes and methods", async () => {
    const ingest = createIngestHandler({ streamName: "unused", kinesis, logger: quiet });
    const notFound = parseResult(await ingest(httpApiEvent({ method: "GET", path: "/nope" })));
    expect(notFound.status).to.equal(404);
    expect(notFound.body).to.deep.equal({
      error: { code: "NOT_FOUND", message: "No route GET /nope; the API serves POST /records and GET /health." },
    });
    const wrongMethod = parseResult(await ingest(restApiEvent({ method: "GET", path: "/records" })));
    expect([wrongMethod.status, wrongMethod.headers.allow]).to.deep.equal([405, "POST"]);
    const postHealth = parseResult(await ingest(albEvent({ method: "POST", path: "/health" })));
    expect([postHealth.status, postHealth.headers.allow]).to.deep.equal([405, "GET"]);
  });

  it("derives partition keys that spread 500 keyless records evenly over 4 shards", async () => {
    const streamName = await createTestStream(kinesis, 4);
    const ingest = createIngestHandler({ streamName, kinesis, logger: quiet });
    const body = { records: Array.from({ length: 500 }, (_, i) => ({ data: { i } })) };

    const parsed = parseResult(await ingest(httpApiEvent(jsonRequest(body)), lambdaContext()));

    expect(parsed.status).to.equal(200);
    const stored = await readAllRecords(kinesis, streamName);
    expect(stored).to.have.length(500);
    expect(new Set(stored.map((r) => r.partitionKey)).size).to.equal(500);
    const perShard = new Map<string, number>();
    for (const r of stored) perShard.set(r.shardId, (perShard.get(r.shardId) ?? 0) + 1);
    expect(perShard.size).to.equal(4);
    // Binomial(500, 1/4): mean 125, sd ≈ 9.7; [60, 190] is more than 6 sd either side.
    for (const count of perShard.values()) expect(count).to.be.within(60, 190);
  });

  it("the Lambda entry reads STREAM_NAME and finds the emulator through AWS_ENDPOINT_URL_KINESIS", async () => {
    const keys = [
      "STREAM_NAME",
      "TOKEN_SECRET_ID",
      "AWS_ENDPOINT_URL_KINESIS",
      "AWS_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "LOG_LEVEL",
    ];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    try {
      for (const key of keys) delete process.env[key];
      let unset: unknown;
      await handler(httpApiEvent({ method: "GET", path: "/health" })).catch((error: unknown) => (unset = error));
      expect((unset as Error).message).to.equal("STREAM_NAME is not set: the ingest function needs the name of the stream it writes to.");

      const streamName = await createTestStream(kinesis);
      Object.assign(process.env, {
        STREAM_NAME: streamName,
        AWS_ENDPOINT_URL_KINESIS: emulator.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        LOG_LEVEL: "error",
      });
      const parsed = parseResult(
        await handler(httpApiEvent(jsonRequest({ records: [{ data: "via env", partitionKey: "env" }] })), lambdaContext()),
      );

      expect(parsed.status).to.equal(200);
      expect((await readAllRecords(kinesis, streamName)).map((r) => r.data.toString())).to.deep.equal(['"via env"']);
    } finally {
      for (const key of keys)
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
    }
  });
});
