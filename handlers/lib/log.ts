/**
 * A structured JSON logger: one JSON object per line on stdout, which CloudWatch Logs (and Lambda's JSON
 * log format) index field by field. Written to stdout directly, not through `console`, so that the Node.js
 * runtime does not wrap the line a second time.
 *
 * Callers pass counts, ids and error names — never a request body, a token or a secret value.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields attached to a log line; values must be JSON-serialisable. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Service name on every line (e.g. `ingest`). */
  readonly service: string;
  /** Lowest level written. @default `AWS_LAMBDA_LOG_LEVEL` or `LOG_LEVEL` from the environment, else `info` */
  readonly level?: LogLevel;
  /** Where a finished line goes. @default writes to `process.stdout` */
  readonly write?: (line: string) => void;
  /** Clock for the `timestamp` field. @default `Date.now` */
  readonly now?: () => number;
}

/** A structured logger; `child` adds fields (such as a request id) to every line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/**
 * Creates a JSON-lines logger.
 *
 * @example
 * const log = createLogger({ service: "ingest" }).child({ requestId: context.awsRequestId });
 * log.info("records written", { records: 500, failed: 0 });
 * // {"level":"info","message":"records written","timestamp":"…","service":"ingest","requestId":"…","records":500,"failed":0}
 */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = SEVERITY[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => void process.stdout.write(line + "\n"));
  const now = options.now ?? Date.now;
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
      if (SEVERITY[level] < threshold) return;
      const entry = { level, message, timestamp: new Date(now()).toISOString(), ...base, ...fields };
      write(JSON.stringify(entry, errorReplacer));
    };
    return {
      debug: (message, fields) => emit("debug", message, fields),
      info: (message, fields) => emit("info", message, fields),
      warn: (message, fields) => emit("warn", message, fields),
      error: (message, fields) => emit("error", message, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({ service: options.service });
}

/** Serialises `Error` values by name and message (their own properties are not enumerable). */
function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

function levelFromEnv(): LogLevel {
  const raw = (process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.LOG_LEVEL ?? "info").toLowerCase();
  if (raw === "trace" || raw === "debug") return "debug";
  if (raw === "warn" || raw === "error") return raw;
  return "info";
}
