/** The exit codes of every command of the project, in one table so that no two commands give one meaning two codes. */

/**
 * - `ok` 0: done.
 * - `failed` 1: failed (the message is on stderr), or an invalid stack file.
 * - `invalidSkipped` 2: `kinesis-ingest send --on-invalid skip` stored every valid record but skipped invalid lines.
 * - `partial` 3: `replay`/`redrive` finished, but some records were not delivered or messages were kept.
 * - `usage` 64: the command line cannot be run (BSD sysexits EX_USAGE).
 */
export const EXIT = { ok: 0, failed: 1, invalidSkipped: 2, partial: 3, usage: 64 } as const;
