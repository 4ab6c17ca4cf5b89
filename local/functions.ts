/**
 * The local stack's Lambda functions: each wraps a handler with what the Lambda service adds around it —
 * a context with the function's name, ARN and remaining time, the timeout, reserved concurrency (0 is the
 * kill switch) and the Invoke API's view of the outcome (`X-Amz-Function-Error: Unhandled` with
 * `{"errorType","errorMessage"}` when the handler throws).
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import { appendToInvocationLog, InvocationLog, runWithInvocationLog } from "./invocation-log";

/** Any handler: an event (whatever its type) and a context in, a promise of the result out. */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/** What Lambda reports for one invocation that reached the function. */
export interface InvocationOutcome {
  /** The result, or `{errorType, errorMessage, trace}` when `functionError` is set. */
  readonly payload: unknown;
  /** `Unhandled` when the handler threw or timed out. */
  readonly functionError?: "Unhandled";
  /** The invocation's log (`START` … `REPORT`), for `--log-type Tail`. */
  readonly log: InvocationLog;
}

/** The invocation never reached the function: reserved concurrency is exhausted or 0. */
export class FunctionThrottledError extends Error {
  readonly statusCode = 429;
  constructor(
    readonly functionName: string,
    readonly reservedConcurrency: number,
  ) {
    super(`Rate Exceeded. Function ${functionName} has reserved concurrency ${reservedConcurrency} and it is in use.`);
    this.name = "TooManyRequestsException";
  }
}

/** Settings of one local function. */
export interface LocalFunctionOptions {
  readonly name: string;
  /** The name the function has on AWS (`kinesis-ingest-<stack>-<consumer>`), in its context's ARN. @default name */
  readonly physicalName?: string;
  readonly handler: LambdaHandler;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Concurrent invocations allowed; 0 refuses every invocation. Unset = unreserved. */
  readonly reservedConcurrency?: number;
}

/** The ARN a local function is known by. */
export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

export class LocalFunction {
  readonly name: string;
  readonly arn: string;
  private inFlight = 0;

  constructor(private readonly options: LocalFunctionOptions) {
    this.name = options.name;
    this.arn = localFunctionArn(options.physicalName ?? options.name);
  }

  /** Invocations running now: the batches in flight, whoever invoked them. */
  get invocationsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Runs the handler once with `event`.
   * @throws FunctionThrottledError when reserved concurrency leaves no room (the handler does not run)
   */
  async invoke(event: unknown, requestId: string = randomUUID()): Promise<InvocationOutcome> {
    const reserved = this.options.reservedConcurrency;
    if (reserved !== undefined && this.inFlight >= reserved) throw new FunctionThrottledError(this.name, reserved);
    this.inFlight++;
    const timeoutMs = (this.options.timeoutSeconds ?? 30) * 1000;
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    const log = new InvocationLog();
    appendToInvocationLog(`START RequestId: ${requestId} Version: $LATEST`, log);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new FunctionTimeoutError(
                `${new Date().toISOString()} ${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
              ),
            ),
          timeoutMs,
        );
      });
      const run = runWithInvocationLog(log, () => this.options.handler(event as never, this.context(requestId, deadline)));
      const payload = await Promise.race([run, timedOut]);
      return { payload: payload ?? null, log: this.ended(log, requestId, startedAt) };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const trace =
        err instanceof FunctionTimeoutError
          ? []
          : (err.stack ?? "")
              .split("\n")
              .slice(1)
              .map((l) => l.trim());
      const payload =
        err instanceof FunctionTimeoutError ? { errorMessage: err.message } : { errorType: err.name, errorMessage: err.message, trace };
      appendToInvocationLog(
        err instanceof FunctionTimeoutError
          ? err.message
          : `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}`,
        log,
      );
      return { payload, functionError: "Unhandled", log: this.ended(log, requestId, startedAt) };
    } finally {
      clearTimeout(timer);
      this.inFlight--;
    }
  }

  /** Ends the invocation's log with Lambda's `END` and `REPORT` lines. */
  private ended(log: InvocationLog, requestId: string, startedAt: number): InvocationLog {
    const ms = Date.now() - startedAt;
    appendToInvocationLog(`END RequestId: ${requestId}`, log);
    appendToInvocationLog(
      `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, ms)} ms\tMemory Size: ${this.options.memoryMb ?? 256} MB`,
      log,
    );
    return log;
  }

  private context(awsRequestId: string, deadline: number): Context {
    const noop = () => undefined;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: this.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: this.arn,
      memoryLimitInMB: String(this.options.memoryMb ?? 256),
      awsRequestId,
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: `local/[$LATEST]${awsRequestId.replace(/-/g, "").slice(0, 32)}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: noop,
      fail: noop,
      succeed: noop,
    };
  }
}

/** Lambda's timeout: reported as an Unhandled error whose message says so, without errorType. */
class FunctionTimeoutError extends Error {}

/** The functions of the stack by name; also found by ARN or by their AWS-style `kinesis-ingest-<stack>-<name>`. */
export class FunctionRegistry {
  private readonly byName = new Map<string, LocalFunction>();

  constructor(private readonly prefix: string) {}

  add(fn: LocalFunction): LocalFunction {
    this.byName.set(fn.name, fn);
    return fn;
  }

  /** The function named by a name, a `kinesis-ingest-<stack>-` prefixed name, or a full or partial ARN. */
  find(nameOrArn: string): LocalFunction | undefined {
    const name = nameOrArn.includes(":function:") ? nameOrArn.split(":function:")[1]!.split(":")[0]! : nameOrArn;
    return this.byName.get(name) ?? (name.startsWith(this.prefix) ? this.byName.get(name.slice(this.prefix.length)) : undefined);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
