import { expect } from "chai";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { localKinesisClient, startKinesalite, type RunningEmulator } from "../../local/emulators";
import { startFakeApi, type FakeApi } from "../client/fake-api";
import { readAll } from "../client/kinesis-read-back";

const BIN = path.join(__dirname, "..", "..", "cli", "bin.cjs");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node cli/bin.cjs send …` as a child process, as a user would. */
function runSend(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "send", ...args], {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

describe("kinesis-ingest send (child process)", () => {
  let api: FakeApi;
  let dir: string;
  beforeEach(async () => {
    api = await startFakeApi("tok-123");
    dir = mkdtempSync(path.join(tmpdir(), "send-test-"));
  });
  afterEach(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, lines: string[]) => {
    const target = path.join(dir, name);
    writeFileSync(target, `${lines.join("\n")}\n`);
    return target;
  };

  it("sends every line shape to the API, reads the token from INGEST_TOKEN, and prints a JSON summary", async () => {
    const lines = [
      JSON.stringify({ data: { order: 1 }, partitionKey: "o-1" }),
      JSON.stringify({ dataBase64: Buffer.from("raw bytes").toString("base64") }),
      JSON.stringify("a bare string"),
      "42",
      "",
      JSON.stringify({ order: 2 }),
      ...Array.from({ length: 995 }, (_, i) => JSON.stringify({ data: i })),
    ];
    const run = await runSend([file("in.ndjson", lines), "--url", api.url, "--json", "--batch-size", "100"], {
      env: { INGEST_TOKEN: "tok-123" },
    });
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).to.include({ lines: 1001, stored: 1000, failed: 0, invalid: 0, retries: 0, requests: 10, exitCode: 0 });
    expect(api.stored.slice(0, 5).map(({ sequenceNumber: _s, ...record }) => record)).to.deep.equal([
      { data: { order: 1 }, partitionKey: "o-1" },
      { dataBase64: Buffer.from("raw bytes").toString("base64") },
      { data: "a bare string" },
      { data: 42 },
      { data: { order: 2 } },
    ]);
  });

  it("sends each line's data as its exact text, as the API stores it: big numbers, 1.0, spacing and key order unchanged", async () => {
    const exact = ['{"big":12345678901234567890.123456789,"f":1.0}', '{ "z" : 1e2, "a" : [ 1.50 ] }', "-0.0"];
    const input = [`{"partitionKey":"k","data":${exact[0]}}`, `{"data": ${exact[1]} }`, ` ${exact[2]} `].join("\n");
    const run = await runSend(["-", "--url", api.url, "--token", "tok-123", "--json"], { stdin: input });
    expect(run.code, run.stderr).to.equal(0);
    expect(api.bodies).to.deep.equal([`{"records":[{"data":${exact[0]},"partitionKey":"k"},{"data":${exact[1]}},{"data":${exact[2]}}]}`]);
  });

  it("refuses a record over Kinesis's default 1 MiB before sending, and sends it with --max-record-size-kib (large records)", async () => {
    const big = JSON.stringify({ data: "x".repeat(1_500_000), partitionKey: "big" });
    const refused = await runSend(["-", "--url", api.url, "--token", "tok-123", "--json"], { stdin: big });
    expect([refused.code, (JSON.parse(refused.stdout) as { invalid: number }).invalid, api.bodies.length]).to.deep.equal([1, 1, 0]);
    expect(refused.stderr).to.include("must be 1 to 1048576 bytes (the stream's maximum record size), got 1500005");
    const sent = await runSend(["-", "--url", api.url, "--token", "tok-123", "--json", "--max-record-size-kib", "2048"], { stdin: big });
    expect([sent.code, (JSON.parse(sent.stdout) as { stored: number }).stored, api.stored.length]).to.deep.equal([0, 1, 1]);
    expect((await runSend(["-", "--url", api.url, "--max-record-size-kib", "20000"], { stdin: "{}" })).code).to.equal(64);
  });

  it("stops at an invalid line by default: reports its number, sends nothing after it, exits 1", async () => {
    const input = ['{"data":1}', '{"data":2}', "{not json", '{"data":4}'].join("\n");
    const run = await runSend(["-", "--url", api.url, "--token", "tok-123", "--json"], { stdin: input });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^line 3: invalid record, stopping: not valid JSON \(.+\)\n$/);
    expect(api.stored.map((r) => r.data)).to.deep.equal([1, 2]);
    expect(JSON.parse(run.stdout)).to.include({ stored: 2, invalid: 1, stoppedAtLine: 3, exitCode: 1 });
  });

  it("skips invalid lines with --on-invalid skip, naming each, and exits 2", async () => {
    const input = [
      '{"data":1}',
      '{"data":1,"dataBase64":"AA=="}',
      '{"data":3,"colour":"red"}',
      '{"data":4,"partitionKey":""}',
      '{"data":5}',
    ].join("\n");
    const run = await runSend(["--url", api.url, "--token", "tok-123", "--on-invalid", "skip"], { stdin: input });
    expect(run.code).to.equal(2);
    const errors = run.stderr.split("\n").filter((line) => line.startsWith("line "));
    expect(errors).to.deep.equal([
      "line 2: invalid record, skipped: A record must have exactly one of `data` (any JSON value) or `dataBase64` (a base64 string).",
      "line 3: invalid record, skipped: unknown key `colour` in a record; allowed: data, dataBase64, partitionKey",
      "line 4: invalid record, skipped: `partitionKey` must be a string of 1 to 256 characters.",
    ]);
    expect(run.stderr).to.match(/send: 2 stored, 0 not stored, 3 invalid/);
    expect(api.stored.map((r) => r.data)).to.deep.equal([1, 5]);
  });

  it("writes records that could not be stored to --failed with the error, exits 1, and the file can be sent again", async () => {
    api.poison = JSON.stringify("refused");
    const failed = path.join(dir, "failed.ndjson");
    const input = ['{"data":"ok-1"}', '{"data":"refused","partitionKey":"p"}', '{"data":"ok-2"}'].join("\n");
    const run = await runSend(["--url", api.url, "--token", "tok-123", "--failed", failed, "--json", "--linger-ms", "50"], {
      stdin: input,
    });
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.stdout)).to.include({ stored: 2, failed: 1, failedFile: failed, exitCode: 1 });
    expect(readFileSync(failed, "utf8")).to.equal(
      `${JSON.stringify({ data: "refused", partitionKey: "p", error: "The API refused the record with HTTP 400: poisoned record" })}\n`,
    );
    // The failed file keeps a record's data exact too.
    api.poison = "12345678901234567000";
    const big = await runSend(["--url", api.url, "--token", "tok-123", "--failed", failed], { stdin: '{"data":12345678901234567890.0}' });
    expect(big.code).to.equal(1);
    expect(readFileSync(failed, "utf8")).to.match(
      /^\{"data":12345678901234567890\.0,"error":"The API refused the record with HTTP 400: poisoned record"\}\n$/,
    );
    api.poison = JSON.stringify("refused");
    writeFileSync(failed, `${JSON.stringify({ data: "refused", partitionKey: "p", error: "earlier" })}\n`);
    api.poison = undefined;
    const again = await runSend([failed, "--url", api.url, "--token", "tok-123", "--json"]);
    expect(again.code).to.equal(0);
    expect(api.stored.map((r) => r.data).sort()).to.deep.equal(["ok-1", "ok-2", "refused"]);
  });

  it("refuses --failed naming the input file (it would be emptied before it is read), leaving the file intact, exit 64", async () => {
    const lines = ['{"data":"a","error":"earlier failure"}', '{"data":"b","error":"earlier failure"}'];
    const failed = file("failed.ndjson", lines);
    const run = await runSend([failed, "--url", api.url, "--token", "tok-123", "--failed", path.join(dir, ".", "failed.ndjson")]);
    expect(run.code).to.equal(64);
    expect(run.stderr).to.match(
      /^kinesis-ingest send: --failed .*failed\.ndjson is the input file; opening it for writing would empty it before it is read\. Name another file\.\n/,
    );
    expect(readFileSync(failed, "utf8")).to.equal(`${lines.join("\n")}\n`);
    expect(api.stored).to.deep.equal([]);
  });

  it("rejects a command line naming both or neither destination with exit 64", async () => {
    const both = await runSend(["--url", api.url, "--stream", "s"]);
    expect(both.code).to.equal(64);
    expect(both.stderr).to.equal(
      "kinesis-ingest send: give exactly one of --url (the API) or --stream (direct to Kinesis).\nRun `kinesis-ingest send --help` for usage.\n",
    );
    const badSize = await runSend(["--url", api.url, "--batch-size", "501"]);
    expect(badSize.code).to.equal(64);
    expect(badSize.stderr).to.match(/^kinesis-ingest send: --batch-size must be an integer from 1 to 500, got "501"\./);
  });
});

describe("kinesis-ingest send --stream (child process, kinesalite)", () => {
  let kinesis: RunningEmulator;
  let admin: KinesisClient;
  before(async () => {
    kinesis = await startKinesalite();
    admin = localKinesisClient(kinesis.endpoint);
    await admin.send(new CreateStreamCommand({ StreamName: "cli-direct", ShardCount: 2 }));
    while (
      (await admin.send(new DescribeStreamSummaryCommand({ StreamName: "cli-direct" }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE"
    );
  });
  after(async () => {
    admin.destroy();
    await kinesis.stop();
  });

  it("takes the local stack's URL as --endpoint and sends to the Kinesis emulator its /_local/status names", async () => {
    const stackFront = createServer((req, res) => {
      if (req.url === "/_local/status")
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ kinesisEndpoint: kinesis.endpoint, sqsEndpoint: "http://127.0.0.1:1" }));
      else res.writeHead(404).end("Not Found");
    });
    await admin.send(new CreateStreamCommand({ StreamName: "cli-via-stack", ShardCount: 1 }));
    while (
      (await admin.send(new DescribeStreamSummaryCommand({ StreamName: "cli-via-stack" }))).StreamDescriptionSummary?.StreamStatus !==
      "ACTIVE"
    );
    stackFront.listen(0, "127.0.0.1");
    await once(stackFront, "listening");
    try {
      const url = `http://127.0.0.1:${(stackFront.address() as AddressInfo).port}`;
      const run = await runSend(["--stream", "cli-via-stack", "--endpoint", url, "--json"], {
        stdin: '{"data":"via the stack"}\n',
        env: { AWS_ACCESS_KEY_ID: "", AWS_REGION: "" },
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.include({ stored: 1, failed: 0, exitCode: 0 });
      expect((await readAll(admin, "cli-via-stack")).map((r) => r.data.toString())).to.deep.equal(['"via the stack"']);
    } finally {
      await new Promise((resolve) => stackFront.close(resolve));
    }
  });

  it("stores each line's data as its exact bytes straight to the stream too", async () => {
    await admin.send(new CreateStreamCommand({ StreamName: "cli-exact", ShardCount: 1 }));
    while (
      (await admin.send(new DescribeStreamSummaryCommand({ StreamName: "cli-exact" }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE"
    );
    const exact = ['{"big":12345678901234567890.123456789,"f":1.0}', "[ 1.50 , 2e0 ]"];
    const run = await runSend(["--stream", "cli-exact", "--endpoint", kinesis.endpoint], {
      stdin: `{"data":${exact[0]},"partitionKey":"k"}\n${exact[1]}\n`,
      env: { AWS_ACCESS_KEY_ID: "", AWS_REGION: "" },
    });
    expect(run.code, run.stderr).to.equal(0);
    expect((await readAll(admin, "cli-exact")).map((r) => r.data.toString()).sort()).to.deep.equal([...exact].sort());
  });

  it("sends straight to the stream with --aggregate: every record stored once", async () => {
    const input = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ data: { i }, partitionKey: `k${i % 97}` })).join("\n");
    const run = await runSend(["--stream", "cli-direct", "--endpoint", kinesis.endpoint, "--aggregate", "--json"], {
      stdin: input,
      env: { AWS_ACCESS_KEY_ID: "", AWS_REGION: "" },
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.include({ stored: 3000, failed: 0, exitCode: 0 });
    const raw = await readAll(admin, "cli-direct");
    expect(raw.length).to.be.lessThan(50);
    for (const [i, r] of raw.entries())
      expect(r.data.subarray(0, 4).toString("hex"), `stored record ${i} starts with the KPL magic`).to.equal("f3899ac2");
  });
});
