/**
 * The plan of an `archiver` consumer under Pulumi mocks: the stack's bucket (S3 guide "Blocking public access",
 * "Controlling ownership of objects and disabling ACLs", "Bucket naming rules"; S3 API LifecycleExpiration;
 * Pulumi registry aws.s3.Bucket), the TLS-only bucket policy, the function's variables, and a role allowed
 * exactly `s3:PutObject` on its prefix.
 */
import { expect } from "chai";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { builtInHandlerEntry, named, ofType, runStack, type ProgramRun, type RecordedResource } from "./harness";
import { problemsOf } from "../config/problems";
import { validateStackConfig } from "../../config";

const BUCKET = "kinesis-ingest-dev-archive-bucket-a1b2c3d";
const dlqUrl = (consumer: string) => `https://sqs.eu-west-1.amazonaws.com/123456789012/kinesis-ingest-dev-${consumer}-dlq`;

function statementsOf(
  resources: readonly RecordedResource[],
  consumer: string,
): Array<{ Sid: string; Action: string[]; Resource: string[] }> {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`);
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[] }> })
    .Statement;
}

function functionOf(resources: readonly RecordedResource[], consumer: string): RecordedResource {
  return named(resources, "aws:lambda/function:Function", `consumer-${consumer}-fn-function`);
}

function variablesOf(resources: readonly RecordedResource[], consumer: string): Record<string, unknown> {
  return (functionOf(resources, consumer).inputs.environment as { variables: Record<string, unknown> }).variables;
}

describe("program: the archive (handler archiver)", () => {
  let run: ProgramRun;
  let resources: RecordedResource[];
  before(async () => {
    run = await runStack({
      consumers: {
        "s3-archive": { handler: "archiver" },
        raw: { handler: "archiver", archivePrefix: "raw/events/", compression: "none", archiveRetentionDays: 30 },
        external: { handler: "archiver", bucketName: "acme-archive" },
      },
    });
    resources = run.resources;
  });

  it("one bucket per stack, auto-named from kinesis-ingest-<stack>-archive-bucket, kept on destroy (no forceDestroy)", () => {
    expect(ofType(resources, "aws:s3/bucket:Bucket").map((b) => [b.name, b.inputs])).to.deep.equal([
      ["kinesis-ingest-dev-archive-bucket", {}],
    ]);
    expect(run.outputs.archiveBucket).to.equal(BUCKET);
  });

  it("encrypts with SSE-S3, blocks all four public access settings, disables ACLs (BucketOwnerEnforced)", () => {
    expect(
      named(
        resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "kinesis-ingest-dev-archive-encryption",
      ).inputs,
    ).to.deep.equal({
      bucket: BUCKET,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    expect(
      named(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "kinesis-ingest-dev-archive-public-access").inputs,
    ).to.deep.equal({
      bucket: BUCKET,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      named(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "kinesis-ingest-dev-archive-ownership").inputs,
    ).to.deep.equal({
      bucket: BUCKET,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  });

  it("denies every request not made over TLS (aws:SecureTransport false), on the bucket and its objects", () => {
    const policy = named(resources, "aws:s3/bucketPolicy:BucketPolicy", "kinesis-ingest-dev-archive-tls-only");
    expect(policy.inputs.bucket).to.equal(BUCKET);
    expect(JSON.parse(policy.inputs.policy as string)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("expires each archiver's prefix after its archiveRetentionDays; an archiver with bucketName has no rule", () => {
    expect(
      named(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "kinesis-ingest-dev-archive-expiration").inputs,
    ).to.deep.equal({
      bucket: BUCKET,
      rules: [
        { id: "expire-s3-archive", status: "Enabled", filter: { prefix: "s3-archive/" }, expiration: { days: 365 } },
        { id: "expire-raw", status: "Enabled", filter: { prefix: "raw/events/" }, expiration: { days: 30 } },
      ],
    });
  });

  it("bundles handlers/archiver.ts and passes bucket, prefix and compression, and neither secret nor request timeout", () => {
    expect(functionOf(resources, "s3-archive").inputs.description).to.equal("Stream consumer consumer-s3-archive");
    expect(variablesOf(resources, "s3-archive")).to.deep.equal({
      ARCHIVE_BUCKET: BUCKET,
      ARCHIVE_PREFIX: "s3-archive/",
      ARCHIVE_COMPRESSION: "gzip",
      ON_FAILURE_QUEUE_URL: dlqUrl("s3-archive"),
    });
    expect(variablesOf(resources, "raw")).to.deep.equal({
      ARCHIVE_BUCKET: BUCKET,
      ARCHIVE_PREFIX: "raw/events/",
      ARCHIVE_COMPRESSION: "none",
      ON_FAILURE_QUEUE_URL: dlqUrl("raw"),
    });
    expect(variablesOf(resources, "external")).to.deep.equal({
      ARCHIVE_BUCKET: "acme-archive",
      ARCHIVE_PREFIX: "external/",
      ARCHIVE_COMPRESSION: "gzip",
      ON_FAILURE_QUEUE_URL: dlqUrl("external"),
    });
    expect(ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => s.name)).to.deep.equal(["api-tokens-secret"]);
    expect(builtInHandlerEntry("archiver")).to.match(/handlers\/archiver\.ts$/);
  });

  it("grants exactly s3:PutObject on arn:aws:s3:::BUCKET/PREFIX*, nothing else on S3", () => {
    for (const [consumer, resource] of [
      ["s3-archive", `arn:aws:s3:::${BUCKET}/s3-archive/*`],
      ["raw", `arn:aws:s3:::${BUCKET}/raw/events/*`],
      ["external", "arn:aws:s3:::acme-archive/external/*"],
    ] as const) {
      const statements = statementsOf(resources, consumer);
      expect(statements.filter((s) => s.Action.some((a) => a.startsWith("s3:")))).to.deep.equal([
        { Sid: "WriteArchive", Effect: "Allow", Action: ["s3:PutObject"], Resource: [resource] },
      ]);
      expect(statements.map((s) => s.Sid)).to.deep.equal([
        "WriteOwnLogs",
        "XRayTraces",
        "ReadStream",
        "SendToOnFailureQueue",
        "WriteArchive",
      ]);
    }
  });

  it("passes the policy pack", async () => {
    const violations = await evaluatePolicies(resources, policies);
    expect(violations).to.deep.equal([]);
  });

  it("creates no bucket when every archiver names its own", async () => {
    const only = await runStack({ consumers: { external: { handler: "archiver", bucketName: "acme-archive" } } });
    expect(ofType(only.resources, "aws:s3/bucket:Bucket")).to.deep.equal([]);
    expect(only.outputs).not.to.have.property("archiveBucket");
  });

  it("refuses a stack name that makes the auto-named bucket longer than S3's 63 characters", () => {
    const raw = { consumers: { a: { handler: "archiver" } } };
    const stack = "s".repeat(26); // kinesis-ingest-<26>-archive-bucket + Pulumi's 8-character suffix = 64
    expect(() => validateStackConfig(raw, "test", { stack })).to.throw(
      `the stack name \`${stack}\` names the archive bucket \`kinesis-ingest-${stack}-archive-bucket\` + Pulumi's 8-character suffix, which is 64 characters`,
    );
    expect(() => validateStackConfig(raw, "test", { stack: "s".repeat(25) })).not.to.throw();
    expect(problemsOf({ consumers: { a: { handler: "archiver", bucketName: "acme-archive" } } })).to.deep.equal([]);
  });
});
