/**
 * Runs the local stack (`npm start`'s command, `tsx local/main.ts`, as one node process) as a child,
 * waits for its `ready` line, and stops it. For end-to-end tests and the producer benchmark.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../../local/emulators";

export interface LocalStackProcess {
  readonly url: string;
  readonly token: string;
  /** `GET /_local/status`. */
  status(): Promise<{ kinesisEndpoint: string; streamName: string }>;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, "..", "..");

export async function startLocalStackProcess(options: { limits: boolean; stack?: string; timeoutMs?: number }): Promise<LocalStackProcess> {
  const port = await freePort();
  const token = `producer-test-token-${port}`;
  const args = ["--import", "tsx", path.join(ROOT, "local", "main.ts"), "--stack", options.stack ?? "dev", "--port", String(port), ...(options.limits ? ["--limits"] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, INGEST_TOKEN: token }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack did not print "ready" within ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready\b/m.test(output)) (clearTimeout(timer), resolve());
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`the local stack exited with code ${code}:\n${output}`))));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), 7000);
    await exited;
    clearTimeout(force);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    status: async () => (await (await fetch(`${url}/_local/status`)).json()) as { kinesisEndpoint: string; streamName: string },
    stop,
  };
}
