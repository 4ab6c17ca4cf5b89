/** What `kinesis-ingest replay` and `redrive` share: endpoint/region flags, value parsers, exit codes. */
import { UsageError, ReplayError, describeError } from "./errors";
import type { AwsTarget } from "./clients";

/** Exit codes: 0 all done; 1 failed (message on stderr); 2 bad usage; 3 finished, some records not delivered. */
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

/** `node:util` parseArgs options for where the services are. */
export const AWS_TARGET_FLAGS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  "kinesis-endpoint": { type: "string" },
  "sqs-endpoint": { type: "string" },
  "lambda-endpoint": { type: "string" },
} as const;

export const AWS_TARGET_HELP = `  --region REGION              AWS region (default AWS_REGION; us-east-1 with an endpoint)
  --endpoint URL               one endpoint for Kinesis, SQS and Lambda (the local stack)
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

/** Runs a command body, turning thrown errors into a one-line message and an exit code. */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION";
    const message = error instanceof ReplayError ? error.message : describeError(error);
    process.stderr.write(`kinesis-ingest ${name}: ${message}\n${usage ? `Run kinesis-ingest ${name} --help for the flags.\n` : ""}`);
    return usage ? EXIT.usage : EXIT.failed;
  }
}
