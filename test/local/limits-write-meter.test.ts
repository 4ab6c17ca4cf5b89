/**
 * The limits proxy's `onWrite` (local/limits/write-meter.ts), the local stand-in for the stream's CloudWatch
 * metrics the local stream scaler reads: per answered call, the records stored and their bytes (data plus
 * partition key), and the records throttled.
 */
import { expect } from "chai";
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startLimitsProxy, type RunningLimitsProxy, type WriteCounts } from "../../local/limits";
import { createStream } from "../../local/provision";
import { LOCAL_REGION, startKinesalite, type RunningEmulator } from "../../local/emulators";

describe("Kinesis limits proxy: what it tells of each write", () => {
  const StreamName = "write-meter-test";
  const seen: Array<[string, WriteCounts]> = [];
  let kinesis: RunningEmulator;
  let proxy: RunningLimitsProxy;
  let client: KinesisClient;
  const frozen = () => 1_000_000; // no refill: the second call finds the shard's 1,000 records/s spent

  before(async () => {
    kinesis = await startKinesalite();
    proxy = await startLimitsProxy({ target: kinesis.endpoint, clock: frozen, onWrite: (stream, counts) => seen.push([stream, counts]) });
    client = new KinesisClient({
      endpoint: proxy.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    await createStream(client, StreamName, 1);
  });

  after(async () => {
    client.destroy();
    await proxy.stop();
    await kinesis.stop();
  });

  it("counts stored records with their bytes, and throttled ones, per PutRecords and PutRecord", async () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Data: Buffer.from("abcd"), PartitionKey: `k${i % 10}` }));
    for (let call = 0; call < 3; call++) await client.send(new PutRecordsCommand({ StreamName, Records: entries(400) }));
    await client.send(new PutRecordCommand({ StreamName, Data: Buffer.from("x"), PartitionKey: "k" })).catch(() => undefined);
    expect(seen).to.deep.equal([
      [StreamName, { records: 400, bytes: 400 * 6, throttled: 0 }],
      [StreamName, { records: 400, bytes: 400 * 6, throttled: 0 }],
      [StreamName, { records: 200, bytes: 200 * 6, throttled: 200 }],
      [StreamName, { records: 0, bytes: 0, throttled: 1 }],
    ]);
  });
});
