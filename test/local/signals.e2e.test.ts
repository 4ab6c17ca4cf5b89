/**
 * `npm start` stops as a whole, leaving no process or port behind: SIGTERM, SIGINT or SIGHUP to any process of its tree —
 * npm, the tsx CLI, the stack, kinesis-local — stops every process within 5 s and frees every port, and a
 * launcher that dies (SIGKILL) takes the stack with it. No `sh` stands between npm and tsx (the script
 * execs tsx): a non-interactive shell defers a SIGINT until its child exits, so one would swallow it.
 * Started through `npm start`, as a process manager runs it, in a process group of its own.
 */
import { expect } from "chai";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import { freePort } from "../../local/emulators";
import type { LocalStatus } from "../../local/server";
import { groupAlive, killGroup } from "./support/local-stack-process";

const PROJECT_DIR = path.resolve(__dirname, "../..");

type Role = "npm" | "sh" | "tsx" | "stack" | "kinesis-local";

interface RunningTree {
  readonly npm: ChildProcess;
  readonly url: string;
  readonly status: LocalStatus;
  readonly pids: Record<Role, number | undefined>;
}

/** `npm start -- ARGS` in its own process group; resolves at its `ready` line with the tree's pids. */
async function npmStart(args: readonly string[]): Promise<RunningTree> {
  const port = await freePort();
  // A clean npm environment: under `npm test`, npm_* variables of the outer npm would leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
  // The emulators on free ports too: ports derived from a free API port may be taken (ports.e2e covers them).
  const npm = spawn("npm", ["start", "--", "--port", String(port), "--ports", "random", ...args], {
    cwd: PROJECT_DIR,
    env: { ...env, INGEST_TOKEN: "signals", FORWARD_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 40_000;
  while (!/^ready\b/m.test(output)) {
    if (npm.exitCode !== null || Date.now() > deadline) {
      killGroup(npm.pid!, "SIGKILL");
      throw new Error(`npm start did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  const status = (await (await fetch(`${url}/_local/status`)).json()) as LocalStatus;
  const rows = execFileSync("ps", ["-o", "pid=,ppid=,args=", "-g", String(npm.pid)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!)
    .map(([, pid, ppid, command]) => ({ pid: Number(pid), ppid: Number(ppid), command: command! }));
  const childOf = (parent: number | undefined, test: (command: string) => boolean) =>
    rows.find((row) => row.ppid === parent && test(row.command))?.pid;
  const sh = childOf(npm.pid, (command) => command.startsWith("sh -c"));
  const tsx = childOf(sh ?? npm.pid, (command) => command.includes("tsx local/main.ts"));
  const stack = childOf(tsx, (command) => command.includes("loader.mjs"));
  const kinesisLocal = childOf(stack, (command) => command.includes("kinesis-local"));
  return { npm, url, status, pids: { npm: npm.pid, sh, tsx, stack, "kinesis-local": kinesisLocal } };
}

/** Whether something listens on `endpoint` (a URL). */
function listening(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Sends `signal` to one process of the tree; resolves with how long until no process of the group was left. */
async function signalAndWait(tree: RunningTree, role: Role, signal: NodeJS.Signals): Promise<number> {
  const pid = tree.pids[role];
  expect(pid, `${role} process`).to.be.a("number");
  const started = Date.now();
  process.kill(pid!, signal);
  while (groupAlive(tree.npm.pid!) && Date.now() - started < 8000) await new Promise((resolve) => setTimeout(resolve, 25));
  return Date.now() - started;
}

describe("npm start: a signal to any process of the tree stops everything (process group, real npm)", function () {
  this.timeout(90_000);
  let tree: RunningTree | undefined;
  afterEach(() => {
    if (tree) killGroup(tree.npm.pid!, "SIGKILL");
    tree = undefined;
  });

  const cases: Array<[Role, NodeJS.Signals, string[]]> = [
    ["npm", "SIGTERM", []], // what a process manager, a container runtime or a CI job sends
    ["npm", "SIGINT", []],
    ["npm", "SIGHUP", []],
    ["tsx", "SIGHUP", []],
    ["stack", "SIGTERM", []],
    ["tsx", "SIGKILL", []], // the parent dies and can pass nothing on
    ["kinesis-local", "SIGTERM", ["--kinesis", "kinesis-local"]],
    ["stack", "SIGKILL", ["--kinesis", "kinesis-local"]], // kinesis-local must not outlive it
  ];
  for (const [role, signal, args] of cases) {
    it(`${signal} to ${role}${args.length ? ` (${args.join(" ")})` : ""}: every process gone within 5 s, every port free`, async () => {
      tree = await npmStart(args);
      const endpoints = [tree.url, tree.status.kinesisEndpoint, tree.status.sqsEndpoint, tree.status.dynamodbEndpoint];
      for (const endpoint of endpoints) expect(await listening(endpoint), endpoint).to.equal(true);
      expect(tree.pids.sh, "a shell between npm and tsx").to.equal(undefined);
      const exitMs = await signalAndWait(tree, role, signal);
      expect(groupAlive(tree.npm.pid!), "a process of the npm start tree still runs").to.equal(false);
      expect(exitMs).to.be.at.most(5000);
      for (const endpoint of endpoints) expect(await listening(endpoint), endpoint).to.equal(false);
    });
  }
});
