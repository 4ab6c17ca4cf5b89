/**
 * `npm run synth -- --against` as a user runs it (a child process): the text report of README "Changing a
 * stack", `--json` with exactly the documented keys, exit 4 when a change loses data and 0 otherwise, an
 * invalid or missing old file refused before anything is planned; and the single plan's `--json` showing each
 * resource's lifecycle options.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { PlannedResource } from "../../synth/display";
import { BASE, withConsumer, writeStackFile } from "./transitions-support";

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
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("synth --against (child process)", function () {
  // Each run plans two stack files; they run side by side.
  this.timeout(180_000);
  let dir: string;
  let text: Run;
  let json: Run;
  let single: Run;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "synth-against-"));
    writeStackFile(path.join(dir, "old.yaml"), BASE);
    // The README's example: a bigger batch, and the forwarder moved to a fan-out consumer the safe way.
    writeStackFile(
      path.join(dir, "Pulumi.dev.yaml"),
      withConsumer(BASE, "forwarder", {
        batchSize: 500,
        fanOutConsumer: "efo",
        startingPosition: "AT_TIMESTAMP",
        startingPositionTimestamp: "2026-03-01T06:00:00Z",
      }),
    );
    // The same move from LATEST, the unsafe way: it skips what was not read yet.
    writeStackFile(path.join(dir, "latest.yaml"), withConsumer(BASE, "forwarder", { startingPosition: "LATEST" }));
    writeStackFile(
      path.join(dir, "Pulumi.qa.yaml"),
      withConsumer(BASE, "forwarder", { startingPosition: "LATEST", fanOutConsumer: "efo" }),
    );
    [text, json, single] = await Promise.all([
      synth("--stack", "dev", "--dir", dir, "--against", path.join(dir, "old.yaml")),
      synth("--stack", "qa", "--dir", dir, "--against", path.join(dir, "latest.yaml"), "--json"),
      synth("--stack", "dev", "--dir", dir, "--json"),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints each change with why, and the verdict; exits 0 when nothing loses data", () => {
    expect(text.code, text.stderr).to.equal(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).to.equal(
      `Change to stack dev: Pulumi.dev.yaml against ${path.join(dir, "old.yaml")} (region eu-west-1), planned offline: 0 to create, 1 to update, 1 to replace, 0 to delete.`,
    );
    expect(lines.slice(3, 7)).to.deep.equal([
      "~  update  consumer-forwarder-fn-policy  (aws:iam/rolePolicy:RolePolicy) [policy]",
      "      updated in place: policy",
      "+- replace consumer-forwarder-mapping  (aws:lambda/eventSourceMapping:EventSourceMapping) [eventSourceArn, startingPosition, startingPositionTimestamp]  RE-READS",
      "      replaced (eventSourceArn, startingPosition, startingPositionTimestamp), with batchSize, delete-first: the position belongs to the mapping, so the new one starts at 2026-03-01T06:00:00Z: reads again every record since then",
    ]);
    expect(lines).to.include("No change loses data; 1 re-reads records.");
  });

  it("--json: {changes: [...]} with exactly type, name, action, inputs, dataLoss, rereads, why; exit 4 when one loses data", () => {
    expect(json.code, json.stderr).to.equal(4);
    const { changes } = JSON.parse(json.stdout) as { changes: Record<string, unknown>[] };
    expect(Object.keys(JSON.parse(json.stdout) as object)).to.deep.equal(["changes"]);
    for (const c of changes) expect(Object.keys(c)).to.deep.equal(["type", "name", "action", "inputs", "dataLoss", "rereads", "why"]);
    expect(changes.find((c) => c.name === "consumer-forwarder-mapping")).to.deep.include({
      type: "aws:lambda/eventSourceMapping:EventSourceMapping",
      action: "replace",
      inputs: ["eventSourceArn"],
      dataLoss: true,
      rereads: true,
    });
    expect(json.stderr).not.to.contain("Change to stack");
  });

  it("refuses an invalid or missing old file before planning anything (exit 1)", async () => {
    writeStackFile(path.join(dir, "bad.yaml"), withConsumer(BASE, "forwarder", { batchSize: 0 }));
    const [bad, missing] = await Promise.all([
      synth("--stack", "dev", "--dir", dir, "--against", path.join(dir, "bad.yaml")),
      synth("--stack", "dev", "--dir", dir, "--against", path.join(dir, "nosuch.yaml")),
    ]);
    expect([bad.code, bad.stdout, bad.stderr.split("\n").slice(0, 2)]).to.deep.equal([
      1,
      "",
      [
        `${path.join(dir, "bad.yaml")}: 1 problem, nothing was planned:`,
        "  - `consumers.forwarder.batchSize` must be an integer from 1 to 10000, got 0",
      ],
    ]);
    expect([missing.code, missing.stderr.split("\n")[1]]).to.deep.equal([
      1,
      `  - no stack file ${path.join(dir, "nosuch.yaml")}: give --against an earlier Pulumi.dev.yaml (e.g. git show HEAD~1:Pulumi.dev.yaml > old.yaml)`,
    ]);
  });

  it("the single plan's --json shows every resource's lifecycle options", () => {
    expect(single.code, single.stderr).to.equal(0);
    const resources = JSON.parse(single.stdout) as PlannedResource[];
    const byName = Object.fromEntries(resources.map((r) => [`${r.type.split(":").pop()} ${r.name}`, r.options]));
    expect(byName["Stream stream-stream"]).to.deep.equal({ protect: false, retainOnDelete: true, deleteBeforeReplace: false });
    expect(byName["EventSourceMapping consumer-forwarder-mapping"]).to.deep.equal({
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: true,
    });
    expect(byName["Function consumer-forwarder-fn-function"]).to.deep.equal({
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
    });
    expect(resources.every((r) => Object.keys(r).join() === "type,name,urn,parent,component,options,inputs")).to.equal(true);
  });
});
