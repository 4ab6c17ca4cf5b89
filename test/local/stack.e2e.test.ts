/**
 * End to end: `npm start` as a child process, driven over HTTP as a user would. The dev stack: one shard,
 * forwarder with batch size 100, 1 s window, bisect on, 3 retries, its on-failure queue in SQS.
 */
import { expect } from "chai";
import { GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-kinesis";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { localKinesisClient, localSqsClient, LOCAL_REGION } from "../../local/emulators";
import type { SinkRecord } from "../../local/sink";
import { eventually, groupAlive, killGroup, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

interface SinkList {
  readonly accepted: number;
  readonly rejected: number;
  readonly records: SinkRecord[];
}

describe("local stack end to end (npm start, kinesalite)", function () {
  this.timeout(90_000);
  let stack: LocalStackProcess;

  before(async () => {
    stack = await startLocalStackProcess([], { env: { SINK_REJECT_FIELD: "poison" } });
  });

  after(async () => {
    if (stack) await stack.interrupt();
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-4000));
  });

  const sink = async (): Promise<SinkList> => (await (await fetch(`${stack.url}/_local/sink`)).json()) as SinkList;

  it("prints the URL, the token and a ready line", () => {
    expect(stack.output()).to.contain(`on ${stack.url}`);
    expect(stack.output()).to.contain(`token: ${stack.token} (from INGEST_TOKEN)`);
    expect(stack.output()).to.match(/^ready in \d+\.\d s$/m);
    expect(stack.output()).to.contain('note: SINK_REJECT_FIELD=poison: the sink refuses (422) every record whose data has "poison": true');
  });

  it("answers the API contract's auth errors like the gateway: 401 without a token, 403 with a wrong one", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${stack.url}/records`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: '{"records":[{"data":1}]}',
      });
    const missing = await post({});
    const forged = await post({ authorization: "Bearer not-the-token" });
    expect([missing.status, await missing.json()]).to.deep.equal([401, { message: "Unauthorized" }]);
    expect([forged.status, await forged.json()]).to.deep.equal([403, { message: "Forbidden" }]);
    const health = await fetch(`${stack.url}/health`);
    expect([health.status, await health.json()]).to.deep.equal([200, { status: "ok" }]);
  });

  it("delivers every posted record downstream, in order per partition key", async () => {
    const keys = ["alpha", "beta", "gamma", "delta", "epsilon"];
    const posted = new Map<string, number[]>(keys.map((k) => [k, []]));
    for (let request = 0; request < 3; request++) {
      const records = Array.from({ length: 100 }, (_, i) => {
        const n = request * 100 + i;
        const key = keys[n % keys.length]!;
        posted.get(key)!.push(n);
        return { data: { run: "order", n }, partitionKey: key };
      });
      const { status, body } = await stack.postRecords(records);
      expect([status, body.failedRecordCount]).to.deep.equal([200, 0]);
    }
    const delivered = await eventually("300 records at the sink", async () => {
      const list = (await sink()).records.filter((r) => (r.data as { run?: string }).run === "order");
      return list.length >= 300 ? list : undefined;
    });
    for (const key of keys) {
      const seen = delivered.filter((r) => r.partitionKey === key).map((r) => (r.data as { n: number }).n);
      expect(seen, `order of ${key}`).to.deep.equal(posted.get(key));
    }
  });

  it("isolates a record the downstream refuses for good alone in the on-failure queue, pointing at it, while every other record flows (docs/poison-records.md)", async () => {
    const records = Array.from({ length: 40 }, (_, n) => ({
      data: n === 17 ? { run: "poison", n, poison: true } : { run: "poison", n },
      partitionKey: `key-${n % 4}`,
    }));
    const { status, body } = await stack.postRecords(records);
    expect(status).to.equal(200);
    const poisonSequence = body.records[17]!.sequenceNumber!;

    const { sqsEndpoint, queues, streamArn, streamName, kinesisEndpoint } = await stack.status();
    const sqs = localSqsClient(sqsEndpoint);
    const message = await eventually("the on-failure record", async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.forwarder, WaitTimeSeconds: 1 }));
      return received.Messages?.[0];
    });
    sqs.destroy();
    const failure = JSON.parse(message.Body!) as {
      requestContext: { condition: string; functionArn: string; approximateInvokeCount: number };
      responseContext: { statusCode: number; executedVersion: string };
      version: string;
      KinesisBatchInfo: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; batchSize: number; streamArn: string };
    };
    // The sink answers 422 for it: refused for good, so the runtime isolates it on its first attempt.
    expect(failure.requestContext.condition).to.equal("RecordFailedPermanently");
    // The deployed function's name, kinesis-ingest-<stack>-<consumer>, not the local short name.
    expect(failure.requestContext.functionArn).to.equal("arn:aws:lambda:us-east-1:000000000000:function:kinesis-ingest-dev-forwarder");
    expect(failure.requestContext.approximateInvokeCount).to.equal(1);
    expect(failure.version).to.equal("1.0");
    const info = failure.KinesisBatchInfo;
    expect(info.shardId).to.equal("shardId-000000000000");
    expect(info.streamArn).to.equal(streamArn);
    expect([info.startSequenceNumber, info.endSequenceNumber, info.batchSize]).to.deep.equal([poisonSequence, poisonSequence, 1]);

    // The pointers find exactly the discarded records in the stream, the poison first.
    const kinesis = localKinesisClient(kinesisEndpoint);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName, // kinesalite knows streams by name only
        ShardId: info.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        StartingSequenceNumber: info.startSequenceNumber,
      }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    kinesis.destroy();
    const end = BigInt(info.endSequenceNumber);
    const discarded = page.Records!.filter((r) => BigInt(r.SequenceNumber!) <= end);
    expect(discarded.length).to.equal(info.batchSize);
    expect(JSON.parse(Buffer.from(discarded[0]!.Data!).toString())).to.deep.equal({ run: "poison", n: 17, poison: true });

    // Every record outside the discarded range reached the sink; the poison never did.
    const discardedNs = new Set(discarded.map((r) => (JSON.parse(Buffer.from(r.Data!).toString()) as { n: number }).n));
    const expected = records.map((r) => r.data.n).filter((n) => !discardedNs.has(n));
    const delivered = await eventually("the other records at the sink", async () => {
      const ns = (await sink()).records
        .filter((r) => (r.data as { run?: string }).run === "poison")
        .map((r) => (r.data as { n: number }).n);
      return expected.every((n) => ns.includes(n)) ? ns : undefined;
    });
    expect(delivered).to.not.include(17);

    expect(delivered.filter((n) => n !== 17)).to.have.length(39); // every other record, once
    const { consumers } = await stack.status();
    // Nothing failed for the mapping: it never retried, bisected or gave up on a range.
    expect(consumers.forwarder!.dlqRecords).to.equal(0);
    expect(consumers.forwarder!.batchItemFailures).to.equal(0);
    expect(consumers.forwarder!.records).to.be.at.least(340);
    expect(consumers.forwarder!.iteratorAgeMs).to.be.a("number");
  });

  it("serves the Lambda Invoke API to @aws-sdk/client-lambda for every function", async () => {
    const lambda = new LambdaClient({ endpoint: stack.url, region: LOCAL_REGION, credentials: { accessKeyId: "l", secretAccessKey: "l" } });
    const invoke = async (FunctionName: string, event: unknown) => {
      const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)) }));
      return {
        status: out.StatusCode,
        functionError: out.FunctionError,
        payload: JSON.parse(Buffer.from(out.Payload!).toString()) as unknown,
      };
    };
    const { streamArn } = await stack.status();
    const kinesisEvent = {
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: "1.0",
            partitionKey: "direct",
            sequenceNumber: "49590338271490256608559692538361571095921575989136588898",
            data: Buffer.from(JSON.stringify({ run: "invoke" })).toString("base64"),
            approximateArrivalTimestamp: 1700000000.123,
          },
          eventSource: "aws:kinesis",
          eventVersion: "1.0",
          eventID: "shardId-000000000000:49590338271490256608559692538361571095921575989136588898",
          eventName: "aws:kinesis:record",
          invokeIdentityArn: "arn:aws:iam::000000000000:role/forwarder-role",
          awsRegion: LOCAL_REGION,
          eventSourceARN: streamArn,
        },
      ],
    };
    expect(await invoke("forwarder", kinesisEvent)).to.deep.equal({
      status: 200,
      functionError: undefined,
      payload: { batchItemFailures: [] },
    });
    expect((await sink()).records.some((r) => (r.data as { run?: string }).run === "invoke")).to.equal(true);

    const thrown = await invoke("ingest", { not: "an HTTP event" });
    expect(thrown.functionError).to.equal("Unhandled");
    expect(thrown.payload).to.include({ errorType: "TypeError" });

    const denied = await invoke("authorizer", {
      version: "2.0",
      type: "REQUEST",
      headers: { authorization: "Bearer wrong" },
      requestContext: {},
    });
    expect(denied.payload).to.deep.equal({ isAuthorized: false });

    const missing = await invoke("no-such-function", {}).catch((e: Error) => e);
    expect(missing).to.be.instanceOf(ResourceNotFoundException);
    lambda.destroy();
  });

  it("stops on SIGINT to its process group within a few seconds, leaving no process and freeing the port", async () => {
    const pgid = stack.child.pid!;
    const { exitMs } = await stack.interrupt();
    expect(exitMs).to.be.lessThan(5000);
    await eventually("the process group to be gone", async () => (groupAlive(pgid) ? undefined : true), 3000).catch((error) => {
      killGroup(pgid, "SIGKILL");
      throw error;
    });
    const free = await fetch(`${stack.url}/health`).then(
      () => false,
      () => true,
    );
    expect(free).to.equal(true);
  });
});
