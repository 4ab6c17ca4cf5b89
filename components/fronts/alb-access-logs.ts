/**
 * The ALB front's access log bucket: private, SSE-S3 (the only encryption ALB log delivery supports), expiring
 * its logs, and a policy that lets Elastic Load Balancing write under `alb/`
 * (docs/aws-semantics.md#alb-access-log-delivery). The stack owns the bucket and its logs expire anyway, so it
 * is force-destroyed: without that, `pulumi destroy` fails on a non-empty bucket.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_DELIVERY_SERVICE, hasElbLogAccount } from "../../semantics/elb-access-logs";
import type { FrontContext } from "./types";

/** The key prefix the load balancer writes under (ELB adds `AWSLogs/<account>/…` after it). */
export const ALB_LOG_PREFIX = "alb";

interface AlbAccessLogs {
  readonly bucket: aws.s3.Bucket;
  /** The load balancer depends on it: ELB checks that it may write (a test object) when access logs are enabled. */
  readonly policy: aws.s3.BucketPolicy;
}

export function albAccessLogBucket(ctx: FrontContext): AlbAccessLogs {
  const { name, parent } = ctx;
  const opts = { parent };
  const bucket = new aws.s3.Bucket(`${name}-alb-logs`, { forceDestroy: true }, opts);
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: { prefix: `${ALB_LOG_PREFIX}/` },
          expiration: { days: ctx.logRetentionDays },
        },
      ],
    },
    opts,
  );
  const policy = new aws.s3.BucketPolicy(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: logDeliveryStatements(ctx, bucket) }),
    },
    // S3 refuses a policy while the bucket's public access block is being changed; put it after (as the archive bucket does).
    { parent, dependsOn: [publicAccessBlock] },
  );
  return { bucket, policy };
}

/**
 * Who may put log objects: the log delivery service principal in every Region and, in the Regions available
 * before August 2022, the Region's ELB account too. `aws.elb.getServiceAccount` is asked only there: the
 * provider knows no ELB account for a Region opened since, and fails.
 */
function logDeliveryStatements(ctx: FrontContext, bucket: aws.s3.Bucket): pulumi.Output<object[]> {
  const { parent } = ctx;
  const region = aws.getRegionOutput({}, { parent }).region;
  const logObjects = pulumi.interpolate`${bucket.arn}/${ALB_LOG_PREFIX}/*`;
  return pulumi.all([region, logObjects]).apply(async ([regionName, resource]) => {
    const allowPut = (Sid: string, Principal: object) => ({ Sid, Effect: "Allow", Principal, Action: "s3:PutObject", Resource: resource });
    const byService = allowPut("AlbAccessLogDelivery", { Service: ELB_LOG_DELIVERY_SERVICE });
    if (!hasElbLogAccount(regionName)) return [byService];
    const elbAccount = await aws.elb.getServiceAccount({}, { parent });
    return [byService, allowPut("AlbAccessLogDeliveryByRegionAccount", { AWS: elbAccount.arn })];
  });
}
