import { expect } from "chai";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { freePort } from "../../local/emulators";
import { createForwarderHandler, handler, type ForwarderOptions } from "../../handlers/forwarder";
import { forwarderOptionsFromEnv } from "../../handlers/lib/environment/forwarder";
import { clearSecretCache, SecretNotFoundError } from "../../handlers/lib/secrets";
import type { ConsumerOptions } from "../../handlers/lib/consumer";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";
import { InMemoryKinesisEvents, sequenceNumbers, type PlainEntry } from "./consumer-fixtures";
import { Downstream } from "./support/downstream";

const SECRET_ID = "kinesis-ingest-dev-forwarder-config";
const CREDENTIAL = "Bearer s3cr3t-downstream-credential";
const ROTATED = "Bearer r0tated-downstream-credential";

describe("forwarder", () => {
  const secrets = mockClient(SecretsManagerClient);
  const savedEnv = { ...process.env };
  const source = new InMemoryKinesisEvents();
  let downstream: Downstream;
  let targetUrl: string;
  let lines: Record<string, unknown>[];
  let rawLines: string[];

  after(() => secrets.restore());
  beforeEach(async () => {
    secrets.reset();
    clearSecretCache();
    downstream = new Downstream();
    targetUrl = await downstream.listen();
    lines = [];
    rawLines = [];
  });
  afterEach(async () => {
    process.env = { ...savedEnv };
    await downstream.close();
  });

  const givenSecret = (value: object) =>
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: JSON.stringify(value) });
  const consumerOptions: ConsumerOptions = {
    concurrency: 1,
    writeLine: (line) => (rawLines.push(line), lines.push(JSON.parse(line) as Record<string, unknown>)),
    now: () => 1_900_000_000_000,
  };
  const forwarder = (options: Partial<ForwarderOptions> = {}) =>
    createForwarderHandler({
      secretId: SECRET_ID,
      targetUrl,
      requestTimeoutMs: 1_000,
      consumer: consumerOptions,
      ...options,
    });
  const failureLogs = () => lines.filter((l) => l.level === "error");
  const keyed = (partitionKey: string, data: string): PlainEntry => ({ partitionKey, data });

  it("POSTs each record as the documented JSON body with Authorization and Idempotency-Key", async () => {
    givenSecret({ authorization: CREDENTIAL });
    const event = await source.eventOf([
      keyed("user-1", '{"order":17,"total":9.5}'),
      { partitionKey: "user-2", data: Buffer.from([0xff, 0x00, 0x7b]) },
      { aggregate: [keyed("kpl-a", "[1,2]"), keyed("kpl-b", "not json")] },
    ]);
    const [s0, s1, s2] = sequenceNumbers(event);
    const arrival = event.Records.map((r) => r.kinesis.approximateArrivalTimestamp);

    expect(await forwarder()(event)).to.deep.equal({ batchItemFailures: [] });

    const shard = "shardId-000000000000";
    expect(
      downstream.requests.map((r) => [r.method, r.url, r.headers["content-type"], r.headers.authorization, r.headers["idempotency-key"]]),
    ).to.deep.equal([
      ["POST", "/events", "application/json", CREDENTIAL, `${shard}:${s0}:0`],
      ["POST", "/events", "application/json", CREDENTIAL, `${shard}:${s1}:0`],
      ["POST", "/events", "application/json", CREDENTIAL, `${shard}:${s2}:0`],
      ["POST", "/events", "application/json", CREDENTIAL, `${shard}:${s2}:1`],
    ]);
    expect(downstream.requests.map((r) => JSON.parse(r.body))).to.deep.equal([
      {
        shardId: shard,
        sequenceNumber: s0,
        subSequenceNumber: 0,
        partitionKey: "user-1",
        approximateArrivalTimestamp: arrival[0],
        data: { order: 17, total: 9.5 },
      },
      {
        shardId: shard,
        sequenceNumber: s1,
        subSequenceNumber: 0,
        partitionKey: "user-2",
        approximateArrivalTimestamp: arrival[1],
        dataBase64: "/wB7",
      },
      {
        shardId: shard,
        sequenceNumber: s2,
        subSequenceNumber: 0,
        partitionKey: "kpl-a",
        approximateArrivalTimestamp: arrival[2],
        data: [1, 2],
      },
      {
        shardId: shard,
        sequenceNumber: s2,
        subSequenceNumber: 1,
        partitionKey: "kpl-b",
        approximateArrivalTimestamp: arrival[2],
        dataBase64: Buffer.from("not json").toString("base64"),
      },
    ]);
  });

  it("keeps connections alive: 20 records delivered one by one reuse at most 2 connections", async () => {
    givenSecret({ authorization: CREDENTIAL });
    const event = await source.eventOf(Array.from({ length: 20 }, (_, i) => keyed(`k${i}`, String(i))));

    expect(await forwarder()(event)).to.deep.equal({ batchItemFailures: [] });

    expect(downstream.requests).to.have.length(20);
    // undici may hand the next request to a second pooled socket while the first is being released.
    expect(downstream.connections).to.be.within(1, 2);
    expect(new Set(downstream.requests.map((r) => r.socket)).size).to.equal(downstream.connections);
  });

  describe("failed deliveries fail the item and are logged with sequence number, key and status", () => {
    // 401 and 403 are about the credential, not the record, and a 3xx is a misconfiguration: they fail, never isolate.
    const cases: { status: number; retriable: boolean }[] = [
      { status: 500, retriable: true },
      { status: 503, retriable: true },
      { status: 408, retriable: true },
      { status: 429, retriable: true },
      { status: 401, retriable: false },
      { status: 403, retriable: false },
      { status: 302, retriable: false },
    ];
    for (const { status, retriable } of cases) {
      it(`HTTP ${status}: ${retriable ? "retriable" : "permanent"}, later records of the key are not sent, other keys' are`, async () => {
        givenSecret({ authorization: CREDENTIAL });
        const event = await source.eventOf([keyed("a", '"a0"'), keyed("b", '"b1"'), keyed("b", '"b2"'), keyed("c", '"c3"')]);
        const seqs = sequenceNumbers(event);
        downstream.respond = (request, res) => {
          const refused = JSON.parse(request.body).data === "b1";
          res.writeHead(refused ? status : 200, refused && status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {}).end();
        };
        const isolated: string[] = [];

        const response = await forwarder({
          consumer: { ...consumerOptions, onFailureDestination: async (body) => (isolated.push(body), "m") },
        })(event);

        expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[1] }] });
        expect(isolated).to.deep.equal([]);
        // 401 and 403 are sent twice: once more with the secret read again.
        const sent = downstream.requests.map((r) => JSON.parse(r.body).data).filter((data, i, all) => all.indexOf(data) === i);
        expect(sent).to.deep.equal(["a0", "b1", "c3"]);
        const kind = retriable ? "retriable" : "permanent";
        expect(failureLogs()).to.deep.equal([
          {
            timestamp: "2030-03-17T17:46:40.000Z",
            level: "error",
            message: "Record processing failed",
            service: "forwarder",
            shardId: "shardId-000000000000",
            sequenceNumber: seqs[1],
            subSequenceNumber: 0,
            partitionKey: "b",
            error: {
              name: "DeliveryError",
              message: `The downstream answered HTTP ${status} (${kind}); the record fails.`,
              downstreamStatus: status,
              retriable,
              target: targetUrl,
            },
          },
        ]);
        expect(rawLines.join("\n")).not.to.include("s3cr3t");
      });
    }

    for (const status of [400, 404, 413, 422]) {
      it(`HTTP ${status} refuses the record for good: it is isolated alone to the on-failure queue and every other record is delivered, its key's included`, async () => {
        givenSecret({ authorization: CREDENTIAL });
        const event = await source.eventOf([keyed("a", '"a0"'), keyed("b", '"b1"'), keyed("b", '"b2"'), keyed("c", '"c3"')]);
        const seqs = sequenceNumbers(event);
        downstream.respond = (request, res) => void res.writeHead(JSON.parse(request.body).data === "b1" ? status : 200).end();
        const isolated: KinesisOnFailureRecord[] = [];

        const response = await forwarder({
          consumer: { ...consumerOptions, onFailureDestination: async (body) => (isolated.push(JSON.parse(body)), "message-1") },
        })(event, { awsRequestId: "req-9", invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:fwd" } as never);

        expect(response).to.deep.equal({ batchItemFailures: [] });
        expect(downstream.requests.map((r) => JSON.parse(r.body).data)).to.deep.equal(["a0", "b1", "b2", "c3"]);
        expect(isolated).to.have.length(1);
        expect(isolated[0]!.requestContext).to.deep.equal({
          requestId: "req-9",
          functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:fwd",
          condition: "RecordFailedPermanently",
          approximateInvokeCount: 1,
        });
        expect(isolated[0]!.KinesisBatchInfo).to.include({ startSequenceNumber: seqs[1], endSequenceNumber: seqs[1], batchSize: 1 });
        expect(isolated[0]!.kinesisIngest).to.deep.equal({
          partitionKey: "b",
          subSequenceNumber: 0,
          idempotencyKey: `shardId-000000000000:${seqs[1]}:0`,
          reason: `PermanentRecordError: The downstream answered HTTP ${status} (permanent); the record fails.`,
        });
        expect(failureLogs()).to.deep.equal([]);
        expect(lines.filter((l) => l.level === "warn").map((l) => [l.message, l.sequenceNumber, l.onFailureMessageId])).to.deep.equal([
          ["Poison record isolated to the on-failure queue", seqs[1], "message-1"],
          ["Kinesis batch processed", undefined, undefined],
        ]);
      });
    }

    it("a timeout fails the item as retriable", async () => {
      givenSecret({ authorization: CREDENTIAL });
      const event = await source.eventOf([keyed("a", "1"), keyed("b", "2")]);
      downstream.respond = (request, res) => {
        if (request.body.endsWith('"data":1}')) setTimeout(() => res.writeHead(200).end(), 1_000);
        else res.writeHead(200).end();
      };

      const response = await forwarder({ requestTimeoutMs: 150 })(event);

      expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[0] }] });
      expect(failureLogs().map((l) => l.error)).to.deep.equal([
        {
          name: "DeliveryError",
          message: "The downstream did not answer within 150 ms.",
          downstreamStatus: "timeout",
          retriable: true,
          target: targetUrl,
          cause: "TimeoutError",
        },
      ]);
    });

    it("a refused connection fails every first record of a key as a retriable network error", async () => {
      givenSecret({ authorization: CREDENTIAL });
      const event = await source.eventOf([keyed("a", "1"), keyed("a", "2"), keyed("b", "3")]);
      const closedUrl = `http://127.0.0.1:${await freePort()}/events`;

      const response = await forwarder({ targetUrl: closedUrl, consumer: { concurrency: 4, writeLine: (l) => lines.push(JSON.parse(l)) } })(
        event,
      );

      const seqs = sequenceNumbers(event);
      expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: seqs[0] }, { itemIdentifier: seqs[2] }] });
      expect(failureLogs().map((l) => [l.sequenceNumber, l.partitionKey, l.error])).to.deep.equal(
        [
          [seqs[0], "a"],
          [seqs[2], "b"],
        ].map(([seq, key]) => [
          seq,
          key,
          {
            name: "DeliveryError",
            message: "The downstream could not be reached.",
            downstreamStatus: "network-error",
            retriable: true,
            target: closedUrl,
            cause: "ECONNREFUSED",
          },
        ]),
      );
    });
  });

  describe("credential rotation", () => {
    it("on 401, reads the secret again and retries once with the rotated credential", async () => {
      secrets
        .on(GetSecretValueCommand, { SecretId: SECRET_ID })
        .resolvesOnce({ SecretString: JSON.stringify({ authorization: CREDENTIAL }) })
        .resolves({ SecretString: JSON.stringify({ authorization: ROTATED }) });
      const event = await source.eventOf([keyed("a", "1"), keyed("a", "2")]);
      downstream.respond = (request, res) => void res.writeHead(request.headers.authorization === ROTATED ? 200 : 401).end();

      expect(await forwarder()(event)).to.deep.equal({ batchItemFailures: [] });

      expect(downstream.requests.map((r) => r.headers.authorization)).to.deep.equal([CREDENTIAL, ROTATED, ROTATED]);
      expect(secrets.commandCalls(GetSecretValueCommand)).to.have.length(2);
      expect(failureLogs()).to.deep.equal([]);
    });

    it("on 403 after the re-read as well, fails the item as permanent without a third request", async () => {
      givenSecret({ authorization: CREDENTIAL });
      const event = await source.eventOf([keyed("a", "1")]);
      downstream.respond = (_request, res) => void res.writeHead(403).end();

      expect(await forwarder()(event)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceNumbers(event)[0] }] });

      expect(downstream.requests).to.have.length(2);
      expect(secrets.commandCalls(GetSecretValueCommand)).to.have.length(2);
      expect(failureLogs().map((l) => (l.error as Record<string, unknown>).downstreamStatus)).to.deep.equal([403]);
      expect(rawLines.join("\n")).not.to.include("s3cr3t");
    });

    it("re-reads the secret once for many records refused with the same credential", async () => {
      secrets
        .on(GetSecretValueCommand, { SecretId: SECRET_ID })
        .resolvesOnce({ SecretString: JSON.stringify({ authorization: CREDENTIAL }) })
        .resolves({ SecretString: JSON.stringify({ authorization: ROTATED }) });
      const event = await source.eventOf(Array.from({ length: 8 }, (_, i) => keyed(`k${i}`, String(i))));
      downstream.respond = (request, res) => void res.writeHead(request.headers.authorization === ROTATED ? 200 : 401).end();

      const response = await forwarder({ consumer: { concurrency: 8, writeLine: () => undefined } })(event);

      expect(response).to.deep.equal({ batchItemFailures: [] });
      expect(secrets.commandCalls(GetSecretValueCommand)).to.have.length(2);
    });
  });

  describe("configuration", () => {
    it("uses the secret's targetUrl when no target URL is given", async () => {
      givenSecret({ authorization: CREDENTIAL, targetUrl });
      const event = await source.eventOf([keyed("a", "1")]);

      expect(await forwarder({ targetUrl: undefined })(event)).to.deep.equal({ batchItemFailures: [] });
      expect(downstream.requests).to.have.length(1);
    });

    it("sends no Authorization header when the secret has no credential", async () => {
      givenSecret({});
      const event = await source.eventOf([keyed("a", "1")]);

      await forwarder()(event);
      expect(downstream.requests.map((r) => r.headers.authorization)).to.deep.equal([undefined]);
    });

    const broken: { name: string; secret: () => void; options?: Partial<ForwarderOptions>; error: string }[] = [
      {
        name: "a missing secret",
        secret: () =>
          secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("not found"), { name: "ResourceNotFoundException" })),
        error: `Secret "${SECRET_ID}" does not exist`,
      },
      {
        name: "a secret that is not JSON",
        secret: () => secrets.on(GetSecretValueCommand).resolves({ SecretString: "Bearer s3cr3t" }),
        error: `Secret "${SECRET_ID}" is not valid JSON (13 characters)`,
      },
      {
        name: "a non-string authorization",
        secret: () => givenSecret({ authorization: 42 }),
        error: `Secret "${SECRET_ID}" has a non-string "authorization"; it must be a string when present.`,
      },
      {
        name: "no target URL anywhere",
        secret: () => givenSecret({ authorization: CREDENTIAL }),
        options: { targetUrl: undefined },
        error: `No target URL: set TARGET_URL on the function or "targetUrl" in secret "${SECRET_ID}".`,
      },
      {
        name: "a secret targetUrl that is not http(s), not echoed",
        secret: () => givenSecret({ targetUrl: "ftp://user:s3cr3t@host/x" }),
        options: { targetUrl: undefined },
        error: `"targetUrl" in secret "${SECRET_ID}" is not an absolute http(s) URL.`,
      },
    ];
    for (const c of broken) {
      it(`fails the whole invocation, naming the secret, for ${c.name}; nothing is sent`, async () => {
        c.secret();
        const event = await source.eventOf([keyed("a", "1")]);
        let caught: Error | undefined;

        await forwarder(c.options)(event).catch((error: Error) => (caught = error));

        expect(caught?.message).to.include(c.error);
        expect(caught?.message).not.to.include("s3cr3t");
        expect(downstream.requests).to.deep.equal([]);
      });
    }

    it("throws SecretNotFoundError for a missing secret", async () => {
      secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("not found"), { name: "ResourceNotFoundException" }));
      let caught: unknown;
      await forwarder()({ Records: [] }).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(SecretNotFoundError);
    });

    it("reads its options from the environment, naming a wrong variable", () => {
      expect(forwarderOptionsFromEnv({ CONFIG_SECRET_ID: "s", TARGET_URL: "http://x/y", REQUEST_TIMEOUT_MS: "2500" })).to.deep.equal({
        secretId: "s",
        targetUrl: "http://x/y",
        requestTimeoutMs: 2500,
      });
      expect(forwarderOptionsFromEnv({ CONFIG_SECRET_ID: "s" })).to.deep.equal({
        secretId: "s",
        targetUrl: undefined,
        requestTimeoutMs: undefined,
      });
      expect(() => forwarderOptionsFromEnv({})).to.throw("CONFIG_SECRET_ID is not set; it must name the forwarder's ConfigSecret.");
      for (const bad of ["99", "60001", "1.5", "soon"]) {
        expect(() => forwarderOptionsFromEnv({ CONFIG_SECRET_ID: "s", REQUEST_TIMEOUT_MS: bad })).to.throw(
          `REQUEST_TIMEOUT_MS must be an integer from 100 to 60000, got "${bad}".`,
        );
      }
    });

    it("the Lambda entry forwards with the configuration of process.env", async () => {
      givenSecret({ authorization: CREDENTIAL });
      process.env.CONFIG_SECRET_ID = SECRET_ID;
      process.env.TARGET_URL = targetUrl;
      process.env.REQUEST_TIMEOUT_MS = "2000";
      const event = await source.eventOf([keyed("a", '{"x":1}')]);
      const write = process.stdout.write;
      process.stdout.write = () => true; // keep the EMF line out of the test report
      try {
        expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
      } finally {
        process.stdout.write = write;
      }
      expect(downstream.requests.map((r) => [r.headers.authorization, JSON.parse(r.body).data])).to.deep.equal([[CREDENTIAL, { x: 1 }]]);
    });
  });
});
