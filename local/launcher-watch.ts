/**
 * `npm start` runs as npm → `sh -c "tsx local/main.ts"` → the tsx CLI → this process. A process manager
 * signals the top of that tree (npm), and npm and `sh` then exit without passing the signal on, which would
 * leave the stack running, orphaned. So the stack watches the processes that launched it and stops as soon as
 * any of them is gone: the parent always, and up to npm when started by an npm script.
 */
import { execFileSync } from "node:child_process";

/** How often the launchers are checked: a vanished launcher stops the stack within this. */
const CHECK_EVERY_MS = 250;
/** npm, sh and tsx: never more than this many launchers between a shell and the stack. */
const MAX_LAUNCHERS = 4;

/** The parent, then (under an npm script) each launcher above it up to and including npm. */
export function launcherPids(env: NodeJS.ProcessEnv = process.env): number[] {
  const pids = [process.ppid];
  if (env.npm_lifecycle_event === undefined) return pids;
  for (let pid = process.ppid; pids.length < MAX_LAUNCHERS;) {
    const row = processRow(pid);
    if (row === undefined || isNpm(row.args) || row.ppid <= 1) break; // npm is the last launcher
    pid = row.ppid;
    pids.push(pid);
  }
  return pids;
}

/**
 * Calls `onGone` once when any of `pids` exits or this process is re-parented (its parent died). The
 * timer does not keep the process alive; the returned function stops watching.
 */
export function watchLaunchers(pids: readonly number[], onGone: (pid: number) => void): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : pids.find((pid) => !alive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(gone);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `ps` (Linux and macOS alike): the parent and command line of `pid`, or undefined once it is gone. */
function processRow(pid: number): { ppid: number; args: string } | undefined {
  try {
    const line = execFileSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const match = /^(\d+)\s+(.*)$/.exec(line);
    return match ? { ppid: Number(match[1]), args: match[2] ?? "" } : undefined;
  } catch {
    return undefined;
  }
}

/** npm's own process: `npm start …` (its process title) or `node …/npm-cli.js …`. */
function isNpm(args: string): boolean {
  return /^(\S*\/)?npm(\s|$)/.test(args) || /\/npm-cli\.js(\s|$)/.test(args) || /^(\S*\/)?node\s+\S*\/bin\/npm(\s|$)/.test(args);
}
