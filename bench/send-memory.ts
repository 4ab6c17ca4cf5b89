/**
 * The memory of `kinesis-ingest send`: the command streaming generated NDJSON to a counting API server under
 * a 64 MiB old-space cap, its peak RSS as the kernel's high-water mark it reports (`peakRssMiB`). Its own file
 * because it measures the CLI process, with a server of its own, not the producers the rest of
 * bench/producer.bench.ts runs against a shard.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** A counting API server on 127.0.0.1. */
export interface CountingApi {
  readonly url: string;
  /** Records answered as stored so far. */
  readonly count: () => number;
  readonly stop: () => Promise<void>;
}

/** One run of `kinesis-ingest send`. */
export interface SendMemory {
  readonly count: number;
  readonly seconds: number;
  /** Its peak RSS (MiB), as the command reports it. */
  readonly peakMiB: number;
  readonly exit: number | null;
}

/** A contract-conforming API that stores nothing: only counts, so the client's memory is all we measure. */
export async function startCountingApi(): Promise<CountingApi> {
  let stored = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { records } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { records: unknown[] };
    const results = records.map(() => ({ sequenceNumber: String(++stored), shardId: "shardId-000000000000" }));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ failedRecordCount: 0, records: results }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => stored,
    stop: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * Runs `kinesis-ingest send --url url` on `count` generated lines (`line(i)`, each ending in a newline); its
 * JSON summary reports its peak RSS.
 */
export async function sendMemory(url: string, count: number, line: (i: number) => string): Promise<SendMemory> {
  // A 64 MiB old-space cap: a client whose memory grew with the input would die of OOM at 1M records.
  const child = spawn(
    process.execPath,
    ["--max-old-space-size=64", path.join(__dirname, "..", "cli", "bin.cjs"), "send", "--url", url, "--json", "--no-progress"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const started = Date.now();
  for (let i = 0; i < count; i += 1000) {
    const lines = Array.from({ length: Math.min(1000, count - i) }, (_, j) => line(i + j)).join("");
    if (!child.stdin.write(lines)) await once(child.stdin, "drain");
  }
  child.stdin.end();
  const [exit] = (await once(child, "close")) as [number | null];
  const summary = JSON.parse(stdout) as { peakRssMiB: number };
  return { count, seconds: (Date.now() - started) / 1000, peakMiB: summary.peakRssMiB, exit };
}
