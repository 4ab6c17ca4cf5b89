/**
 * `kinesis-ingest redrive`: re-processes the batches an event source mapping gave up on, from the
 * pointers in its SQS on-failure destination. Exports `main(argv)` for `cli/main.ts`; also runnable directly.
 */
import { EXIT } from "../cli-kit/exit-codes";
import { parsePositive } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { kinesisClientFor, lambdaClientFor, resolveRegion, withLocalStackEndpoints, sqsClientFor } from "../replay/clients";
import type { FailedBatchPointer } from "../replay/on-failure-record";
import { runRedrive, type MessageOutcome } from "../replay/redrive";
import { fileTarget } from "../replay/targets/file-target";
import { functionTarget, replayIdentityArn } from "../replay/targets/function-target";
import type { ReplayTarget } from "../replay/targets/target";
import { AWS_TARGET_FLAGS, AWS_TARGET_HELP, awsTargetFrom } from "./aws-target-flags";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest redrive --queue URL (--to-function NAME | --to-file PATH | --dry-run) [options]

Reads the on-failure records in the SQS destination, re-reads exactly each failed batch from its shard
(startSequenceNumber to endSequenceNumber), delivers it again and deletes the message only when every
record was processed. Ranges that already left the stream are reported with their pointers and kept.
  --queue URL                  the on-failure destination queue
  --to-function NAME           invoke this function with Lambda-shaped events (honours batchItemFailures)
  --to-file PATH               append the records as NDJSON
  --dry-run                    list what would be redriven (and what has expired); change nothing
  --delete-expired             delete messages whose range expired, after redriving what is left of it
  --batch-size N               records per invocation (default 100)
  --max-retries N              re-invocations of a failing batch (default 3)
  --max-messages N             stop after N messages (default: until the queue shows none)
  --wait-seconds N             SQS long-poll wait; an empty receive ends the run (default 1)
  --visibility-timeout N       seconds a message stays hidden while redriven (default 300)
${AWS_TARGET_HELP}
Prints one JSON line per message as soon as it is handled, then a summary line. Each message is redriven at
most once a run: one the run keeps is hidden until the run ends, even when the visibility timeout is shorter
than its redrive, so a run always ends.
Exit codes: 0 every message redriven (or listed), 1 failed, 64 bad usage, 3 some messages kept (expired, failing or invalid).`;

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand("redrive", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      queue: { type: "string" },
      "to-function": { type: "string" },
      "to-file": { type: "string" },
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
    const aws = await withLocalStackEndpoints(awsTargetFrom(values));
    const region = resolveRegion(aws);
    const kinesis = kinesisClientFor(aws);
    const sqs = sqsClientFor(aws);
    const maxRetries = parsePositive("--max-retries", values["max-retries"]);
    const functionName = values["to-function"];
    const filePath = values["to-file"];
    let targetFor: ((batch: FailedBatchPointer) => ReplayTarget) | undefined;
    if (!dryRun && functionName !== undefined) {
      const lambda = lambdaClientFor(aws);
      targetFor = (batch) =>
        functionTarget({
          lambda,
          functionName,
          maxRetries,
          source: { streamArn: batch.streamArn, region, invokeIdentityArn: replayIdentityArn(batch.streamArn) },
        });
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
        maxMessages: parsePositive("--max-messages", values["max-messages"]),
        waitSeconds: parseNonNegative("--wait-seconds", values["wait-seconds"]),
        visibilityTimeoutSeconds: parsePositive("--visibility-timeout", values["visibility-timeout"]),
        // One line per message as it is decided: a long run shows its progress, a killed one what it did.
        onOutcome: (outcome) => process.stdout.write(JSON.stringify(outcome) + "\n"),
      });
    } finally {
      kinesis.destroy();
      sqs.destroy();
    }
    const count = (status: MessageOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
    const summary = {
      messages: outcomes.length,
      redriven: count("redriven"),
      expired: count("expired"),
      failed: count("failed"),
      invalid: count("invalid"),
      dryRun,
      deleted: outcomes.filter((o) => o.deleted).length,
      records: outcomes.reduce((sum, o) => sum + (dryRun ? (o.found ?? 0) : (o.delivered ?? 0)), 0),
    };
    process.stdout.write(JSON.stringify({ summary }) + "\n");
    for (const outcome of outcomes.filter((o) => o.reason !== undefined && o.status !== "redriven")) {
      const where = outcome.pointer
        ? ` ${outcome.pointer.shardId} ${outcome.pointer.startSequenceNumber}..${outcome.pointer.endSequenceNumber}`
        : "";
      process.stderr.write(
        `kinesis-ingest redrive: message ${outcome.messageId}${where}: ${outcome.status}: ${outcome.reason}${outcome.deleted ? " (deleted)" : " (kept)"}\n`,
      );
    }
    return !dryRun && outcomes.some((o) => !o.deleted) ? EXIT.partial : EXIT.ok;
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
