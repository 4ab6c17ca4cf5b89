/** Command line of the offline plan: `npm run synth -- --stack <name> [--json] [--dir <folder>]`. */
import { parseFlags, wantsHelp, type FlagWording } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";

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

/** The plan's own wording of a flag that is unknown or lacks its value. */
const WORDING: FlagWording = {
  unknown: (arg) => `unknown argument ${JSON.stringify(arg)}; allowed: --stack <name>, --json, --dir <folder>`,
  needsValue: (flag) => `${flag} needs a value`,
};

const FLAGS = {
  stack: { type: "string" },
  dir: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Parses `argv` (without node and the script), or throws `UsageError`; `help` when `--help` (or `-h`) is asked anywhere. */
export function parseArgs(argv: readonly string[]): SynthArgs | "help" {
  if (wantsHelp(argv)) return "help";
  const { values } = parseFlags(argv, FLAGS, WORDING);
  if (values.stack === undefined) throw new UsageError("--stack <name> is required (e.g. --stack dev)");
  return { stack: values.stack, json: values.json ?? false, dir: values.dir };
}
