/** The run-and-exit-code wrapper every `kinesis-ingest` command runs its body in. */
import { EXIT } from "../cli-kit/exit-codes";
import { wantsHelp } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";

/**
 * Runs a command body: prints `help` for `--help` (exit 0), a usage error with a pointer to `--help`
 * (exit 64), any other error as one line (exit 1).
 */
export async function runCommand(command: string, help: string, argv: string[], body: () => Promise<number>): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${help.trimEnd()}\n`);
    return EXIT.ok;
  }
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kinesis-ingest ${command}: ${error.message}\nRun \`kinesis-ingest ${command} --help\` for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(`kinesis-ingest ${command}: ${(error as Error).message ?? String(error)}\n`);
    return EXIT.failed;
  }
}
