/** `kinesis-ingest doctor`: the table, `--json`'s shape, the region it calls, and exit codes 0 / 1 / 64 (cli-kit EXIT). */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeLimitsCommand, DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetAccountSettingsCommand, GetFunctionCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { DashboardNotFoundError, GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { main } from "../../cli/doctor";
import { accessDenied, kinesisNotFound, lambdaNotFound, mockedClients, queueNotFound } from "./support";

const STACK_FILE = `config:
  aws:region: eu-west-1
  kinesis-ingest:stream:
    shards: 2
  kinesis-ingest:consumers:
    forwarder:
      handler: forwarder
      reservedConcurrency: 2
`;

/** A folder holding `Pulumi.<stack>.yaml` files. */
function stackDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "doctor-"));
  for (const [stack, text] of Object.entries(files)) writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

/** An account where every check passes. */
function healthyAccount() {
  const { clients, mocks } = mockedClients();
  mocks.lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(lambdaNotFound());
  mocks.lambda.on(GetFunctionCommand).rejects(lambdaNotFound());
  mocks.sqs.on(GetQueueUrlCommand).rejects(queueNotFound());
  mocks.kinesis
    .on(DescribeLimitsCommand)
    .resolves({ ShardLimit: 500, OpenShardCount: 0, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 });
  mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
  mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  mocks.cloudwatch.on(GetDashboardCommand).rejects(new DashboardNotFoundError({ message: "Dashboard does not exist", $metadata: {} }));
  return { clients, mocks };
}

/** Runs the command in-process with `clients`, capturing stdout, stderr and the regions it asked clients for. */
async function run(argv: string[], clients = healthyAccount().clients) {
  const out: string[] = [];
  const err: string[] = [];
  const regions: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = (chunk: string) => out.push(chunk) > 0;
  process.stderr.write = (chunk: string) => err.push(chunk) > 0;
  try {
    const code = await main(argv, (region) => (regions.push(region), clients));
    return { code, stdout: out.join(""), stderr: err.join(""), regions };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe("cli: kinesis-ingest doctor", () => {
  const dir = stackDir({ dev: STACK_FILE, broken: "config:\n  kinesis-ingest:stream:\n    shards: 0\n" });

  it("exit 0 when every check passes or is skipped; the table shows each check and the totals", async () => {
    const result = await run(["--stack", "dev", "--dir", dir]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.regions).to.deep.equal(["eu-west-1"]);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).to.match(/^check\s+status\s+detail$/);
    expect(lines.slice(1, -2).map((line) => line.split(/\s{2,}/).slice(0, 2))).to.deep.equal([
      ["lambda concurrency", "pass"],
      ["api gateway cloudwatch role", "skipped"],
      ["alb network", "skipped"],
      ["alb certificate", "skipped"],
      ["kinesis shard quota", "pass"],
      ["function name kinesis-ingest-dev-ingest", "pass"],
      ["function name kinesis-ingest-dev-authorizer", "pass"],
      ["function name kinesis-ingest-dev-forwarder", "pass"],
      ["queue name kinesis-ingest-dev-forwarder-dlq", "pass"],
      ["stream name kinesis-ingest-dev", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-ingest", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-authorizer", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-forwarder", "pass"],
      ["log group name /aws/apigateway/kinesis-ingest-dev/access", "pass"],
      ["dashboard name kinesis-ingest-dev", "pass"],
    ]);
    expect(lines.at(-1)).to.equal("12 pass, 0 fail, 0 error, 3 skipped");
  });

  it("--json prints an array of {check, status, detail, fix}; --region overrides the stack file's aws:region", async () => {
    const result = await run(["--stack", "dev", "--dir", dir, "--json", "--region", "us-east-2"]);
    expect(result.code).to.equal(0);
    expect(result.regions).to.deep.equal(["us-east-2"]);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows).to.have.length(15);
    for (const row of rows) expect(Object.keys(row)).to.deep.equal(["check", "status", "detail", "fix"]);
    expect(rows[0]).to.deep.equal({
      check: "lambda concurrency",
      status: "pass",
      fix: "",
      detail:
        "the stack reserves 2 (`consumers.forwarder.reservedConcurrency` 2); the account's quota is 1000, 1000 unreserved, of which 100 must stay unreserved",
    });
  });

  it("exit 1 when a check fails (a name is taken), with its fix in the table", async () => {
    const { clients, mocks } = healthyAccount();
    mocks.kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { OpenShardCount: 2 } as never });
    const result = await run(["--stack", "dev", "--dir", dir], clients);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain("stream name kinesis-ingest-dev");
    expect(result.stdout).to.contain(
      "fix: rename (another stack name, or consumer name in `consumers`) or import it: pulumi import aws:kinesis/stream:Stream <resource name> kinesis-ingest-dev",
    );
    expect(result.stdout.trimEnd().split("\n").at(-1)).to.equal("11 pass, 1 fail, 0 error, 3 skipped");
  });

  it("exit 1 when a call is denied: reported as an error row, not a crash", async () => {
    const { clients, mocks } = healthyAccount();
    mocks.lambda.on(GetAccountSettingsCommand).rejects(accessDenied("lambda:GetAccountSettings"));
    const result = await run(["--stack", "dev", "--dir", dir, "--json"], clients);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal("");
    const rows = JSON.parse(result.stdout) as Array<{ check: string; status: string; fix: string }>;
    expect(rows[0]).to.deep.include({
      check: "lambda concurrency",
      status: "error",
      fix: "allow lambda:GetAccountSettings for the caller (doctor only reads)",
    });
    expect(rows.filter((r) => r.status === "error")).to.have.length(1);
  });

  it("exit 1 for an invalid stack file, listing its problems; no AWS call", async () => {
    const result = await run(["--stack", "broken", "--dir", dir]);
    expect(result.code).to.equal(1);
    expect(result.regions).to.deep.equal([]);
    expect(result.stderr).to.equal(
      "kinesis-ingest doctor: Pulumi.broken.yaml has 1 problem:\n  - `stream.shards` must be an integer from 1 to 10000, got 0\n",
    );
  });

  it("exit 64 for bad usage: no --stack, an unknown flag, a positional argument", async () => {
    const results = [await run([]), await run(["--stack", "dev", "--verbose"]), await run(["dev"])];
    expect(results.map((r) => r.code)).to.deep.equal([64, 64, 64]);
    expect(results[0]?.stderr).to.equal(
      "kinesis-ingest doctor: --stack is required (e.g. --stack dev).\nRun `kinesis-ingest doctor --help` for usage.\n",
    );
    expect(results[1]?.stderr).to.match(/^kinesis-ingest doctor: Unknown option '--verbose'/);
  });

  it("--help prints the usage and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(
      /^Usage: kinesis-ingest doctor --stack NAME \[--region REGION\] \[--dir DIR\] \[--deployed\] \[--json\]/,
    );
  });
});
