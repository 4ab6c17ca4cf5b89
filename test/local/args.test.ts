import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { UsageError } from "../../cli-kit/usage-error";
import { tokenHash } from "../../handlers/lib/bearer-token";
import { parseLocalArgs } from "../../local/args";
import { resolveIngestToken } from "../../local/token";

describe("local stack: npm start flags and token", () => {
  const cases: Array<[string, string[], Record<string, string>, object]> = [
    ["defaults", [], {}, { stack: "dev", port: 3000, ports: "fixed", kinesis: "kinesalite", limits: false, help: false }],
    ["--ports random", ["--ports", "random"], {}, { ports: "random" }],
    ["PORT from the environment", [], { PORT: "4000" }, { port: 4000 }],
    ["--port over PORT", ["--port", "5000"], { PORT: "4000" }, { port: 5000 }],
    ["--flag=value", ["--stack=prod", "--kinesis=kinesis-local"], {}, { stack: "prod", kinesis: "kinesis-local" }],
    ["--limits", ["--limits"], {}, { limits: true }],
    ["--scaler-period-seconds", ["--scaler-period-seconds", "5"], {}, { scalerPeriodSeconds: 5 }],
    ["the scaler's real-time minute by default", [], {}, { scalerPeriodSeconds: 60 }],
    [
      "--dir (a stack file elsewhere)",
      ["--stack", "orders", "--dir", "examples/order-totals"],
      {},
      { stack: "orders", dir: "examples/order-totals" },
    ],
  ];
  for (const [name, argv, env, expected] of cases) {
    it(`parses ${name}`, () => expect(parseLocalArgs(argv, env)).to.deep.include(expected));
  }

  const errors: Array<[string[], Record<string, string>, string]> = [
    [["--kinesis", "dynamo"], {}, '--kinesis must be kinesalite or kinesis-local, got "dynamo".'],
    [["--port", "http"], {}, '--port must be a port number from 0 to 65535, got "http".'],
    [[], { PORT: "70000" }, 'PORT must be a port number from 0 to 65535, got "70000".'],
    [["--stack"], {}, "--stack needs a value."],
    [
      ["--shards", "2"],
      {},
      'Unknown argument "--shards"; allowed: --stack, --dir, --port, --ports, --kinesis, --limits, --scaler-period-seconds, --help.',
    ],
    [["--ports", "fixed-ish"], {}, '--ports must be fixed or random, got "fixed-ish".'],
    [["--scaler-period-seconds", "0.5"], {}, '--scaler-period-seconds must be a whole number of seconds from 1 to 60, got "0.5".'],
    [["--scaler-period-seconds", "61"], {}, '--scaler-period-seconds must be a whole number of seconds from 1 to 60, got "61".'],
    [
      ["--port", "65530"],
      {},
      "--port 65530 leaves no room for the emulators' ports (up to --port + 7): use a port up to 65528, or --ports random.",
    ],
    // `npm start --stack prod --limits` (no `--`): npm keeps the flags, sets npm_config_*, passes "prod" on.
    [
      ["prod"],
      { npm_lifecycle_event: "start", npm_config_stack: "true", npm_config_limits: "true" },
      'npm took --stack, --limits for itself: npm start passes flags on only after "--". Run: npm start -- --stack … --limits',
    ],
    [
      [],
      { npm_lifecycle_event: "start", npm_config_scaler_period_seconds: "5" },
      'npm took --scaler-period-seconds for itself: npm start passes flags on only after "--". Run: npm start -- --scaler-period-seconds …',
    ],
  ];
  for (const [argv, env, message] of errors) {
    it(`refuses ${argv.join(" ") || JSON.stringify(env)}`, () => {
      expect(() => parseLocalArgs(argv, env)).to.throw(UsageError, message);
    });
  }

  it("takes INGEST_TOKEN, else generates a token once and keeps it in .local/token (mode 600)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "token-"));
    expect(resolveIngestToken(dir, { INGEST_TOKEN: "from-env" })).to.equal("from-env");
    const generated = resolveIngestToken(dir, {});
    expect(generated).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(resolveIngestToken(dir, {})).to.equal(generated);
    expect(readFileSync(path.join(dir, ".local/token"), "utf8")).to.equal(`${generated}\n`);
    expect(statSync(path.join(dir, ".local/token")).mode & 0o777).to.equal(0o600);
    expect(tokenHash("abc")).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("npm start prints the configuration problem and exits 1 before starting anything", function () {
    this.timeout(30_000);
    const root = path.resolve(__dirname, "../..");
    const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["local/main.ts", "--stack", "staging"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain(
      `no stack file ${path.join(root, "Pulumi.staging.yaml")}: create it or pick an existing stack with --stack`,
    );
    expect(run.stdout).to.not.contain("ready");
  });
});
