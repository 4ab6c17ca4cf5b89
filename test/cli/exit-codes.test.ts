/** Every command of the project answers a command line it cannot run the same way: the message, then exit 64 (EX_USAGE). */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const run = (script: string, args: string[]) => spawnSync(TSX, [script, ...args], { cwd: ROOT, encoding: "utf8" });

describe("exit code 64 for bad usage, in every command", function () {
  this.timeout(30_000);

  it("kinesis-ingest with an unknown command", () => {
    const result = run("cli/bin.cjs", ["teleport"]);
    expect(result.status, result.stderr).to.equal(64);
    expect(result.stderr).to.equal(
      'kinesis-ingest: unknown command "teleport"; commands: send, replay, redrive, doctor, plan, token, schema.\n',
    );
  });

  it("npm start with an unknown flag", () => {
    const result = run("local/main.ts", ["--shards", "2"]);
    expect(result.status, result.stderr).to.equal(64);
    expect(result.stderr).to.match(
      /^Unknown argument "--shards"; allowed: --stack, --dir, --port, --ports, --kinesis, --limits, --scaler-period-seconds, --help\.\n\nUsage: npm start/,
    );
  });

  it("npm run synth without --stack", () => {
    const result = run("synth/main.ts", ["--json"]);
    expect(result.status, result.stderr).to.equal(64);
    expect(result.stderr).to.match(/^--stack <name> is required \(e\.g\. --stack dev\)\nusage: npm run synth/);
  });
});
