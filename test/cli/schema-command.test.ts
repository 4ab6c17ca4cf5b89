/** `kinesis-ingest schema` prints the committed JSON Schema of a stack file, and refuses arguments with exit 64. */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const run = (args: string[]) =>
  spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["cli/bin.cjs", "schema", ...args], { cwd: ROOT, encoding: "utf8" });

describe("kinesis-ingest schema", function () {
  this.timeout(30_000);

  it("prints schema/stack-file.schema.json, the JSON Schema the committed stack files point at", () => {
    const result = run([]);
    expect(result.status, result.stderr).to.equal(0);
    const committed: unknown = JSON.parse(readFileSync(path.join(ROOT, "schema/stack-file.schema.json"), "utf8"));
    expect(JSON.parse(result.stdout)).to.deep.equal(committed);
  });

  it("refuses an argument with exit 64, naming it", () => {
    const result = run(["dev"]);
    expect(result.status).to.equal(64);
    expect(result.stderr).to.equal(
      'kinesis-ingest schema: Unexpected argument "dev": every value is given with a flag.\nRun `kinesis-ingest schema --help` for usage.\n',
    );
  });
});
