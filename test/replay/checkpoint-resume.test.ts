/**
 * A replay killed with SIGKILL mid-way and resumed from its checkpoint: no gap, no record twice, nothing
 * written after the first start (the replay's end is fixed when it first starts).
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { main as replay } from "../../cli/replay";
import { runCli, readNdjson } from "./cli-harness";
import { createStream, perKeySequences, putKeyed } from "./support";
import type { CheckpointState } from "../../replay/checkpoint";

const ROOT = path.resolve(__dirname, "../..");

describe("replay --checkpoint: killed and resumed", function () {
  let kinesis: RunningEmulator;
  let client: KinesisClient;
  let dir: string;

  before(async () => {
    kinesis = await startKinesalite();
    client = localKinesisClient(kinesis.endpoint);
    dir = mkdtempSync(path.join(tmpdir(), "replay-resume-"));
  });

  after(async () => {
    client.destroy();
    await kinesis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes after SIGKILL with no gap and no duplicate, up to the end fixed at the first start", async () => {
    await createStream(client, "clicks", 3);
    const from = new Date(Date.now() - 1000).toISOString();
    const keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const written = await putKeyed(client, "clicks", keys, 100);
    const file = path.join(dir, "clicks.ndjson");
    const checkpoint = path.join(dir, "clicks.checkpoint.json");
    const args = [
      "--stream",
      "clicks",
      "--from",
      from,
      "--to-file",
      file,
      "--checkpoint",
      checkpoint,
      "--batch-size",
      "20",
      "--endpoint",
      kinesis.endpoint,
    ];

    // Slow the first run down so it is surely killed mid-way: 800 records at 200/s take 4 s.
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli/replay.ts"), ...args, "--rate", "200"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(
      () => existsSync(checkpoint) && lineCount(file) >= 200,
      20_000,
      () => stderr,
    );
    child.kill("SIGKILL");
    await once(child, "exit");
    const linesAtKill = readNdjson(file).length;
    expect(linesAtKill).to.be.within(200, written.length - 100);

    // Written after the first start: beyond the replay's end, never replayed even by the resumed run.
    await putKeyed(client, "clicks", keys, 5, 100);
    const resumed = await runCli(replay, args);
    expect(resumed.stderr).to.equal("");
    expect(resumed.code).to.equal(0);
    expect(JSON.parse(resumed.stdout)).to.include({ resumed: true, failed: 0 });

    const lines = readNdjson(file);
    expect(lines.map((l) => l.sequenceNumber).sort()).to.deep.equal(written.map((w) => w.sequenceNumber).sort());
    for (const [key, ns] of perKeySequences(lines)) expect(ns, key).to.deep.equal([...Array(100).keys()]);
    const state = JSON.parse(readFileSync(checkpoint, "utf8")) as CheckpointState;
    for (const [shardId, s] of Object.entries(state.shards)) expect(s.done, `${shardId} done`).to.equal(true);
    expect(state.targetBytes).to.equal(readFileSync(file).length);

    // Running it again finds every shard done and changes nothing.
    const again = await runCli(replay, args);
    expect(JSON.parse(again.stdout)).to.include({ resumed: true, delivered: 0, read: 0 });
    expect(readNdjson(file)).to.have.length(written.length);
  });

  it("refuses a checkpoint written for another replay", async () => {
    const checkpoint = path.join(dir, "clicks.checkpoint.json");
    const run = await runCli(replay, [
      "--stream",
      "clicks",
      "--from",
      new Date(Date.now() - 1000).toISOString(),
      "--dry-run",
      "--checkpoint",
      checkpoint,
      "--endpoint",
      kinesis.endpoint,
    ]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      /^kinesis-ingest replay: Checkpoint .* belongs to another replay: its from is "time:.*", this replay's is "time:.*"\. Use another --checkpoint file or delete this one\.\n$/,
    );
  });
});

/** Lines in the replay file so far. */
function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").length - 1 : 0;
}

async function waitFor(condition: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; child stderr: ${context()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
