/**
 * `kinesis-ingest redrive`: re-processes the batches an event source mapping gave up on, from the
 * pointers in its SQS on-failure destination. Exports `main(argv)` for `cli/main.ts`; also runnable directly.
 */
import { EXIT } from "../cli-kit/exit-codes";
import { parsePositive } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { kinesisClientFor, lambdaClientFor, resolveRegion, withLocalStackEndpoints, sqsClientFor } from "../replay/clients";
import { addCounts, noRecords } from "../replay/record-results";
import { runRedrive, type RedriveOptions } from "../replay/redrive";
import type { MessageOutcome } from "../replay/redrive-message";
import { fileTarget } from "../replay/targets/file-target";
import { redriveFunctionTargets } from "../replay/targets/function-target";
import { AWS_TARGET_FLAGS, AWS_TARGET_HELP, awsTargetFrom } from "./aws-target-flags";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest redrive --queue URL (--to-function NAME | --to-file PATH | --dry-run) [options]

Reads the on-failure records in the SQS destination, re-reads exactly each failed range from its shard
(startSequenceNumber to endSequenceNumber) and delivers every record of it the target takes. The queue
is left holding exactly what cannot be delivered: each record that still fails becomes an on-failure
record of its own (condition RedriveAttemptsExhausted), and the message is deleted only after those are
written. A message naming one record the consumer isolated is redriven with that record reprocessed.
Ranges that already left the stream are reported with their pointers and kept.
  --queue URL                  the on-failure destination queue
  --to-function NAME           invoke this function with Lambda-shaped events (honours batchItemFailures);
                               each record is counted by what the function reports it did
  --to-file PATH               append the records as NDJSON: an export, every message is kept unless --delete
  --delete                     with --to-file: delete each message once its records are written
  --dry-run                    list what would be redriven (and what has expired); change nothing
  --delete-expired             delete messages whose range expired, after redriving what is left of it
                               (with --to-file, only together with --delete)
  --batch-size N               records per invocation (default 100)
  --max-retries N              re-invocations of a failing batch (default 3)
  --max-messages N             stop after N messages (default: until the queue shows none)
  --wait-seconds N             SQS long-poll wait; an empty receive ends the run (default 1)
  --visibility-timeout N       seconds a message stays hidden while redriven (default 300)
${AWS_TARGET_HELP}
Prints, as soon as a message is handled, one JSON line per record of it the function skipped, isolated or
failed ({"record": …}) and one line for the message, then a summary line. Each message is redriven at
most once a run, and so is none the run writes: one the run keeps is hidden until the run ends, even when
the visibility timeout is shorter than its redrive, so a run always ends.
Exit codes: 0 every message redriven, exported (or listed), 1 failed, 64 bad usage, 3 the queue still
holds something of this run (records that still fail or were isolated, expired or invalid messages).`;

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand("redrive", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      queue: { type: "string" },
      "to-function": { type: "string" },
      "to-file": { type: "string" },
      delete: { type: "boolean" },
      "dry-run": { type: "boolean" },
      "delete-expired": { type: "boolean" },
      "batch-size": { type: "string" },
      "max-retries": { type: "string" },
      "max-messages": { type: "string" },
      "wait-seconds": { type: "string" },
      "visibility-timeout": { type: "string" },
      ...AWS_TARGET_FLAGS,
    });
    rejectPositionals(positionals);
    if (!values.queue) throw new UsageError("--queue URL is required.");
    const dryRun = values["dry-run"] ?? false;
    if (values["to-function"] !== undefined && values["to-file"] !== undefined)
      throw new UsageError("Give one target: --to-function or --to-file.");
    if (!dryRun && values["to-function"] === undefined && values["to-file"] === undefined) {
      throw new UsageError("Give a target (--to-function NAME or --to-file PATH) or --dry-run.");
    }
    const exporting = values["to-file"] !== undefined && !dryRun;
    if (values.delete && !exporting)
      throw new UsageError(
        "--delete applies only with --to-file (--to-function deletes each message it redrove; --dry-run deletes nothing).",
      );
    if (exporting && values["delete-expired"] && !values.delete)
      throw new UsageError("--to-file deletes no message unless --delete: give --delete with --delete-expired.");
    const aws = await withLocalStackEndpoints(awsTargetFrom(values));
    const region = resolveRegion(aws);
    const kinesis = kinesisClientFor(aws);
    const sqs = sqsClientFor(aws);
    const maxRetries = parsePositive("--max-retries", values["max-retries"]);
    const functionName = values["to-function"];
    const filePath = values["to-file"];
    let targetFor: RedriveOptions["targetFor"];
    if (!dryRun && functionName !== undefined) {
      const lambda = lambdaClientFor(aws);
      targetFor = redriveFunctionTargets({ lambda, functionName, maxRetries, region });
    } else if (!dryRun && filePath !== undefined) {
      targetFor = () => fileTarget(filePath);
    }
    let outcomes: MessageOutcome[];
    try {
      outcomes = await runRedrive({
        sqs,
        kinesis,
        queueUrl: values.queue,
        targetFor,
        batchSize: parsePositive("--batch-size", values["batch-size"]),
        deleteExpired: values["delete-expired"] ?? false,
        keepMessages: exporting && !values.delete,
        maxMessages: parsePositive("--max-messages", values["max-messages"]),
        waitSeconds: parseNonNegative("--wait-seconds", values["wait-seconds"]),
        visibilityTimeoutSeconds: parsePositive("--visibility-timeout", values["visibility-timeout"]),
        // Lines per message as it is decided: a long run shows its progress, a killed one what it did.
        onOutcome: ({ records = [], ...message }) => {
          for (const line of records) process.stdout.write(JSON.stringify({ record: { messageId: message.messageId, ...line } }) + "\n");
          process.stdout.write(JSON.stringify(message) + "\n");
        },
      });
    } finally {
      kinesis.destroy();
      sqs.destroy();
    }
    const count = (status: MessageOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
    const recordOutcomes = noRecords();
    for (const outcome of outcomes) addCounts(recordOutcomes, { ...noRecords(), ...outcome });
    const newMessages = outcomes.reduce((sum, o) => sum + (o.newMessageIds?.length ?? 0), 0);
    const summary = {
      messages: outcomes.length,
      redriven: count("redriven"),
      narrowed: count("narrowed"),
      exported: count("exported"),
      expired: count("expired"),
      failed: count("failed"),
      invalid: count("invalid"),
      dryRun,
      deleted: outcomes.filter((o) => o.deleted).length,
      // Records the target took, whatever it did with them (recordOutcomes says what); in a dry run, those found.
      records: dryRun
        ? outcomes.reduce((sum, o) => sum + (o.found ?? 0), 0)
        : recordOutcomes.delivered + recordOutcomes.skipped + recordOutcomes.isolated + recordOutcomes.acknowledged,
      recordOutcomes,
      newMessages,
    };
    process.stdout.write(JSON.stringify({ summary }) + "\n");
    for (const outcome of outcomes.filter((o) => o.reason !== undefined)) {
      const where = outcome.pointer
        ? ` ${outcome.pointer.shardId} ${outcome.pointer.startSequenceNumber}..${outcome.pointer.endSequenceNumber}`
        : "";
      const written = outcome.newMessageIds?.length ? `; new messages ${outcome.newMessageIds.join(", ")}` : "";
      process.stderr.write(
        `kinesis-ingest redrive: message ${outcome.messageId}${where}: ${outcome.status}: ${outcome.reason}${outcome.deleted ? " (deleted" : " (kept"}${written})\n`,
      );
    }
    const leftBehind = outcomes.some((o) => (!o.deleted && o.status !== "exported") || (o.newMessageIds?.length ?? 0) > 0);
    return !dryRun && leftBehind ? EXIT.partial : EXIT.ok;
  });
}

function parseNonNegative(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 20) throw new UsageError(`${flag} must be an integer from 0 to 20, got "${text}".`);
  return value;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
