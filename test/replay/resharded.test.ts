/**
 * Replay across resharding on kinesis-local (UpdateShardCount 2 → 4 → 3): closed parents are read to
 * their end before any child, so every partition key's records come out in the order they were written.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { UpdateShardCountCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesisLocal, type RunningEmulator } from "../../local/emulators";
import { main as replay } from "../../cli/replay";
import { describeStream } from "../../replay/stream-info";
import { listedParents, shardWaves } from "../../replay/shard-graph";
import { runCli, readNdjson } from "./cli-harness";
import { createStream, perKeySequences, putKeyed, waitActive } from "./support";

describe("replay across a resharded stream (kinesis-local)", function () {
  this.timeout(120_000);
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  let dir: string;
  const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
  let from: string;

  before(async () => {
    kinesis = await startKinesisLocal();
    client = localKinesisClient(kinesis.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "replay-reshard-"));
    await createStream(client, "resharded", 2);
    from = new Date(Date.now() - 1000).toISOString();
    await putKeyed(client, "resharded", keys, 10, 0);
    await reshard(4);
    await putKeyed(client, "resharded", keys, 10, 10);
    await reshard(3);
    await putKeyed(client, "resharded", keys, 10, 20);
  });

  after(async () => {
    client.destroy();
    await kinesis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function reshard(target: number): Promise<void> {
    await client.send(new UpdateShardCountCommand({ StreamName: "resharded", TargetShardCount: target, ScalingType: "UNIFORM_SCALING" }));
    await new Promise((r) => setTimeout(r, 200));
    await waitActive(client, "resharded");
  }

  it("has closed parent shards and children listing them", async () => {
    const stream = await describeStream(client, "resharded");
    const listed = new Set(stream.shards.map((s) => s.shardId));
    expect(stream.shards.filter((s) => s.endingSequenceNumber !== undefined).length).to.be.at.least(2);
    expect(stream.shards.filter((s) => listedParents(s, listed).length > 0).length).to.be.at.least(3);
    expect(shardWaves(stream.shards).length).to.be.at.least(3);
  });

  it("replays every record once with each key's records in write order", async () => {
    const file = path.join(dir, "resharded.ndjson");
    const run = await runCli(replay, [
      "--stream",
      "resharded",
      "--from",
      from,
      "--to-file",
      file,
      "--batch-size",
      "7",
      "--endpoint",
      kinesis.endpoint,
    ]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    const lines = readNdjson(file);
    expect(lines).to.have.length(keys.length * 30);
    const sequences = perKeySequences(lines);
    expect([...sequences.keys()].sort()).to.deep.equal([...keys].sort());
    for (const [key, ns] of sequences) expect(ns, key).to.deep.equal([...Array(30).keys()]);

    // Every child's first line comes after its parents' last lines.
    const stream = await describeStream(client, "resharded");
    const listed = new Set(stream.shards.map((s) => s.shardId));
    const firstLine = (shardId: string) => lines.findIndex((l) => l.shardId === shardId);
    const lastLine = (shardId: string) => lines.map((l) => l.shardId).lastIndexOf(shardId);
    for (const shard of stream.shards) {
      for (const parent of listedParents(shard, listed)) {
        if (firstLine(shard.shardId) >= 0 && lastLine(parent) >= 0)
          expect(firstLine(shard.shardId), `${shard.shardId} after ${parent}`).to.be.above(lastLine(parent));
      }
    }
  });
});
