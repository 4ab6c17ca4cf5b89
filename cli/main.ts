/**
 * `kinesis-ingest <command>`: dispatches to `cli/<command>.ts`, each exporting
 * `main(argv): Promise<number>` (the exit code). Commands are loaded only when called, so one that is
 * missing or broken does not stop the others.
 */
import { EXIT } from "../cli-kit/exit-codes";

interface CommandModule {
  main(argv: string[]): Promise<number>;
}

/** The commands and a one-line summary each. Loaded with `require` (tsx's CommonJS hook handles `.ts`). */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => CommandModule }>> = {
  send: { summary: "send NDJSON records to the API or straight to a stream", load: () => require("./send") as CommandModule },
  replay: {
    summary: "replay a time range of a stream into a function, a stream or a file",
    load: () => require("./replay") as CommandModule,
  },
  redrive: { summary: "redrive the batches an event source mapping gave up on", load: () => require("./redrive") as CommandModule },
  doctor: {
    summary: "check the AWS account against a stack before pulumi up (read-only)",
    load: () => require("./doctor") as CommandModule,
  },
  plan: {
    summary: "size a stream for a traffic: shards, monthly cost per capacity mode, consumer settings",
    load: () => require("./plan") as CommandModule,
  },
  token: { summary: "mint a JWT from a local stack run with api.auth jwt", load: () => require("./token") as CommandModule },
  schema: {
    summary: "print the JSON Schema of a Pulumi.<stack>.yaml, for editors",
    load: () => require("./schema") as CommandModule,
  },
};

const HELP = `Usage: kinesis-ingest <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(9)}${summary}`)
  .join("\n")}

Run \`kinesis-ingest <command> --help\` for a command's options.`;

/** Runs `kinesis-ingest` with `argv` (the arguments after the program name); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS[command];
  if (entry === undefined) {
    process.stderr.write(`kinesis-ingest: unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(", ")}.\n`);
    return EXIT.usage;
  }
  let module: CommandModule;
  try {
    module = entry.load();
  } catch (error) {
    process.stderr.write(`kinesis-ingest: the ${command} command could not be loaded: ${(error as Error).message.split("\n")[0]}\n`);
    return EXIT.failed;
  }
  return module.main(rest);
}
