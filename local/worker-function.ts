/**
 * A user's consumer module run the way Lambda runs it: in its own execution environment (a worker thread
 * with the function's environment variables only, not the local stack's), loaded once and kept warm, and
 * stopped when an invocation runs past the function's timeout, so nothing the timed-out call does after its
 * deadline happens (the next invocation starts a fresh environment, as after a Lambda timeout). What the
 * module writes to stdout and stderr comes as messages before its result (function-worker.cjs) and goes on
 * to this process's streams, into the log of the invocation running, and, stdout line by line, to
 * `onStdoutLine` (the console reads the runtime's batch summaries there).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Context } from "aws-lambda";
import { consumerModuleProblem, noHandlerExport } from "../config/consumer-code";
import type { LambdaHandler } from "./functions";
import { appendToInvocationLog, currentInvocationLog, outsideInvocationLogs, type InvocationLog } from "./invocation-log";

/** The tsx CommonJS hook, so workers load `.ts` and `.mts` modules. */
const TSX_HOOK = require.resolve("tsx/cjs");
const WORKER_ENTRY = path.join(__dirname, "function-worker.cjs");

/** The consumer a module serves, as its stack file names it: the key and the `handler` value. */
interface ConsumerModule {
  readonly name: string;
  readonly handler: string;
}

/**
 * A consumer's module could not serve as its function (it threw while loading, or exports no `handler`
 * function), worded as the plan words it (`consumerModuleProblem`), with the function it was to run as.
 */
class FunctionInitError extends Error {
  constructor(consumer: ConsumerModule, functionName: string, problem: string) {
    super(`${consumerModuleProblem(consumer.name, consumer.handler, problem)} (function ${functionName})`);
    this.name = "FunctionInitError";
  }
}

type WorkerReply =
  | { type: "output"; stream: "stdout" | "stderr"; text: string }
  | { type: "ready" }
  | { type: "init-error"; message: string }
  | { type: "no-handler"; exports: string[] }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; name: string; message: string; stack: string };

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** The invocation's log, which gets the lines the module writes while it runs. */
  readonly log?: InvocationLog;
}

/** One warm execution environment of a user's module; {@link WorkerFunction.handler} invokes it. */
export class WorkerFunction {
  private worker?: Worker;
  private ready?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    readonly functionName: string,
    readonly modulePath: string,
    private readonly consumer: ConsumerModule,
    private readonly environment: Readonly<Record<string, string>>,
    private readonly onStdoutLine?: (line: string) => void,
  ) {}

  /** Loads the module; rejects with {@link FunctionInitError} when it throws at import or exports no `handler` function. */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = outsideInvocationLogs(
      () => new Worker(WORKER_ENTRY, { env: { ...this.environment }, workerData: { tsx: TSX_HOOK, modulePath: this.modulePath } }),
    );
    this.worker = worker;
    const lines = {
      stdout: lineSplitter((line) => (this.onStdoutLine?.(line), this.logLine(line))),
      stderr: lineSplitter((line) => this.logLine(line)),
    };
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (reply: WorkerReply) => {
        if (reply.type === "output") {
          outsideInvocationLogs(() => process[reply.stream].write(reply.text));
          return lines[reply.stream](reply.text);
        }
        if (reply.type === "ready") return resolve();
        if (reply.type === "init-error") return reject(this.initError(`failed to load: ${reply.message}`));
        if (reply.type === "no-handler") return reject(this.initError(noHandlerExport(reply.exports)));
        this.settle(reply);
      });
      worker.on("error", (error) => {
        reject(this.initError(`failed to load: ${error.message}`));
        this.failAll(error);
      });
      worker.on("exit", () => this.forget(worker));
    });
    this.ready.catch(() => this.forget(worker));
    return this.ready;
  }

  /** The Lambda handler: runs one invocation in the environment, ending it at the context's deadline. */
  readonly handler: LambdaHandler = async (event, context: Context) => {
    await this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const { getRemainingTimeInMillis: _clock, done: _d, fail: _f, succeed: _s, ...plain } = context;
    const log = currentInvocationLog();
    return new Promise<unknown>((resolve, reject) => {
      // A little after the deadline, so the function reports its own timeout first.
      const timer = setTimeout(() => void this.stopEnvironment(worker), Math.max(0, deadline - Date.now()) + 50);
      this.pending.set(id, {
        resolve: (result) => (clearTimeout(timer), resolve(result)),
        reject: (error) => (clearTimeout(timer), reject(error)),
        log,
      });
      worker.postMessage({ id, event, context: plain, deadline });
    });
  };

  private initError(problem: string): FunctionInitError {
    return new FunctionInitError(this.consumer, this.functionName, problem);
  }

  /** Ends the environment (at shutdown). */
  async stop(): Promise<void> {
    if (this.worker) await this.stopEnvironment(this.worker);
  }

  /** A line the module wrote goes to the log of the invocation running (Lambda runs one at a time). */
  private logLine(line: string): void {
    for (const call of this.pending.values()) appendToInvocationLog(line, call.log);
  }

  private settle(reply: Extract<WorkerReply, { id: number }>): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if (reply.type === "result") return call.resolve(reply.result);
    const error = new Error(reply.message);
    error.name = reply.name;
    error.stack = reply.stack;
    call.reject(error);
  }

  /** Lambda stops a timed-out environment: whatever it was still doing never completes. */
  private async stopEnvironment(worker: Worker): Promise<void> {
    this.forget(worker);
    this.failAll(new Error(`${this.functionName}: execution environment stopped`));
    await worker.terminate();
  }

  private failAll(error: Error): void {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
  }
}

/** Hands each complete line of a chunked text stream to `onLine` (a chunk need not end at a line's end). */
function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
    if (pending.length > 1024 * 1024) pending = ""; // a line this long is no summary: do not hold it
  };
}
