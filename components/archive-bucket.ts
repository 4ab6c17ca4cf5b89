/**
 * The stack's archive bucket, shared by its `archiver` consumers that name no `bucketName`: encrypted at rest
 * (SSE-S3), every public access blocked, ACLs disabled (BucketOwnerEnforced), a policy refusing every request
 * not made over TLS, and one lifecycle rule per archiver expiring its prefix after its
 * `archiveRetentionDays` (docs/aws-semantics.md#s3-archive-objects). `aws.s3.Bucket` is the current resource
 * of @pulumi/aws 7 (`BucketV2` is deprecated in its favour); the settings are its side-by-side resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, type PolicyStatement } from "./iam";
import { dataBearing, retainedWith, type LifecycleConfig } from "./lifecycle";

/** One archiver writing into the bucket. */
export interface ArchivePrefix {
  readonly consumer: string;
  /** Ends with `/`. */
  readonly prefix: string;
  readonly retentionDays: number;
}

export interface ArchiveBucketArgs {
  readonly prefixes: readonly ArchivePrefix[];
  /** How the bucket, whose objects are the archive, is guarded. */
  readonly lifecycle: LifecycleConfig;
}

export class ArchiveBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  /** The bucket's physical name. */
  public readonly name: pulumi.Output<string>;

  /** The bucket is `<name>-bucket`, auto-named by Pulumi (bucket names are global: the suffix keeps them apart). */
  constructor(name: string, args: ArchiveBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:archive:ArchiveBucket", name, {}, opts);
    // Removing the last archiver leaves the bucket, and the settings that keep it private and expiring, in AWS
    // (docs/day-2.md#data-bearing-resources). No forceDestroy: the archive outlives the stream by design.
    const child = retainedWith({ parent: this });
    this.bucket = new aws.s3.Bucket(`${name}-bucket`, {}, dataBearing(args.lifecycle, { parent: this }));
    this.name = this.bucket.bucket;
    const bucket = this.bucket.bucket;
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      child,
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      // S3 refuses a policy while the bucket's public access block is being changed; put it after.
      { ...child, dependsOn: [publicAccessBlock] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-expiration`,
      {
        bucket,
        rules: args.prefixes.map((p) => ({
          id: `expire-${p.consumer}`,
          status: "Enabled",
          filter: { prefix: p.prefix },
          expiration: { days: p.retentionDays },
        })),
      },
      child,
    );
    this.registerOutputs({ name: this.name });
  }
}

/**
 * The one statement an archiver's role gets: `s3:PutObject` on the objects under its prefix, nothing else
 * (no read, list or delete: a retry overwrites by putting the same key again).
 */
export function archiveWriteStatement(bucketName: pulumi.Input<string>, prefix: string): PolicyStatement {
  return allow("WriteArchive", ["s3:PutObject"], [pulumi.interpolate`arn:aws:s3:::${bucketName}/${prefix}*`]);
}
