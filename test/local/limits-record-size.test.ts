/**
 * The limits proxy under the stream's maximum record size (`maxRecordSizeKiB`, which the local stack passes from
 * the validated `stream.maxRecordSizeKiB`): a record between 1 MiB and the limit passes (a shard bursts to take
 * it), a record above it fails the whole call with a ValidationException naming the limit, and the default stays
 * 1 MiB. The emulator behind the proxy is a stub that stores every entry, so only the proxy's rules are tested.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startLimitsProxy, type RunningLimitsProxy } from "../../local/limits";

const MiB = 1024 * 1024;
const StreamName = "s";
const KEY = "k";

/** A one-shard Kinesis stub: ListShards answers the whole hash range, PutRecord(s) store every entry. */
async function startStub(): Promise<{ endpoint: string; stored: number[]; server: Server }> {
  const stored: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"]).split(".")[1];
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Records?: Array<{ Data: string }>; Data?: string };
      const ok = { SequenceNumber: "1", ShardId: "shardId-000000000000" };
      let body: unknown = {};
      if (action === "ListShards")
        body = {
          Shards: [
            {
              ShardId: "shardId-000000000000",
              HashKeyRange: { StartingHashKey: "0", EndingHashKey: (2n ** 128n - 1n).toString() },
              SequenceNumberRange: { StartingSequenceNumber: "1" },
            },
          ],
        };
      if (action === "PutRecords") {
        for (const r of input.Records ?? []) stored.push(Buffer.byteLength(r.Data, "base64"));
        body = { FailedRecordCount: 0, Records: (input.Records ?? []).map(() => ok) };
      }
      if (action === "PutRecord") {
        stored.push(Buffer.byteLength(input.Data ?? "", "base64"));
        body = ok;
      }
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stored, server };
}

describe("Kinesis limits proxy: the stream's maximum record size", () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  let proxy: RunningLimitsProxy;
  let client: KinesisClient;

  async function start(maxRecordSizeKiB?: number): Promise<void> {
    stub = await startStub();
    proxy = await startLimitsProxy({ target: stub.endpoint, maxRecordSizeKiB });
    client = new KinesisClient({
      endpoint: proxy.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  }
  afterEach(async () => {
    client.destroy();
    await proxy.stop();
    stub.server.closeAllConnections();
    stub.server.close();
  });

  const entry = (size: number) => ({ Data: Buffer.alloc(size - KEY.length, 1), PartitionKey: KEY });

  it("passes a record between 1 MiB and a raised limit (2048 KiB): the shard bursts to take it", async () => {
    await start(2048);
    const answer = await client.send(new PutRecordsCommand({ StreamName, Records: [entry(2 * MiB)] }));
    expect([answer.FailedRecordCount, stub.stored]).to.deep.equal([0, [2 * MiB - KEY.length]]);
  });

  it("refuses a call holding a record above the limit, naming the limit, and writes nothing", async () => {
    await start(2048);
    const refused = await client
      .send(new PutRecordsCommand({ StreamName, Records: [entry(10), entry(2 * MiB + 1)] }))
      .catch((error: Error) => error);
    expect([(refused as Error).name, (refused as Error).message]).to.deep.equal([
      "ValidationException",
      `Record 1 is ${2 * MiB + 1} bytes (data plus partition key); the stream's maximum record size is ${2 * MiB} bytes (2048 KiB).`,
    ]);
    const single = await client.send(new PutRecordCommand({ StreamName, ...entry(2 * MiB + 1) })).catch((error: Error) => error);
    expect((single as Error).name).to.equal("ValidationException");
    expect(stub.stored).to.deep.equal([]);
  });

  it("keeps 1 MiB when the limit is not raised", async () => {
    await start();
    const refused = await client.send(new PutRecordsCommand({ StreamName, Records: [entry(MiB + 1)] })).catch((error: Error) => error);
    expect((refused as Error).message).to.contain(`maximum record size is ${MiB} bytes (1024 KiB)`);
  });
});
