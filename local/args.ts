/**
 * The command line of `npm start`: `--stack dev --port 3000 --ports fixed|random --kinesis kinesalite|kinesis-local --limits
 * --scaler-period-seconds 60`.
 */
import { parseFlags, type FlagWording } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import type { KinesisEmulatorKind } from "./emulators";
import { PORT_OFFSETS, type PortMode } from "./ports";
import { REAL_TIME_PERIOD_SECONDS } from "./scaler-minutes";

/** Parsed `npm start` flags. */
export interface LocalArgs {
  /** @default "dev" */
  readonly stack: string;
  /** @default env `PORT`, else 3000 */
  readonly port: number;
  /** The emulators' ports: derived from `port` (`fixed`) or free ones (`random`). @default "fixed" */
  readonly ports: PortMode;
  /** @default "kinesalite" */
  readonly kinesis: KinesisEmulatorKind;
  /** @default false */
  readonly limits: boolean;
  /** Real seconds of one minute of the local stream scaler (local/scaler-minutes.ts), 1–60. @default 60 */
  readonly scalerPeriodSeconds: number;
  /** Folder holding `Pulumi.<stack>.yaml`. @default the project root */
  readonly dir?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start -- [--stack dev] [--dir DIR] [--port 3000] [--ports fixed|random] [--kinesis kinesalite|kinesis-local] [--limits]
                 [--scaler-period-seconds 60]

  --stack NAME       stack whose Pulumi.NAME.yaml is run locally (default dev)
  --dir DIR          folder holding Pulumi.NAME.yaml (default: the project root); handler paths stay relative to the project root
  --port N           port of the API and the console on 127.0.0.1 (default: env PORT, else 3000; 0 = any free port)
  --ports MODE       the emulators' ports: fixed (default), from --port: Kinesis N+1, SQS/SNS/S3 N+2, Secrets Manager
                     N+3, DynamoDB N+4, EventBridge N+5, limits proxy N+6; random: a free port each (stacks side by side)
  --kinesis KIND     kinesalite (fast, default) or kinesis-local (complete API: resharding, enhanced fan-out)
  --limits           enforce Kinesis per-shard limits (writes 1 MiB/s and 1,000 records/s, reads 5 calls/s and 2 MiB/s)
  --scaler-period-seconds N
                     with stream.autoscaling, --kinesis kinesis-local and --limits: the local stream scaler's minute
                     lasts N real seconds (1-60, default 60); its minutes of writes, cooldowns and 24-hour window all
                     shrink by 60/N, the per-shard thresholds stay the deployed ones. For tests and demos.

Environment: INGEST_TOKEN (the API token; else one kept in .local/token), FORWARD_URL (where consumers
deliver, overriding targetUrl), SINK_REJECT_FIELD (the built-in sink refuses records whose data has this
field set to true), PORT.`;

const FLAGS = {
  stack: { type: "string" },
  dir: { type: "string" },
  port: { type: "string" },
  ports: { type: "string" },
  kinesis: { type: "string" },
  limits: { type: "boolean" },
  "scaler-period-seconds": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `npm start`'s own wording of a flag that is unknown or lacks its value; the allowed ones are FLAGS. */
const WORDING: FlagWording = {
  unknown: (arg) =>
    `Unknown argument "${arg}"; allowed: ${Object.keys(FLAGS)
      .map((flag) => `--${flag}`)
      .join(", ")}.`,
  needsValue: (flag) => `${flag} needs a value.`,
};

/**
 * Parses the flags (`--flag value` or `--flag=value`); throws `UsageError` naming what is allowed. Under
 * `npm start`, a flag typed before `--` is taken by npm itself: npm sets `npm_config_<flag>` and passes only
 * its value on (`npm start --stack prod` runs `tsx local/main.ts prod`), so that mistake is named as such.
 */
export function parseLocalArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LocalArgs {
  if (env.npm_lifecycle_event === "start") {
    const takenByNpm = (Object.keys(FLAGS) as Array<keyof typeof FLAGS>).filter(
      // npm spells a dashed flag with underscores: --scaler-period-seconds sets npm_config_scaler_period_seconds.
      (flag) => env[`npm_config_${flag.replaceAll("-", "_")}`] !== undefined,
    );
    if (takenByNpm.length > 0) {
      const typed = takenByNpm.map((flag) => (FLAGS[flag].type === "boolean" ? `--${flag}` : `--${flag} …`));
      throw new UsageError(
        `npm took ${takenByNpm.map((flag) => `--${flag}`).join(", ")} for itself: npm start passes flags on only after "--". Run: npm start -- ${typed.join(" ")}`,
      );
    }
  }
  const port = portOf(env.PORT ?? "3000", "PORT");
  const { values } = parseFlags(argv, FLAGS, WORDING);
  const kinesis = values.kinesis ?? "kinesalite";
  if (kinesis !== "kinesalite" && kinesis !== "kinesis-local")
    throw new UsageError(`--kinesis must be kinesalite or kinesis-local, got "${kinesis}".`);
  const ports = values.ports ?? "fixed";
  if (ports !== "fixed" && ports !== "random") throw new UsageError(`--ports must be fixed or random, got "${ports}".`);
  const apiPort = values.port === undefined ? port : portOf(values.port, "--port");
  const highest = Math.max(...Object.values(PORT_OFFSETS));
  if (ports === "fixed" && apiPort + highest > 65535)
    throw new UsageError(
      `--port ${apiPort} leaves no room for the emulators' ports (up to --port + ${highest}): use a port up to ${65535 - highest}, or --ports random.`,
    );
  return {
    stack: values.stack ?? "dev",
    port: apiPort,
    ports,
    kinesis,
    limits: values.limits ?? false,
    scalerPeriodSeconds: scalerPeriodOf(values["scaler-period-seconds"]),
    ...(values.dir === undefined ? {} : { dir: values.dir }),
    help: values.help ?? false,
  };
}

/** A scaler minute of 1 to 60 real seconds: longer would make the local scaler slower than the deployed one. */
function scalerPeriodOf(text: string | undefined): number {
  if (text === undefined) return REAL_TIME_PERIOD_SECONDS;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > 60)
    throw new UsageError(`--scaler-period-seconds must be a whole number of seconds from 1 to 60, got "${text}".`);
  return seconds;
}

function portOf(text: string, name: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${name} must be a port number from 0 to 65535, got "${text}".`);
  return port;
}
