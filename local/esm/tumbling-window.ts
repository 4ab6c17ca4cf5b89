/**
 * Tumbling windows for one shard ("Using tumbling windows with Lambda" for Kinesis, AWS Lambda developer guide):
 * windows are aligned to the clock and a record belongs to the window its approximate arrival time falls in; a
 * batch never spans two windows; every invocation carries `window {start,end}`, the `state` the function
 * returned last in this window and shard (`{}` at first), `shardId`, `eventSourceARN`,
 * `isFinalInvokeForWindow` and `isWindowTerminatedEarly`. A response without a `state` property is a failed
 * invocation. Once the window is over (the clock passed its end with nothing left to read for it, a record of
 * a later window is due, or the shard ended) the function gets a final invocation with no records and the
 * window's state, retried until it succeeds; then the state is dropped. A state over 1 MB ends the window early.
 */
import { randomUUID } from "node:crypto";
import type { KinesisStreamTumblingWindowEvent } from "aws-lambda";
import type { MappingCounters } from "./stats";
import { backoffDelay, sleep } from "../../semantics/backoff";
import type { InvokeFunction, ShardRecord } from "./types";
import { MAX_WINDOW_STATE_BYTES } from "../../semantics/tumbling-window";

/** The event a function behind a tumbling-window mapping receives. */
export interface KinesisWindowEvent extends KinesisStreamTumblingWindowEvent {
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
}

/** The window a shard is in and the state the function built in it; the mapping keeps it across a disable. */
export interface OpenWindow {
  readonly startMs: number;
  readonly state: Record<string, unknown>;
  /** Invocations whose state was kept since the window (re)opened; 0 means the state is still fresh. */
  readonly accepted: number;
}

/** What became of a function's answer to a batch, as far as the window is concerned. */
export type StateVerdict =
  | { readonly kind: "kept" }
  | { readonly kind: "invalid"; readonly reason: string }
  /** The state outgrew 1 MB: the window was ended early and the batch must be delivered again with fresh state. */
  | { readonly kind: "terminated-early" };

export interface ShardWindowsOptions {
  readonly shardId: string;
  readonly streamArn: string;
  readonly windowSeconds: number;
  readonly invoke: InvokeFunction;
  readonly counters: MappingCounters;
  readonly retryBaseDelayMs: number;
  readonly signal: AbortSignal;
  /** Where the open window lives between pollers (the mapping's per-shard map). */
  readonly load: () => OpenWindow | undefined;
  readonly save: (window: OpenWindow | undefined) => void;
  readonly onError?: (error: unknown, during: string) => void;
}

/** The tumbling windows of one shard. */
export class ShardWindows {
  private readonly windowMs: number;

  constructor(private readonly options: ShardWindowsOptions) {
    this.windowMs = options.windowSeconds * 1000;
  }

  /** Start (epoch ms) of the window `record` belongs to, aligned to the clock. */
  windowOf(record: ShardRecord): number {
    return Math.floor(record.arrivalMs / this.windowMs) * this.windowMs;
  }

  /** Before invoking `records` (one window's): closes an older open window first. False when the mapping stopped. */
  async enter(records: readonly ShardRecord[]): Promise<boolean> {
    const startMs = this.windowOf(records[0] as ShardRecord);
    const open = this.options.load();
    if (open && open.startMs !== startMs && !(await this.close(false))) return false;
    if (this.options.load() === undefined) this.options.save({ startMs, state: {}, accepted: 0 });
    return true;
  }

  /** The event for a batch of the open window. */
  eventFor(records: readonly ShardRecord[]): KinesisWindowEvent {
    const open = this.requireOpen();
    return this.event(
      records.map((record) => record.event),
      open,
      false,
      false,
    );
  }

  /** Reads the state out of a successful (or partially successful) response and keeps it for the next invocation. */
  async accept(payload: unknown): Promise<StateVerdict> {
    const state = payload !== null && typeof payload === "object" ? (payload as { state?: unknown }).state : undefined;
    if (state === null || typeof state !== "object" || Array.isArray(state)) {
      return { kind: "invalid", reason: `with a tumbling window the response needs a state object, got ${JSON.stringify(payload)}` };
    }
    const open = this.requireOpen();
    const bytes = Buffer.byteLength(JSON.stringify(state));
    if (bytes <= MAX_WINDOW_STATE_BYTES) {
      this.options.save({ startMs: open.startMs, state: state as Record<string, unknown>, accepted: open.accepted + 1 });
      return { kind: "kept" };
    }
    // Even a fresh window cannot hold this batch's state: retrying it the same way would never end.
    if (open.accepted === 0)
      return { kind: "invalid", reason: `the returned state is ${bytes} bytes; at most ${MAX_WINDOW_STATE_BYTES} are allowed` };
    if (!(await this.close(true))) return { kind: "invalid", reason: "the mapping stopped while ending the window early" };
    this.options.save({ startMs: open.startMs, state: {}, accepted: 0 });
    return { kind: "terminated-early" };
  }

  /** Closes the open window once `readStartedAtMs` (when a read that found nothing began) is past its end. */
  async closeIfDue(readStartedAtMs: number): Promise<void> {
    const open = this.options.load();
    if (open && readStartedAtMs >= open.startMs + this.windowMs) await this.close(false);
  }

  /**
   * The final invocation of the open window (no records, `isFinalInvokeForWindow: true`), retried until it
   * succeeds ("If invocation is unsuccessful, your Lambda function suspends further processing until a
   * successful invocation"); then the state is dropped. False when the mapping stopped first.
   */
  async close(terminatedEarly: boolean): Promise<boolean> {
    const open = this.options.load();
    if (!open) return true;
    const { signal, counters } = this.options;
    let failed = false;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const result = await this.options.invoke(this.event([], open, true, terminatedEarly), { requestId: randomUUID() });
        counters.invocations++;
        if (failed) counters.retries++;
        failed = result.functionError !== undefined;
        if (!failed) {
          this.options.save(undefined);
          return true;
        }
      } catch (error) {
        this.options.onError?.(error, `invoking the final invocation of a tumbling window on ${this.options.shardId}`);
      }
      await sleep(backoffDelay(attempt, { baseMs: this.options.retryBaseDelayMs }), signal);
    }
    return false;
  }

  private event(records: KinesisWindowEvent["Records"], open: OpenWindow, final: boolean, terminatedEarly: boolean): KinesisWindowEvent {
    return {
      Records: records,
      window: { start: isoSeconds(open.startMs), end: isoSeconds(open.startMs + this.windowMs) },
      state: open.state,
      shardId: this.options.shardId,
      eventSourceARN: this.options.streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: terminatedEarly,
    };
  }

  private requireOpen(): OpenWindow {
    const open = this.options.load();
    if (!open) throw new Error(`No tumbling window is open on ${this.options.shardId}; enter() must come first`);
    return open;
  }
}

/** `2020-12-09T07:04:00Z`, as in Lambda's example event (windows are whole seconds). */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
