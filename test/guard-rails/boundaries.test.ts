/**
 * The import boundaries are enforced, not remembered: dependency-cruiser with the repository's own rules
 * (.dependency-cruiser.cjs) refuses a handler that imports Pulumi, semantics/ importing the repo, and a cycle,
 * in a scratch copy of the layout, and passes the real tree.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const DEPCRUISE = path.join(ROOT, "node_modules/.bin/depcruise");

function cruise(cwd: string, ...targets: string[]): { status: number | null; output: string } {
  const run = spawnSync(DEPCRUISE, ["--config", ".dependency-cruiser.cjs", ...targets], { cwd, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("guard rails: import boundaries (dependency-cruiser)", function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "boundaries-"));
    copyFileSync(path.join(ROOT, ".dependency-cruiser.cjs"), path.join(dir, ".dependency-cruiser.cjs"));
    copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    for (const folder of ["handlers", "semantics", "config", "components", "local"]) mkdirSync(path.join(dir, folder));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);

  it("refuses a handler importing @pulumi/pulumi", () => {
    write("handlers/bad.ts", 'import * as pulumi from "@pulumi/pulumi";\nexport const handler = () => pulumi.getStack();\n');
    const result = cruise(dir, "handlers");
    expect(result.status, result.output).to.not.equal(0);
    expect(result.output).to.match(/error handlers-stay-lambda-code: handlers\/bad\.ts → \S*node_modules\/@pulumi\/pulumi\//);
  });

  it("refuses semantics/ importing the repository, and a cycle", () => {
    write("config/a.ts", 'import { b } from "./b";\nexport const a = () => b;\n');
    write("config/b.ts", 'import { a } from "./a";\nexport const b = () => a;\n');
    write("semantics/rule.ts", 'import { a } from "../config/a";\nexport const rule = a;\n');
    const result = cruise(dir, "semantics", "config");
    expect(result.status).to.not.equal(0);
    expect(result.output).to.include("error semantics-imports-nothing-of-the-repo: semantics/rule.ts → config/a.ts");
    expect(result.output).to.match(/error no-cycles: config\/(a|b)\.ts/);
  });

  it("refuses components/ importing the local stack", () => {
    write("local/stack.ts", "export const stack = 1;\n");
    write("components/c.ts", 'import { stack } from "../local/stack";\nexport const c = stack;\n');
    const result = cruise(dir, "components");
    expect(result.output).to.include("error components-stay-infrastructure: components/c.ts → local/stack.ts");
  });

  it("passes the repository as it is", () => {
    const result = cruise(ROOT, ".");
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/no dependency violations found/);
  });
});
