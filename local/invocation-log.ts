/**
 * Each local invocation's log, as Lambda keeps one per invocation: `START`, what the function wrote to
 * stdout and stderr while it ran, an `Invoke Error` or timeout line, `END` and `REPORT`. The Invoke API
 * returns its last 4 KB, base64, as `X-Amz-Log-Result` when asked with `X-Amz-Log-Type: Tail`
 * (`aws lambda invoke --log-type Tail`). An in-process function's writes are told apart by the invocation's
 * async context; a user's module's stdout reaches its invocations through {@link appendToInvocationLog}.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What Lambda returns of a log: its last 4 KB. */
const LOG_TAIL_BYTES = 4096;
/** What an invocation keeps of its log while it runs (only the tail is ever returned). */
const KEPT_CHARS = 4 * LOG_TAIL_BYTES;

/** The log of one invocation. */
export class InvocationLog {
  private text = "";

  append(text: string): void {
    this.text += text;
    if (this.text.length > 2 * KEPT_CHARS) this.text = this.text.slice(-KEPT_CHARS);
  }

  /** The last {@link LOG_TAIL_BYTES} bytes, base64: the Invoke API's `X-Amz-Log-Result`. */
  tailBase64(): string {
    const bytes = Buffer.from(this.text, "utf8");
    return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString("base64");
  }
}

const current = new AsyncLocalStorage<InvocationLog>();

/** Runs `fn` with `log` as the invocation's log: what it writes to stdout or stderr is appended there too. */
export function runWithInvocationLog<T>(log: InvocationLog, fn: () => Promise<T>): Promise<T> {
  captureStandardStreams();
  return current.run(log, fn);
}

/** The log of the invocation running in this async context, if any. */
export function currentInvocationLog(): InvocationLog | undefined {
  return current.getStore();
}

/** Appends a line to the log of the invocation running in this async context (no invocation: nothing). */
export function appendToInvocationLog(line: string, log = current.getStore()): void {
  log?.append(line.endsWith("\n") ? line : `${line}\n`);
}

/** Runs `fn` outside any invocation's log (a user's module's stdout, handed to its own invocations instead). */
export function outsideInvocationLogs<T>(fn: () => T): T {
  return current.exit(fn);
}

let captured = false;

/**
 * Once per process: stdout and stderr writes still go out as they are, and are copied into the log of the
 * invocation whose async context made them.
 */
function captureStandardStreams(): void {
  if (captured) return;
  captured = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      const log = current.getStore();
      if (log) log.append(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return write(chunk, ...rest);
    };
  }
}
