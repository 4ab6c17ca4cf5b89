/** The exit codes of every command of the project, in one table so that no two commands give one meaning two codes. */

/**
 * - `ok` 0: done.
 * - `failed` 1: failed (the message is on stderr), or an invalid stack file.
 * - `invalidSkipped` 2: `kinesis-ingest send --on-invalid skip` stored every valid record but skipped invalid lines.
 * - `partial` 3: `replay`/`redrive` finished, but some records were not delivered or messages were kept.
 * - `dataLoss` 4: `npm run synth -- --against` planned the change, and a change in it loses data (docs/day-2.md).
 * - `fallsBehind` 5: `kinesis-ingest plan --stack` planned the traffic, and the stack's stream or a consumer does not keep up with it.
 * - `usage` 64: the command line cannot be run (BSD sysexits EX_USAGE).
 */
export const EXIT = { ok: 0, failed: 1, invalidSkipped: 2, partial: 3, dataLoss: 4, fallsBehind: 5, usage: 64 } as const;
