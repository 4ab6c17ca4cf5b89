import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ESM_RANGES, inRange, type SettingRange } from "../semantics/event-source-mapping";
import { TYPES } from "./types";
import { known, prop, show, UNKNOWN, type Props } from "./values";

const KINESIS_ARN = /^arn:aws[a-z-]*:kinesis:/;

/**
 * Every mapping on a Kinesis stream handles failure without blocking its shard: an on-failure destination,
 * bisect on error, partial batch responses, and record age and retries set explicitly within Lambda's ranges.
 * Their -1 ("until the record expires") is allowed, as AWS, the stack config and the README allow it: the
 * consumer runtime sends a record that fails for good to the on-failure queue itself (`poisonRecords:
 * isolate`), so its shard need not wait for it to expire. Left unset they would be -1 without anyone choosing it.
 */
export const mappingFailureHandling: ResourceValidationPolicy = {
  name: "kinesis-mapping-failure-handling",
  description:
    "Kinesis event source mappings have an on-failure destination, bisectBatchOnFunctionError, " +
    "ReportBatchItemFailures, and an explicit maximum record age and retry count within Lambda's ranges.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.eventSourceMapping || !isStreamSource(args.props)) return;
    mappingProblems(args.props).forEach((message) => reportViolation(message));
  },
};

/**
 * A Kinesis stream (or enhanced fan-out consumer) ARN. While the ARN is unknown (preview), a mapping with a
 * `startingPosition` reads a stream and is checked: the same rules hold for DynamoDB streams.
 */
function isStreamSource(props: Props): boolean {
  const arn = prop(props, "eventSourceArn");
  if (arn !== UNKNOWN) return typeof arn === "string" && KINESIS_ARN.test(arn);
  const position = prop(props, "startingPosition");
  return position !== UNKNOWN && position !== undefined;
}

function mappingProblems(props: Props): string[] {
  const problems: string[] = [];
  const destination = prop(props, "destinationConfig", "onFailure", "destinationArn");
  if (destination !== UNKNOWN && (typeof destination !== "string" || destination === "")) {
    problems.push(
      `an on-failure destination is required: set \`destinationConfig.onFailure.destinationArn\` ` +
        `to an SQS queue, SNS topic or S3 bucket ARN, got ${show(destination)}`,
    );
  }
  const bisect = prop(props, "bisectBatchOnFunctionError");
  if (bisect !== UNKNOWN && bisect !== true) {
    problems.push(`\`bisectBatchOnFunctionError\` must be true, got ${show(bisect)}`);
  }
  const responseTypes = prop(props, "functionResponseTypes");
  const reportsFailures = known(() => Array.isArray(responseTypes) && responseTypes.includes("ReportBatchItemFailures"));
  if (responseTypes !== UNKNOWN && reportsFailures === false) {
    problems.push(`\`functionResponseTypes\` must contain "ReportBatchItemFailures", got ${show(responseTypes)}`);
  }
  problems.push(...explicit(props, "maximumRecordAgeInSeconds", ESM_RANGES.maxRecordAgeSeconds));
  problems.push(...explicit(props, "maximumRetryAttempts", ESM_RANGES.maxRetryAttempts));
  return problems;
}

/** Lambda's range of the setting, its -1 included, set explicitly (docs/aws-semantics.md#event-source-mapping-settings). */
function explicit(props: Props, key: string, range: SettingRange): string[] {
  const value = prop(props, key);
  if (value === UNKNOWN) return [];
  if (typeof value === "number" && inRange(value, range)) return [];
  return [`\`${key}\` must be set, -1 (until the record expires) or an integer from ${range.min} to ${range.max}, got ${show(value)}`];
}
