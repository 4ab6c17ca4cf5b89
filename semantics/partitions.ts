/**
 * AWS partitions: an ARN's second field, and the partition a Region belongs to, as the AWS SDKs' endpoint
 * rules resolve it (docs/aws-semantics.md#partitions-and-regions). kinesis-ingest deploys to the `aws`
 * partition only: the ARNs, service principals and hosts it writes are `arn:aws:…` and `….amazonaws.com`.
 */

/** The one partition the program, its handlers and its tools write ARNs and hosts for. */
export const SUPPORTED_PARTITION = "aws";

/**
 * Region name patterns of the partitions other than `aws`, from the SDKs' partition data (`regionRegex`); they
 * are tried before `aws`'s own pattern, which `us-gov-west-1` and `us-iso-east-1` would not match anyway.
 */
const OTHER_PARTITIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ["aws-cn", /^cn-\w+-\d+$/],
  ["aws-us-gov", /^us-gov-\w+-\d+$/],
  ["aws-iso", /^us-iso-\w+-\d+$/],
  ["aws-iso-b", /^us-isob-\w+-\d+$/],
  ["aws-iso-e", /^eu-isoe-\w+-\d+$/],
  ["aws-iso-f", /^us-isof-\w+-\d+$/],
  ["aws-eusc", /^eusc-de-\w+-\d+$/],
];
const AWS_REGION_NAME = /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/;

/**
 * The partition of Region `region`, or undefined for a name no partition has.
 * @example partitionOfRegion("cn-north-1") // "aws-cn"
 */
export function partitionOfRegion(region: string): string | undefined {
  for (const [partition, pattern] of OTHER_PARTITIONS) if (pattern.test(region)) return partition;
  return AWS_REGION_NAME.test(region) ? SUPPORTED_PARTITION : undefined;
}

/**
 * The partition field of an ARN (`arn:PARTITION:service:region:account:resource`).
 * @example partitionOfArn("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders") // "aws-us-gov"
 */
export function partitionOfArn(arn: string): string | undefined {
  return arn.split(":")[1] || undefined;
}

/**
 * The Region field of an ARN, or undefined for a global resource (`arn:aws:s3:::bucket`, IAM).
 * @example regionOfArn("arn:aws:sns:us-east-1:123456789012:orders") // "us-east-1"
 */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(":")[3] || undefined;
}
