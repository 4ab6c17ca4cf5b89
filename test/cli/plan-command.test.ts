/** `kinesis-ingest plan`: the JSON contract, the text, `--stack`, and exit codes 0 / 1 / 5 / 64 (cli-kit EXIT), in-process. */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../cli/plan";

const NOW = new Date("2026-12-07T12:00:00Z");

/** Runs the command in-process, capturing stdout and stderr. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = (chunk: string) => out.push(chunk) > 0;
  process.stderr.write = (chunk: string) => err.push(chunk) > 0;
  try {
    const code = await main(argv, () => NOW);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const stackFile = (region: string, shards: number, factor: number) => `config:
  aws:region: ${region}
  kinesis-ingest:stream:
    shards: ${shards}
  kinesis-ingest:consumers:
    forwarder:
      handler: forwarder
      targetUrl: https://example.com/events
      parallelizationFactor: ${factor}
`;

describe("kinesis-ingest plan", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "plan-"));
    writeFileSync(path.join(dir, "Pulumi.small.yaml"), stackFile("us-east-1", 1, 1));
    writeFileSync(path.join(dir, "Pulumi.sized.yaml"), stackFile("us-east-1", 3, 2));
    writeFileSync(path.join(dir, "Pulumi.ireland.yaml"), stackFile("eu-west-1", 3, 2));
    writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  kinesis-ingest:stream:\n    shards: 0\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the JSON contract's keys", async () => {
    const result = await run(["--rate", "5000", "--peak", "8000", "--record-bytes", "2048", "--consumers", "2", "--json"]);
    expect(result.code, result.stderr).to.equal(0);
    const plan = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
    expect(plan).to.include.keys("provisioned", "onDemandStandard", "onDemandAdvantage", "consumers", "warnings");
    expect(plan.provisioned).to.include({ shards: 16, aggregatedShards: 16, monthlyUsd: 359.16 });
    expect(plan.onDemandStandard).to.include({ monthlyUsd: 4039.21 });
    expect(plan.onDemandAdvantage).to.include({ monthlyUsd: null });
    expect(plan.consumers).to.include({ count: 2, lambdaConcurrency: 16, totalLambdaConcurrency: 32 });
    expect(plan.warnings).to.be.an("array").with.length.above(0);
  });

  it("prints the plan as text, with the prices' pages and age", async () => {
    const result = await run(["--rate", "2500", "--record-bytes", "100", "--consumers", "3", "--efo", "--record-ms", "4"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("Provisioned: 3 shards (writes: 1 for bytes, 3 for records; reads: 1), $247.24/month");
    expect(result.stdout).to.include("On-demand Advantage: not priced");
    expect(result.stdout).to.include("Consumers at 4 ms a record keep up: parallelization factor 1");
    expect(result.stdout).to.match(/Trek10 blog.*\(dated 2023-09-21, 1,173 days old\)/);
    expect(result.stdout).to.include("no date shown, read 2026-12-07");
  });

  it("says a stack that keeps up does (exit 0), and one that does not does not (exit 5)", async () => {
    const args = ["--rate", "3000", "--record-bytes", "1024", "--record-ms", "20", "--dir", dir];
    const sized = await run([...args, "--stack", "sized", "--json"]);
    expect(sized.code, sized.stderr).to.equal(0);
    const verdict = (JSON.parse(sized.stdout) as { stack: { keepsUp: boolean; consumers: Array<{ name: string; keepsUp: boolean }> } })
      .stack;
    expect(verdict.keepsUp).to.equal(true);
    expect(verdict.consumers.map((c) => [c.name, c.keepsUp])).to.deep.equal([["forwarder", true]]);
    const small = await run([...args, "--stack", "small"]);
    expect(small.code, small.stderr).to.equal(5);
    expect(small.stdout).to.include("Stack small (provisioned, 1 shard): does NOT keep up");
    expect(small.stdout).to.include("writes need 3 shards at the peak");
  });

  it("refuses a Region without prices, naming the known ones (exit 64)", async () => {
    const flagged = await run(["--rate", "10", "--record-bytes", "10", "--region", "ap-south-2"]);
    expect(flagged.code).to.equal(64);
    expect(flagged.stderr).to.include("no Kinesis prices for ap-south-2 in semantics/kinesis-pricing.ts (known: us-east-1;");
    const fromStack = await run(["--rate", "10", "--record-bytes", "10", "--stack", "ireland", "--dir", dir]);
    expect(fromStack.code).to.equal(64);
    expect(fromStack.stderr).to.include("no Kinesis prices for eu-west-1");
    const overridden = await run(["--rate", "10", "--record-bytes", "10", "--stack", "ireland", "--dir", dir, "--region", "us-east-1"]);
    expect(overridden.code, overridden.stderr).to.equal(0);
  });

  it("exits 64 for a bad command line and 1 for an invalid stack file", async () => {
    for (const argv of [
      ["--rate", "10"],
      ["--rate", "10", "--record-bytes", "0"],
      ["--rate", "10", "--record-bytes", String(10 * 1024 * 1024 + 1)],
      ["--rate", "10", "--peak", "5", "--record-bytes", "10"],
      ["--rate", "10", "--record-bytes", "10", "--consumers", "21"],
      ["--rate", "10", "--record-bytes", "10", "--record-ms", "0"],
      ["--rate", "10", "--record-bytes", "10", "--dir", dir],
      ["--rate", "10", "--record-bytes", "10", "extra"],
    ]) {
      expect((await run(argv)).code, argv.join(" ")).to.equal(64);
    }
    const broken = await run(["--rate", "10", "--record-bytes", "10", "--stack", "broken", "--dir", dir]);
    expect(broken.code).to.equal(1);
  });
});
