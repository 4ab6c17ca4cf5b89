/**
 * Starts `npm start` the way a user does — `tsx local/main.ts` as a child process, in its own process group,
 * on a free port — waits for its `ready` line, and stops it with SIGINT to the whole group (Ctrl-C).
 * The one such helper, for the end-to-end tests and the benchmarks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../../../local/emulators";
import type { LocalStatus } from "../../../local/server";

const PROJECT_DIR = path.resolve(__dirname, "../../..");
const TSX = path.join(PROJECT_DIR, "node_modules/.bin/tsx");

/** A local stack running as a child process. */
export interface LocalStackProcess {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  status(): Promise<LocalStatus>;
  /** POSTs `/records` with the token; returns the status code and parsed body. */
  postRecords(records: readonly unknown[]): Promise<{ status: number; body: RecordsResponse }>;
  /** SIGINT to the process group; resolves once the child exited, with how long that took. */
  interrupt(): Promise<{ exitMs: number; code: number | null; signal: NodeJS.Signals | null }>;
  /** Cleanup for `after` hooks: {@link interrupt}, and SIGKILL to the group if it has not exited within 7 s. */
  stop(): Promise<void>;
}

/** The API's answer to `POST /records`. */
export interface RecordsResponse {
  readonly failedRecordCount: number;
  readonly records: ReadonlyArray<{ sequenceNumber?: string; shardId?: string; errorCode?: string; errorMessage?: string }>;
}

/** Options of {@link startLocalStackProcess}. */
export interface StartOptions {
  /** Extra environment, e.g. `SINK_REJECT_FIELD`. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default a free port */
  readonly port?: number;
  /** Fail if no `ready` line within this. @default 30000 */
  readonly timeoutMs?: number;
}

/** Starts the stack with `args` (e.g. `["--limits"]`); rejects if it prints no `ready` line in time. */
export async function startLocalStackProcess(args: readonly string[] = [], options: StartOptions = {}): Promise<LocalStackProcess> {
  const port = options.port ?? (await freePort());
  const env = options.env ?? {};
  const timeoutMs = options.timeoutMs ?? 30_000;
  const token = `e2e-token-${port}`;
  // Emulators on free ports too (not derived from the free API port), so stacks run side by side.
  const child = spawn(TSX, ["local/main.ts", "--ports", "random", ...args], {
    cwd: PROJECT_DIR,
    env: { ...process.env, PORT: String(port), INGEST_TOKEN: token, FORWARD_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so SIGINT reaches every process it started, as Ctrl-C does
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  while (!/^ready\b/m.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode} before ready:\n${output}`);
    if (Date.now() > deadline) {
      killGroup(child.pid!, "SIGKILL");
      throw new Error(`npm start printed no ready line within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  const interrupt = async () => {
    const started = Date.now();
    if (child.exitCode === null && child.signalCode === null) killGroup(child.pid!, "SIGINT");
    const result = await exited;
    return { exitMs: Date.now() - started, ...result };
  };
  return {
    url,
    port,
    token,
    child,
    output: () => output,
    status: async () => (await (await fetch(`${url}/_local/status`)).json()) as LocalStatus,
    postRecords: async (records) => {
      const response = await fetch(`${url}/records`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ records }),
      });
      return { status: response.status, body: (await response.json()) as RecordsResponse };
    },
    interrupt,
    stop: async () => {
      // npm start gives up on a clean shutdown after 5 s; past that, something hangs.
      const force = setTimeout(() => killGroup(child.pid!, "SIGKILL"), 7000);
      await interrupt();
      clearTimeout(force);
    },
  };
}

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Last resort for a test that failed before its own cleanup. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Polls `probe` every 100 ms until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
