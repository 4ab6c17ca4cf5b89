/**
 * The offline plan as a user runs it: `npm run synth -- ...` spawned as a child process. The JSON output
 * lists the stream and each consumer's mapping with its exact knobs (Lambda developer guide, "Kinesis event
 * source mapping parameters"); encrypted stack values are planned as unset and named; an invalid stack file
 * prints every problem and exits 1 before anything runs.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { PlannedResource } from "../../synth/display";

const ROOT = path.resolve(__dirname, "..", "..");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function synth(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "synth", "--", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const ARN = { region: "eu-west-1", account: "123456789012" };
const streamArn = (stack: string) => `arn:aws:kinesis:${ARN.region}:${ARN.account}:stream/kinesis-ingest-${stack}`;

describe("synth: npm run synth (child process)", function () {
  // Two plans run side by side; each loads @pulumi/aws and bundles the handlers.
  this.timeout(180_000);
  let dir: string;
  let prod: Run;
  let devWithSecrets: Run;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "synth-"));
    // dev with encrypted values and AWS's unbounded retry count (-1), which the config and the policies both allow.
    const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("maxRetryAttempts: 3", "maxRetryAttempts: -1");
    writeFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      dev +
        [
          "  kinesis-ingest:apiTokens:",
          "    secure: v1:AAAABBBBCCCC:DDDDEEEEFFFF",
          "  kinesis-ingest:consumerSecrets:",
          "    forwarder:",
          "      authorization:",
          "        secure: v1:GGGGHHHHIIII:JJJJKKKKLLLL",
          "",
        ].join("\n"),
    );
    [prod, devWithSecrets] = await Promise.all([synth("--stack", "prod", "--json"), synth("--stack", "dev", "--dir", dir)]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("--stack prod --json", () => {
    let resources: PlannedResource[];
    before(() => {
      expect(prod.code, prod.stderr).to.equal(0);
      resources = JSON.parse(prod.stdout) as PlannedResource[];
    });

    it("lists the encrypted stream with prod's shards and retention", () => {
      const streams = resources.filter((r) => r.type === "aws:kinesis/stream:Stream");
      expect(streams.map((s) => s.inputs)).to.deep.equal([
        {
          name: "kinesis-ingest-prod",
          shardCount: 4,
          retentionPeriod: 168,
          streamModeDetails: { streamMode: "PROVISIONED" },
          encryptionType: "KMS",
          kmsKeyId: "alias/aws/kinesis",
          shardLevelMetrics: ["IncomingBytes", "IncomingRecords", "WriteProvisionedThroughputExceeded", "IteratorAgeMilliseconds"],
          maxRecordSizeInKib: 1024,
        },
      ]);
    });

    it("lists each consumer's mapping with its exact knobs, under its consumer component", () => {
      const mappings = resources.filter((r) => r.type === MAPPING);
      const byName = Object.fromEntries(mappings.map((m) => [m.name, m]));
      expect(Object.keys(byName)).to.deep.equal(["consumer-forwarder-mapping", "consumer-archiver-mapping", "consumer-s3-archive-mapping"]);
      const common = {
        eventSourceArn: streamArn("prod"),
        enabled: true,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ["ReportBatchItemFailures"],
      };
      const fn = (name: string) => `arn:aws:lambda:${ARN.region}:${ARN.account}:function:kinesis-ingest-prod-${name}`;
      const dlq = (name: string) => ({
        onFailure: { destinationArn: `arn:aws:sqs:${ARN.region}:${ARN.account}:kinesis-ingest-prod-${name}-dlq` },
      });
      expect(byName["consumer-forwarder-mapping"]!.inputs).to.deep.equal({
        ...common,
        functionName: fn("forwarder"),
        startingPosition: "LATEST",
        batchSize: 500,
        maximumBatchingWindowInSeconds: 2,
        parallelizationFactor: 4,
        maximumRecordAgeInSeconds: 21600,
        maximumRetryAttempts: 10,
        destinationConfig: dlq("forwarder"),
        metricsConfig: { metrics: ["EventCount"] },
      });
      expect(byName["consumer-archiver-mapping"]!.inputs).to.deep.equal({
        ...common,
        functionName: fn("archiver"),
        startingPosition: "TRIM_HORIZON",
        batchSize: 1000,
        maximumBatchingWindowInSeconds: 30,
        parallelizationFactor: 2,
        maximumRecordAgeInSeconds: 86400,
        maximumRetryAttempts: 20,
        destinationConfig: dlq("archiver"),
        metricsConfig: { metrics: ["EventCount"] },
      });
      expect(byName["consumer-s3-archive-mapping"]!.inputs).to.deep.equal({
        ...common,
        functionName: fn("s3-archive"),
        startingPosition: "TRIM_HORIZON",
        batchSize: 5000,
        maximumBatchingWindowInSeconds: 60,
        parallelizationFactor: 1,
        maximumRecordAgeInSeconds: 604800,
        maximumRetryAttempts: 100,
        destinationConfig: dlq("s3-archive"),
        metricsConfig: { metrics: ["EventCount"] },
      });
      for (const consumer of ["forwarder", "archiver", "s3-archive"]) {
        const parent = resources.find((r) => r.urn === byName[`consumer-${consumer}-mapping`]!.parent);
        expect([parent?.type, parent?.name, parent?.component]).to.deep.equal([
          "kinesis-ingest:consumer:StreamConsumer",
          `consumer-${consumer}`,
          true,
        ]);
      }
    });

    it("gives every resource a type, a name, a unique URN and a parent that is in the plan (or none)", () => {
      const urns = new Set(resources.map((r) => r.urn));
      expect(urns.size).to.equal(resources.length);
      for (const r of resources) {
        expect(r.urn.endsWith(`$${r.type}::${r.name}`), r.urn).to.equal(true);
        if (r.parent !== null) expect(urns.has(r.parent), `${r.name}'s parent ${r.parent}`).to.equal(true);
      }
      expect(resources.filter((r) => r.parent === null).map((r) => r.name)).to.deep.equal([
        "alarms",
        "stream",
        "api-tokens",
        "api",
        "kinesis-ingest-prod-archive",
        "forwarder-config",
        "consumer-forwarder",
        "archiver-config",
        "consumer-archiver",
        "consumer-s3-archive",
        "dashboard",
      ]);
    });

    it("reports the policy verdict on stderr, keeping stdout pure JSON", () => {
      expect(prod.stderr.trim().split("\n").pop()).to.equal("Policy pack kinesis-ingest: 5 policies, 0 violations");
    });
  });

  describe("--stack dev --dir (encrypted values, an unbounded retry count), text output", () => {
    it("prints the header, the tree and the stack outputs", () => {
      expect(devWithSecrets.stderr).to.equal("");
      const lines = devWithSecrets.stdout.split("\n");
      expect(lines[0]).to.match(
        /^Offline plan of stack dev \(Pulumi\.dev\.yaml, region eu-west-1\): \d+ resources in \d+ components\. Nothing is deployed/,
      );
      const mapping = lines.findIndex((l) => l.includes("consumer-forwarder-mapping  (aws:lambda/eventSourceMapping:EventSourceMapping)"));
      expect(mapping).to.be.greaterThan(0);
      expect(lines.slice(mapping + 1, mapping + 14).map((l) => l.replace(/^[│├└─ ]+/, ""))).to.deep.equal([
        "batchSize: 100",
        "bisectBatchOnFunctionError: true",
        'destinationConfig.onFailure.destinationArn: "arn:aws:sqs:eu-west-1:123456789012:kinesis-ingest-dev-forwarder-dlq"',
        "enabled: true",
        `eventSourceArn: "${streamArn("dev")}"`,
        'functionName: "arn:aws:lambda:eu-west-1:123456789012:function:kinesis-ingest-dev-forwarder"',
        'functionResponseTypes: ["ReportBatchItemFailures"]',
        "maximumBatchingWindowInSeconds: 1",
        "maximumRecordAgeInSeconds: 3600",
        "maximumRetryAttempts: -1",
        'metricsConfig.metrics: ["EventCount"]',
        "parallelizationFactor: 1",
        'startingPosition: "TRIM_HORIZON"',
      ]);
      expect(lines).to.include(`  streamArn: "${streamArn("dev")}"`);
    });

    it("names the encrypted values it planned as unset, and passes on the program's warnings", () => {
      const lines = devWithSecrets.stdout.split("\n");
      expect(lines).to.include(
        "Encrypted in Pulumi.dev.yaml, which only the Pulumi CLI can decrypt: planned as unset: apiTokens, consumerSecrets.forwarder.authorization",
      );
      expect(lines.filter((l) => l.startsWith("warning: ")).map((l) => l.slice(9, 40))).to.deep.equal([
        "`apiTokens` is not set for stac",
        "`consumerSecrets.forwarder` is ",
      ]);
      expect(lines.filter((l) => l.includes("v1:"))).to.deep.equal([]);
    });

    it("ends with the policy verdict: -1 retries, allowed by the config, violate no policy either, and it exits 0", () => {
      expect(devWithSecrets.stdout.trimEnd().split("\n").slice(-1)).to.deep.equal(["Policy pack kinesis-ingest: 5 policies, 0 violations"]);
      expect(devWithSecrets.code).to.equal(0);
    });
  });

  describe("an invalid stack file", () => {
    it("prints every problem and exits 1 before planning anything", async () => {
      const bad = mkdtempSync(path.join(tmpdir(), "synth-bad-"));
      try {
        copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(bad, "Pulumi.dev.yaml"));
        const text = readFileSync(path.join(bad, "Pulumi.dev.yaml"), "utf8")
          .replace("batchSize: 100", "batchSize: 0")
          .replace("bisectOnError: true", 'bisectOnError: "yes"')
          .replace("retentionHours: 24", "retentionHours: 12\n    shardz: 2");
        writeFileSync(path.join(bad, "Pulumi.dev.yaml"), text);
        const run = await synth("--stack", "dev", "--dir", bad);
        expect(run.code).to.equal(1);
        expect(run.stdout).to.equal("");
        expect(run.stderr.trim().split("\n")).to.deep.equal([
          "Pulumi.dev.yaml: 4 problems, nothing was planned:",
          "  - `stream.shardz` is not a known setting (did you mean `shards`?); known settings: mode, shards, retentionHours, fanOutConsumers, autoscaling, maxRecordSizeKiB, warmThroughputMiBps",
          "  - `stream.retentionHours` must be an integer from 24 to 8760, got 12",
          "  - `consumers.forwarder.batchSize` must be an integer from 1 to 10000, got 0",
          '  - `consumers.forwarder.bisectOnError` must be true or false, got "yes"',
        ]);
      } finally {
        rmSync(bad, { recursive: true, force: true });
      }
    });

    it("prints a consumer module without handler as one of its problems, in the words npm start uses, with no RunError trace", async () => {
      const bad = mkdtempSync(path.join(tmpdir(), "synth-no-handler-"));
      try {
        const text = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(
          /^( {6}handler: )forwarder$/m,
          "$1./test/fixtures/consumers/no-handler.ts",
        );
        writeFileSync(path.join(bad, "Pulumi.dev.yaml"), text);
        const run = await synth("--stack", "dev", "--dir", bad);
        expect(run.code).to.equal(1);
        expect(run.stdout).to.equal("");
        expect(run.stderr.trim().split("\n")).to.deep.equal([
          "Pulumi.dev.yaml: 1 problem, nothing was planned:",
          '  - `consumers.forwarder.handler` "./test/fixtures/consumers/no-handler.ts" exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports handle',
        ]);
      } finally {
        rmSync(bad, { recursive: true, force: true });
      }
    });

    it("without -s, --json says on stderr that npm's banner went to stdout and names npm run -s (npm cannot be kept from printing it)", async () => {
      const run = await new Promise<Run>((resolve, reject) => {
        const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
        const child = spawn("npm", ["run", "synth", "--", "--stack", "nosuch", "--json"], {
          cwd: ROOT,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      expect(run.stdout).to.contain("> kinesis-ingest@0.1.0 synth");
      expect(run.stderr.split("\n")[0]).to.equal(
        'note: npm printed its "> kinesis-ingest synth" banner on stdout before this JSON; for clean JSON to pipe, run: npm run -s synth -- --json …',
      );
      expect((await synth("--stack", "nosuch", "--json")).stderr).not.to.contain("note: npm printed");
    });

    it("exits 64 (EX_USAGE) with the usage for a mistyped flag", async () => {
      const run = await synth("--stak", "dev");
      expect([run.code, run.stderr.split("\n")[0]]).to.deep.equal([
        64,
        'unknown argument "--stak"; allowed: --stack <name>, --json, --dir <folder>, --against <file>',
      ]);
    });
  });
});
