/** The command line of `npm start`: `--stack dev --port 3000 --kinesis kinesalite|kinesis-local --limits`. */
import type { KinesisEmulatorKind } from "./emulators";

/** Parsed `npm start` flags. */
export interface LocalArgs {
  /** @default "dev" */
  readonly stack: string;
  /** @default env `PORT`, else 3000 */
  readonly port: number;
  /** @default "kinesalite" */
  readonly kinesis: KinesisEmulatorKind;
  /** @default false */
  readonly limits: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start -- [--stack dev] [--port 3000] [--kinesis kinesalite|kinesis-local] [--limits]

  --stack NAME       stack whose Pulumi.NAME.yaml is run locally (default dev)
  --port N           port of the API on 127.0.0.1 (default: env PORT, else 3000; 0 = any free port)
  --kinesis KIND     kinesalite (fast, default) or kinesis-local (complete API: resharding, enhanced fan-out)
  --limits           enforce Kinesis per-shard limits (writes 1 MiB/s and 1,000 records/s, reads 5 calls/s and 2 MiB/s)

Environment: INGEST_TOKEN (the API token; else one kept in .local/token), FORWARD_URL (where consumers
deliver, overriding targetUrl), SINK_REJECT_FIELD (the built-in sink refuses records whose data has this
field set to true), PORT.`;

/** Thrown for a flag that is unknown or has a wrong value; the message says what is allowed. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses the flags (`--flag value` or `--flag=value`). */
export function parseLocalArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LocalArgs {
  let stack = "dev";
  let port = portOf(env.PORT ?? "3000", "PORT");
  let kinesis: KinesisEmulatorKind = "kinesalite";
  let limits = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag === "--stack") stack = value();
    else if (flag === "--port") port = portOf(value(), "--port");
    else if (flag === "--kinesis") {
      const kind = value();
      if (kind !== "kinesalite" && kind !== "kinesis-local") throw new UsageError(`--kinesis must be kinesalite or kinesis-local, got "${kind}".`);
      kinesis = kind;
    } else if (flag === "--limits") limits = true;
    else if (flag === "--help" || flag === "-h") help = true;
    else throw new UsageError(`Unknown argument "${argv[i]}"; allowed: --stack, --port, --kinesis, --limits, --help.`);
  }
  return { stack, port, kinesis, limits, help };
}

function portOf(text: string, name: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${name} must be a port number from 0 to 65535, got "${text}".`);
  return port;
}
