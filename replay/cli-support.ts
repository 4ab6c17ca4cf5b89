/** What `kinesis-ingest replay` and `redrive` share: endpoint/region flags, value parsers, exit codes. */
import { EXIT_USAGE, UsageError as CommandLineError, runCommand as runCliCommand } from "../cli/args";
import { UsageError } from "./errors";
import type { AwsTarget } from "./clients";

/** Exit codes: 0 all done; 1 failed (message on stderr); 64 bad usage; 3 finished, some records not delivered. */
export const EXIT = { ok: 0, failed: 1, usage: EXIT_USAGE, partial: 3 } as const;

/** `node:util` parseArgs options for where the services are. */
export const AWS_TARGET_FLAGS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  "kinesis-endpoint": { type: "string" },
  "sqs-endpoint": { type: "string" },
  "lambda-endpoint": { type: "string" },
} as const;

export const AWS_TARGET_HELP = `  --region REGION              AWS region (default AWS_REGION; us-east-1 with an endpoint)
  --endpoint URL               one endpoint for Kinesis, SQS and Lambda; the local stack's URL also works
                               (its Kinesis and SQS emulators are found at URL/_local/status)
  --kinesis-endpoint URL       override for Kinesis
  --sqs-endpoint URL           override for SQS
  --lambda-endpoint URL        override for Lambda`;

/** The AwsTarget named by the flags. */
export function awsTargetFrom(values: Partial<Record<keyof typeof AWS_TARGET_FLAGS, string>>): AwsTarget {
  return {
    region: values.region,
    endpoint: values.endpoint,
    kinesisEndpoint: values["kinesis-endpoint"],
    sqsEndpoint: values["sqs-endpoint"],
    lambdaEndpoint: values["lambda-endpoint"],
  };
}

/** `in us-east-1 at http://…` for error messages. */
export function describeLocation(target: AwsTarget, region: string): string {
  const endpoint = target.kinesisEndpoint ?? target.endpoint;
  return `in region ${region}${endpoint ? ` at ${endpoint}` : ""}`;
}

/** Parses an ISO 8601 time flag. */
export function parseTime(flag: string, text: string): Date {
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    throw new UsageError(`${flag} must be an ISO 8601 time such as 2024-05-01T12:00:00Z, got "${text}".`);
  }
  return time;
}

/** Parses a positive number flag (integers only unless `fraction`). */
export function parsePositive(flag: string, text: string | undefined, fraction = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (!fraction && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be a positive ${fraction ? "number" : "integer"}, got "${text}".`);
  }
  return value;
}

/**
 * Runs a command through the shared CLI wrapper (`--help`, one-line errors, exit codes), turning the
 * library's usage errors into the wrapper's.
 */
export function runCommand(name: string, help: string, argv: string[], body: () => Promise<number>): Promise<number> {
  return runCliCommand(name, help, argv, async () => {
    try {
      return await body();
    } catch (error) {
      throw error instanceof UsageError ? new CommandLineError(error.message) : error;
    }
  });
}

/** Rejects stray positional arguments (every value of these commands is a flag). */
export function rejectPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}": every value is given with a flag.`);
}
