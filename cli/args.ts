/**
 * Command-line helpers shared by the `kinesis-ingest` commands: flag parsing on `node:util` parseArgs with
 * usage errors that say what is allowed, number flags with ranges, and the run-and-exit-code wrapper.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Exit code for a command line that cannot be run (BSD sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

/** A wrong command line: the message names the flag, the value and what is allowed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `argv` strictly against `options` (unknown flags and missing values are usage errors).
 *
 * @example
 * const { values, positionals } = parseFlags(argv, { url: { type: "string" }, json: { type: "boolean" } });
 */
export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Whether the command line asks for help (`--help` or `-h` anywhere before `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** An integer flag within [min, max], or `fallback` when the flag is absent. */
export function integerFlag(value: string | undefined, flag: string, range: { min: number; max: number }, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new UsageError(`--${flag} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** One of `allowed`, or `fallback` when the flag is absent. */
export function choiceFlag<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
}

/**
 * Runs a command body: prints `help` for `--help` (exit 0), a usage error with a pointer to `--help`
 * (exit 64), any other error as one line (exit 1).
 */
export async function runCommand(command: string, help: string, argv: string[], body: () => Promise<number>): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kinesis-ingest ${command}: ${error.message}\nRun \`kinesis-ingest ${command} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`kinesis-ingest ${command}: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}
