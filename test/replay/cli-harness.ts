/** Runs a command's `main` in-process and captures what it prints. */
import { readFileSync } from "node:fs";

/** Exit code and output of one command run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Calls `main(argv)` with stdout and stderr captured. */
export async function runCli(main: (argv: string[]) => Promise<number>, argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => (out.push(chunk.toString()), true);
  process.stderr.write = (chunk: string | Uint8Array) => (err.push(chunk.toString()), true);
  try {
    const code = await main(argv);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

/** The NDJSON lines of a replay file. */
export function readNdjson<T = Record<string, unknown>>(filePath: string): T[] {
  return readFileSync(filePath, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}
