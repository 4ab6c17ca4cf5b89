/**
 * Flag parsing for every command line of the project, on `node:util` parseArgs: `--flag value`,
 * `--flag=value`, short aliases; unknown flags and missing values are usage errors.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage-error";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * How a command words the two mistakes a command line can make, for commands (`npm start`, `npm run synth`)
 * whose messages are their own rather than Node's. Such commands take no positional arguments.
 */
export interface FlagWording {
  /** An argument that is not one of the command's flags (a positional one included), as typed. */
  unknown(arg: string): string;
  /** A value flag (`--stack`) given no value, an empty one, or another flag in its place. */
  needsValue(flag: string): string;
}

/**
 * Parses `argv` strictly against `options`. Without `wording`, Node's messages name the mistake and
 * positional arguments are returned; with it, the command's own messages do, and a boolean flag given a
 * value (`--json=x`) counts as set, as those commands always accepted.
 *
 * @example
 * const { values, positionals } = parseFlags(argv, { url: { type: "string" }, json: { type: "boolean" } });
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, wording?: FlagWording) {
  const args = wording === undefined ? [...argv] : normalised(argv, options, wording);
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `argv` checked in order against the wording's rules and rewritten as `--name` / `--name=value` only. */
function normalised(argv: readonly string[], options: Options, wording: FlagWording): string[] {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  return tokens.map((token) => {
    if (token.kind === "option-terminator") throw new UsageError(wording.unknown("--"));
    if (token.kind === "positional") throw new UsageError(wording.unknown(token.value));
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined) throw new UsageError(wording.unknown(argv[token.index]!));
    if (option.type === "boolean") return `--${token.name}`;
    const value = token.value;
    // A separate value that looks like a flag is the next flag, not this one's value (`--stack --json`).
    if (value === undefined || value === "" || (!token.inlineValue && value.startsWith("--")))
      throw new UsageError(wording.needsValue(token.rawName));
    return `--${token.name}=${value}`;
  });
}

/** Whether the command line asks for help (`--help` or `-h` anywhere before `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** Rejects stray positional arguments, for commands whose every value is a flag. */
export function rejectPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}": every value is given with a flag.`);
}
