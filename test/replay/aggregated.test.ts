/** `replay --to-file` of KPL-aggregated records: one line per user record, as the consumer runtime sees them. */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { KinesisProducer } from "../../client/kinesis-producer";
import { main as replay } from "../../cli/replay";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { readNdjson, runCli } from "./cli-harness";
import { createStream } from "./support";

describe("kinesis-ingest replay of KPL-aggregated records (kinesalite)", () => {
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  let dir: string;

  before(async () => {
    kinesis = await startKinesalite();
    client = localKinesisClient(kinesis.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "replay-agg-"));
    await createStream(client, "packed", 1);
  });

  after(async () => {
    client.destroy();
    await kinesis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes one line per user record with its own partition key and sub-sequence number", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const producer = await KinesisProducer.create({ streamName: "packed", client, aggregate: true, shardRate: false });
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => producer.put({ data: { n }, partitionKey: `key-${n % 3}` })));
    await producer.close();
    expect(new Set(results.map((r) => r.sequenceNumber)).size).to.be.lessThan(30); // really aggregated

    const file = path.join(dir, "packed.ndjson");
    const run = await runCli(replay, ["--stream", "packed", "--from", from, "--endpoint", kinesis.endpoint, "--to-file", file]);
    expect(run.code).to.equal(0);
    const lines = readNdjson<{ data: { n: number }; partitionKey: string; sequenceNumber: string; subSequenceNumber: number }>(file);
    expect(lines.map((l) => l.data.n).sort((a, b) => a - b)).to.deep.equal([...Array(30).keys()]);
    for (const line of lines) {
      const result = results[line.data.n]!;
      expect([line.partitionKey, line.sequenceNumber, line.subSequenceNumber]).to.deep.equal([
        `key-${line.data.n % 3}`,
        result.sequenceNumber,
        result.subSequenceNumber,
      ]);
    }

    // Filters look inside aggregates: the one holding n=7 is replayed (whole), the others are not.
    const filtered = path.join(dir, "filtered.ndjson");
    const run2 = await runCli(replay, [
      "--stream",
      "packed",
      "--from",
      from,
      "--endpoint",
      kinesis.endpoint,
      "--to-file",
      filtered,
      "--where",
      "n=7",
      "--partition-key",
      "key-1",
    ]);
    expect(run2.code).to.equal(0);
    const holding7 = results[7]!.sequenceNumber;
    const expected = results
      .map((r, n) => ({ n, seq: r.sequenceNumber }))
      .filter((r) => r.seq === holding7)
      .map((r) => r.n);
    expect(
      readNdjson<{ data: { n: number } }>(filtered)
        .map((l) => l.data.n)
        .sort((a, b) => a - b),
    ).to.deep.equal(expected);
  });
});
