/** Command line of the offline plan: `npm run synth -- --stack <name> [--json] [--dir <folder>] [--against <file>]`. */
import { parseFlags, wantsHelp, type FlagWording } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";

export interface SynthArgs {
  /** The stack whose `Pulumi.<stack>.yaml` is planned. */
  readonly stack: string;
  /** Print JSON (the resources, or with `against` the changes) instead of text. */
  readonly json: boolean;
  /** Folder holding the stack file. @default the project root */
  readonly dir?: string;
  /** A stack file of the same stack as it was: plan both and print what the change does. */
  readonly against?: string;
}

export const USAGE = `usage: npm run synth -- --stack <name> [--json] [--dir <folder>] [--against <file>]
  --stack <name>    the stack to plan: reads Pulumi.<name>.yaml (e.g. dev, prod)
  --json            print JSON: the resources, or with --against the changes (notes go to stderr)
  --dir <folder>    where Pulumi.<name>.yaml lives (default: the project root)
  --against <file>  the same stack's file as it was (e.g. git show HEAD~1:Pulumi.prod.yaml > old.yaml):
                    plans both and prints what the change creates, updates, replaces and deletes, which
                    change loses data or re-reads records; exit 4 when one loses data`;

/** The plan's own wording of a flag that is unknown or lacks its value. */
const WORDING: FlagWording = {
  unknown: (arg) => `unknown argument ${JSON.stringify(arg)}; allowed: --stack <name>, --json, --dir <folder>, --against <file>`,
  needsValue: (flag) => `${flag} needs a value`,
};

const FLAGS = {
  stack: { type: "string" },
  dir: { type: "string" },
  json: { type: "boolean" },
  against: { type: "string" },
} as const;

/** Parses `argv` (without node and the script), or throws `UsageError`; `help` when `--help` (or `-h`) is asked anywhere. */
export function parseArgs(argv: readonly string[]): SynthArgs | "help" {
  if (wantsHelp(argv)) return "help";
  const { values } = parseFlags(argv, FLAGS, WORDING);
  if (values.stack === undefined) throw new UsageError("--stack <name> is required (e.g. --stack dev)");
  return {
    stack: values.stack,
    json: values.json ?? false,
    dir: values.dir,
    ...(values.against === undefined ? {} : { against: values.against }),
  };
}
