/**
 * Who writes an Application Load Balancer's access logs into its bucket, per Region
 * (docs/aws-semantics.md#alb-access-log-delivery): in the Regions available before August 2022, the Region's
 * Elastic Load Balancing account (the bucket policy names `arn:aws:iam::<elb-account-id>:root`); in every
 * Region opened since (eu-central-2, eu-south-2, ap-south-2, ap-southeast-4, me-central-1, il-central-1,
 * ca-west-1, and any later one), only the log delivery service principal. The list below is closed: AWS
 * gives no Region opened since August 2022 an ELB account, and the provider's `aws.elb.getServiceAccount`
 * fails ("unsupported AWS Region") outside it.
 */

/** The log delivery service principal, valid for every commercial Region's bucket policy. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * The commercial Regions available before August 2022, each with an ELB account ("Enable access logs for
 * your Application Load Balancer", step 2; the same list as the provider's `accountIDPerRegionMap`).
 */
const REGIONS_WITH_ELB_ACCOUNT: ReadonlySet<string> = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-southeast-3",
  "ap-south-1",
  "ap-northeast-3",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-south-1",
  "eu-west-3",
  "eu-north-1",
  "me-south-1",
  "sa-east-1",
]);

/**
 * Whether Region `region` has an ELB account to name in the log bucket's policy; when it has none, the log
 * delivery service principal alone writes the logs.
 * @example hasElbLogAccount("eu-west-1") // true
 * @example hasElbLogAccount("eu-central-2") // false
 */
export function hasElbLogAccount(region: string): boolean {
  return REGIONS_WITH_ELB_ACCOUNT.has(region);
}
