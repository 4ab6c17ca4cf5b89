/**
 * `stream.autoscaling` in the local stack: the deployed scaler's own handler (handlers/stream-scaler.ts, deciding
 * with handlers/lib/scaling/decide.ts within UpdateShardCount's rules of semantics/shard-scaling.ts) run once a
 * scaler minute against the emulator. Only its inputs are local: the minutes of writes are those the limits proxy
 * saw (scaler-minutes.ts) instead of CloudWatch's, and its history item lives in the local DynamoDB. It calls
 * UpdateShardCount through the limits proxy, so the proxy charges the new shards from then on.
 *
 * It needs kinesis-local (kinesalite has no UpdateShardCount) and `--limits` (the proxy is what counts the writes);
 * {@link localScalerUnavailable} says why it is off otherwise.
 */
import { DescribeStreamSummaryCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AutoscalingConfig } from "../config/types";
import { streamScalerFunctionName } from "../config/names";
import { MINUTE_MS } from "../handlers/lib/scaling/decide";
import { createScalerHandler, scalerOptions } from "../handlers/stream-scaler";
import { streamScalerEnvironment, streamScalerFromEnv } from "../handlers/lib/environment/stream-scaler";
import { createLogger } from "../handlers/lib/log";
import { sleep } from "../semantics/backoff";
import { STREAM_STATUS_ACTIVE } from "../semantics/shard-scaling";
import { createTable } from "./dynamodb";
import type { KinesisEmulatorKind } from "./emulators";
import type { WriteObserver } from "./limits";
import { REAL_TIME_PERIOD_SECONDS, ScalerClock, ScalerMinutes } from "./scaler-minutes";

/** How long a reshard may take before the status stops waiting for ACTIVE (kinesis-local's takes milliseconds). */
const RESHARD_WAIT_MS = 10_000;

/** One UpdateShardCount the local scaler made, as `/_local/status` lists it. */
export interface LocalScalingEvent {
  /** When (real time, ISO 8601). */
  readonly at: string;
  readonly from: number;
  readonly to: number;
  /** The decision's reason, e.g. `1 → 2 shards: the load needs 2`. */
  readonly reason: string;
}

/** `scaling` of `/_local/status`. */
export interface LocalScalingStatus {
  /** Real seconds of one scaler minute (`--scaler-period-seconds`); 60 is real time. */
  readonly periodSeconds: number;
  readonly minShards: number;
  readonly maxShards: number;
  readonly events: readonly LocalScalingEvent[];
  /** The latest run's decision, or its error. */
  readonly lastDecision?: { readonly at: string; readonly action: string; readonly reason: string };
}

export interface LocalStreamScalerOptions {
  readonly stack: string;
  readonly autoscaling: AutoscalingConfig;
  readonly streamName: string;
  readonly streamArn: string;
  /** A client of the limits proxy, so it hears of the reshard. */
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly periodSeconds: number;
  readonly initialShards: number;
  readonly log: (line: string) => void;
}

/** Why the local scaler cannot run with these options, or undefined when it can. */
function localScalerUnavailable(kinesis: KinesisEmulatorKind, limits: boolean): string | undefined {
  if (kinesis !== "kinesis-local") return "kinesalite has no UpdateShardCount: run with --kinesis kinesis-local";
  if (!limits) return "the limits proxy is what counts the stream's writes: run with --limits";
  return undefined;
}

/** The running local scaler. */
export interface LocalStreamScaler {
  /** For the limits proxy's `onWrite`. */
  readonly observe: WriteObserver;
  /** The stream's open shard count, as of the latest run. */
  shards(): number;
  status(): LocalScalingStatus;
  stop(): Promise<void>;
}

/** Creates the scaler's history table and starts its runs, one a scaler minute, the first a scaler minute from now. */
async function startLocalStreamScaler(options: LocalStreamScalerOptions): Promise<LocalStreamScaler> {
  const { autoscaling, streamName, kinesis, log } = options;
  const clock = new ScalerClock(options.periodSeconds);
  const minutes = new ScalerMinutes(clock);
  // Named like the deployed scaler's function (the deployed table is auto-named).
  const table = `${streamScalerFunctionName(options.stack)}-history`;
  await createTable(options.dynamodb, table, { partitionKey: "stream" });
  const run = createScalerHandler({
    // As deployed: the settings through the scaler's environment contract, written then read.
    ...scalerOptions(streamScalerFromEnv(streamScalerEnvironment({ ...autoscaling, streamName, streamArn: options.streamArn, table }))),
    kinesis,
    dynamodb: options.dynamodb,
    now: () => clock.now(),
    minutes: async (_stream, nowMs) => minutes.minutes(nowMs),
    // Decisions are shown in the status; only failures are worth a line in the terminal.
    log: createLogger({ service: "stream-scaler", level: "warn", write: log }),
  });
  let shards = options.initialShards;
  const events: LocalScalingEvent[] = [];
  let lastDecision: LocalScalingStatus["lastDecision"];
  const abort = new AbortController();

  const openShards = async (): Promise<void> => {
    const deadline = Date.now() + RESHARD_WAIT_MS;
    for (;;) {
      const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary;
      if (summary?.StreamStatus === STREAM_STATUS_ACTIVE || Date.now() > deadline) {
        shards = summary?.OpenShardCount ?? shards;
        return;
      }
      await sleep(50, abort.signal);
    }
  };

  const runOnce = async (): Promise<void> => {
    const at = new Date().toISOString();
    const from = shards;
    try {
      const decision = await run();
      lastDecision = { at, action: decision.action, reason: decision.reason };
      if (decision.action === "scale") {
        events.push({ at, from, to: decision.targetShards, reason: decision.reason });
        log(`stream scaler: ${decision.reason}`);
      }
      await openShards();
    } catch (error) {
      // The deployed scaler's errors alarm fires; here the line and the status say it, and the next run tries again.
      lastDecision = { at, action: "error", reason: (error as Error).message };
      log(`stream scaler failed: ${(error as Error).message}`);
    }
  };

  const loop = (async () => {
    while (!abort.signal.aborted) {
      await sleep(clock.realMs(MINUTE_MS), abort.signal);
      if (!abort.signal.aborted) await runOnce();
    }
  })();

  return {
    observe: (stream, counts) => {
      if (stream === streamName) minutes.add(counts);
    },
    shards: () => shards,
    status: () => ({
      periodSeconds: options.periodSeconds,
      minShards: autoscaling.minShards,
      maxShards: autoscaling.maxShards,
      events: [...events],
      ...(lastDecision ? { lastDecision } : {}),
    }),
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}

/**
 * The local scaler when `stream.autoscaling` is on and can run with this emulator and `--limits`; otherwise
 * undefined, with a note saying why when autoscaling is on.
 */
export async function startAutoscaling(
  autoscaling: AutoscalingConfig | undefined,
  run: { readonly stack: string; readonly kinesis: KinesisEmulatorKind; readonly limits: boolean; readonly scalerPeriodSeconds?: number },
  stream: Omit<LocalStreamScalerOptions, "autoscaling" | "stack" | "periodSeconds">,
): Promise<LocalStreamScaler | undefined> {
  if (autoscaling === undefined) return undefined;
  const unavailable = localScalerUnavailable(run.kinesis, run.limits);
  if (unavailable !== undefined) {
    stream.log(`note: stream.autoscaling is on but the local stream scaler is off: ${unavailable}.`);
    return undefined;
  }
  const periodSeconds = run.scalerPeriodSeconds ?? REAL_TIME_PERIOD_SECONDS;
  return startLocalStreamScaler({ ...stream, autoscaling, stack: run.stack, periodSeconds });
}
