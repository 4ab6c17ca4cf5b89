/** Command line of the offline plan: `npm run synth -- --stack <name> [--json] [--dir <folder>]`. */

export interface SynthArgs {
  /** The stack whose `Pulumi.<stack>.yaml` is planned. */
  readonly stack: string;
  /** Print a JSON array of resources instead of the tree. */
  readonly json: boolean;
  /** Folder holding the stack file. @default the project root */
  readonly dir?: string;
}

export const USAGE = `usage: npm run synth -- --stack <name> [--json] [--dir <folder>]
  --stack <name>   the stack to plan: reads Pulumi.<name>.yaml (e.g. dev, prod)
  --json           print the resources as a JSON array (notes and warnings go to stderr)
  --dir <folder>   where Pulumi.<name>.yaml lives (default: the project root)`;

/** Thrown for a command line that cannot be run; the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `argv` (without node and the script), or throws `UsageError`; `help` when `--help` is asked. */
export function parseArgs(argv: readonly string[]): SynthArgs | "help" {
  let stack: string | undefined;
  let dir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "" || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--stack":
        stack = value();
        break;
      case "--dir":
        dir = value();
        break;
      case "--json":
        json = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}; allowed: --stack <name>, --json, --dir <folder>`);
    }
  }
  if (stack === undefined) throw new UsageError("--stack <name> is required (e.g. --stack dev)");
  return { stack, json, dir };
}
