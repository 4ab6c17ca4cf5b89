import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { localKinesisClient } from "../../local/emulators";
import { startLocalStackProcess, type LocalStackProcess } from "../local/support/local-stack-process";
import { readAll } from "../client/kinesis-read-back";

const BIN = path.join(__dirname, "..", "..", "cli", "bin.cjs");

describe("kinesis-ingest send through the local stack with --limits (end to end)", () => {
  let stack: LocalStackProcess;
  before(async function () {
    this.timeout(90_000);
    stack = await startLocalStackProcess(["--limits"], { timeoutMs: 60_000 });
  });
  after(async () => stack?.stop());

  it("stores every record once through the API despite the 1,000 records/s shard limit, with results matching the stream", async function () {
    this.timeout(90_000);
    const count = 3000;
    const input = Array.from({ length: count }, (_, i) => JSON.stringify({ data: { e2e: i }, partitionKey: `k${i % 31}` })).join("\n");
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "send", "--url", stack.url, "--json", "--concurrency", "4"], {
        env: { ...process.env, INGEST_TOKEN: stack.token },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
    expect(run.code, run.stderr).to.equal(0);
    const summary = JSON.parse(run.stdout) as { stored: number; failed: number; seconds: number };
    expect(summary, run.stdout).to.include({ stored: count, failed: 0 });
    // One shard at 1,000 records/s with a one-second burst: the limits layer held 3,000 records for ≥ 2 s.
    expect(summary.seconds).to.be.at.least(2);
    const status = await stack.status();
    const client = localKinesisClient(status.kinesisEndpoint);
    const read = (await readAll(client, status.streamName))
      .map((r) => JSON.parse(r.data.toString("utf8")) as { e2e?: number })
      .filter((d) => d.e2e !== undefined);
    client.destroy();
    expect(read).to.have.length(count);
    expect(new Set(read.map((d) => d.e2e)).size).to.equal(count);
  });
});
