import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { TYPES } from "./types";
import { known, prop, show, UNKNOWN, type Props } from "./values";

const KINESIS_ARN = /^arn:aws[a-z-]*:kinesis:/;

/**
 * Every mapping on a Kinesis stream handles failure without blocking its shard: an on-failure destination,
 * bisect on error, partial batch responses, and bounded record age and retries. Without them one bad
 * record blocks its shard until the record expires (up to a year of retention).
 */
export const mappingFailureHandling: ResourceValidationPolicy = {
  name: "kinesis-mapping-failure-handling",
  description:
    "Kinesis event source mappings have an on-failure destination, bisectBatchOnFunctionError, " +
    "ReportBatchItemFailures, and a bounded maximum record age and retry count.",
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
  // Lambda's own bounds, without their -1 ("until the record expires").
  problems.push(...bounded(props, "maximumRecordAgeInSeconds", ESM_RANGES.maxRecordAgeSeconds));
  problems.push(...bounded(props, "maximumRetryAttempts", ESM_RANGES.maxRetryAttempts));
  return problems;
}

function bounded(props: Props, key: string, range: { readonly min: number; readonly max: number }): string[] {
  const value = prop(props, key);
  if (value === UNKNOWN) return [];
  if (typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max) return [];
  return [`\`${key}\` must be bounded, an integer from ${range.min} to ${range.max} (not -1), got ${show(value)}`];
}
