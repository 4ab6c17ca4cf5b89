/** The one error every command line of the project throws for a wrong invocation (`kinesis-ingest`, `npm start`, `npm run synth`, and the replay library's option checks). */

/** A wrong command line: the message names the flag, the value and what is allowed. Commands exit with `EXIT.usage` for it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
