/** The flags `kinesis-ingest replay` and `redrive` share: where the services are (region and endpoints). */
import type { AwsTarget } from "../replay/clients";

/** `node:util` parseArgs options for where the services are. */
export const AWS_TARGET_FLAGS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  "kinesis-endpoint": { type: "string" },
  "sqs-endpoint": { type: "string" },
  "lambda-endpoint": { type: "string" },
} as const;

/** The help lines of {@link AWS_TARGET_FLAGS}. */
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
