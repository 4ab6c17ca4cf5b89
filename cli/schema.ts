/**
 * `kinesis-ingest schema`: prints the JSON Schema of a whole `Pulumi.<stack>.yaml`, generated from the
 * declarations the validator reads (config/schema/). Editors that speak the YAML language server complete and
 * check a stack file's keys with it; the committed stack files point at the copy in `schema/stack-file.schema.json`.
 */
import { stackFileJsonSchema } from "../config/schema/stack";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { EXIT } from "../cli-kit/exit-codes";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest schema

Prints the JSON Schema (draft-07) of a whole Pulumi.<stack>.yaml: every kinesis-ingest: key with its type,
allowed values or range, default and description, beside aws:region. Cross-key rules (which front takes which
auth mode, the handler kinds' keys, budgets) are checked by the validator only.
To refresh the committed copy:
  npx kinesis-ingest schema > schema/stack-file.schema.json && npx prettier --write schema/stack-file.schema.json
Exit codes: 0 printed, 64 bad usage.`;

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand("schema", HELP, argv, async () => {
    rejectPositionals(parseFlags(argv, {}).positionals);
    process.stdout.write(`${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`);
    return EXIT.ok;
  });
}
