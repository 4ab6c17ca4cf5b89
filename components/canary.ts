/**
 * `observability.canary`: a CloudWatch Synthetics canary running handlers/canary.ts every `scheduleMinutes`
 * against the front (`GET /health`, then one `POST /records` with the stack's auth), its artifact bucket, its
 * role, the secret holding what it authenticates with, and an alarm on its `SuccessPercent`
 * (docs/aws-semantics.md#cloudwatch-synthetics). The validator has refused the fronts and auth modes it cannot
 * call (config/canary-settings.ts).
 */
import { canaryEnvironment, type CanaryAuthMode } from "../handlers/lib/environment/canary";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { canaryName as canaryNameOf } from "../config/names";
import type { ApiFront, CanaryConfig } from "../config/types";
import { isEncrypted } from "../config/validate";
import {
  CANARY_ARTIFACT_RETENTION_DAYS,
  CANARY_HANDLER,
  CANARY_METRIC,
  CANARY_RUNTIME_VERSION,
  CANARY_SCRIPT_PATH,
  CANARY_TIMEOUT_SECONDS,
  canaryLogGroupPrefix,
  canaryScheduleExpression,
} from "../semantics/synthetics";
import { thresholdAlarm } from "./alarm";
import { bundledArchive } from "./bundle";
import { canaryToken } from "./canary-token";
import { ConfigSecret } from "./config-secret";
import { fixedName } from "./lifecycle";
import { allow, LAMBDA_ASSUME_ROLE_POLICY, policyDocument, XRAY_STATEMENT, type PolicyStatement } from "./iam";
import { ENCRYPTED_PLACEHOLDER } from "./stack-secrets";

export interface CanaryArgs extends CanaryConfig {
  readonly stack: string;
  readonly front: ApiFront;
  readonly auth: CanaryAuthMode;
  /** The handler entry, `handlers/canary.ts`. */
  readonly entry: string;
  /** The front's base URL. */
  readonly apiUrl: pulumi.Output<string>;
  /** The REST API's usage plan key, which `POST /records` needs there. */
  readonly apiKey?: pulumi.Output<string>;
  /** The raw `apiTokens` value: the canary's token is derived from it (components/canary-token.ts). */
  readonly apiTokens: unknown;
  readonly alarmActions: readonly pulumi.Input<string>[];
}

/** The arguments with the canary's name (config/names.ts). */
type NamedCanaryArgs = CanaryArgs & { readonly canaryName: string };

export class Canary extends pulumi.ComponentResource {
  public readonly canary: aws.synthetics.Canary;
  public readonly alarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, stackArgs: CanaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:observability:Canary", name, {}, opts);
    const args: NamedCanaryArgs = { ...stackArgs, canaryName: canaryNameOf(stackArgs.stack) };
    const parent = { parent: this };
    const bucket = artifactBucket(name, this);
    const secret = canarySecret(name, args, this);
    const { file } = bundledArchive(args.entry, CANARY_SCRIPT_PATH);

    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: LAMBDA_ASSUME_ROLE_POLICY, description: `Execution role of the canary ${args.canaryName}` },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.id, policy: policyDocument(canaryStatements(args, bucket, secret, this)) },
      parent,
    );

    this.canary = new aws.synthetics.Canary(
      `${name}-synthetics`,
      {
        name: args.canaryName,
        artifactS3Location: pulumi.interpolate`s3://${bucket.bucket}/`,
        executionRoleArn: role.arn,
        runtimeVersion: CANARY_RUNTIME_VERSION,
        handler: CANARY_HANDLER,
        zipFile: file,
        schedule: { expression: canaryScheduleExpression(args.scheduleMinutes) },
        runConfig: {
          timeoutInSeconds: CANARY_TIMEOUT_SECONDS,
          activeTracing: true,
          environmentVariables: canaryEnvironment({ apiUrl: args.apiUrl, stack: args.stack, auth: args.auth, secretId: secret?.arn }),
        },
        successRetentionPeriod: CANARY_ARTIFACT_RETENTION_DAYS,
        failureRetentionPeriod: CANARY_ARTIFACT_RETENTION_DAYS,
        startCanary: true,
        // Synthetics creates a function and layer for the canary; without this they outlive it.
        deleteLambda: true,
      },
      // A fixed name: a replacement must delete the old canary first.
      fixedName({ parent: this, dependsOn: [policy] }),
    );

    // One run per period at least: a run every 10 minutes must not leave the 5-minute periods between without data.
    const periodSeconds = Math.max(300, args.scheduleMinutes * 60);
    this.alarm = thresholdAlarm(
      `${name}-success`,
      {
        alarmDescription: `The canary ${args.canaryName} passed less than ${args.successPercentAlarm}% of its runs: GET /health or POST /records through the front failed (see its runs in CloudWatch Synthetics), or it stopped running.`,
        namespace: CANARY_METRIC.namespace,
        metricName: CANARY_METRIC.metricName,
        dimensions: { [CANARY_METRIC.dimension]: this.canary.name },
        statistic: "Average",
        threshold: args.successPercentAlarm,
        below: true,
        periodSeconds,
        treatMissingData: "breaching",
        actions: args.alarmActions,
      },
      this,
    );
    this.registerOutputs({ canaryName: this.canary.name });
  }
}

/** Where Synthetics writes each run's log and report: private, encrypted, expiring them, destroyed with the stack. */
function artifactBucket(name: string, parent: pulumi.Resource): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket(`${name}-artifacts`, { forceDestroy: true }, { parent });
  const id = bucket.id;
  new aws.s3.BucketPublicAccessBlock(
    `${name}-artifacts`,
    { bucket: id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    { parent },
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-artifacts`,
    { bucket: id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    { parent },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-artifacts`,
    {
      bucket: id,
      rules: [{ id: "expire-artifacts", status: "Enabled", filter: {}, expiration: { days: CANARY_ARTIFACT_RETENTION_DAYS } }],
    },
    { parent },
  );
  return bucket;
}

/**
 * What the canary authenticates with: its token (`token` auth) and the REST API's key. None on the other
 * fronts and modes (`none`; `iam` signs with the canary's role). An `apiTokens` still encrypted (the offline
 * plan) stands for a token the deploy derives.
 */
function canarySecret(name: string, args: NamedCanaryArgs, parent: pulumi.Resource): ConfigSecret | undefined {
  if (args.auth !== "token" && args.apiKey === undefined) return undefined;
  const tokens = args.apiTokens;
  let value: pulumi.Output<string> | undefined;
  if (args.auth === "token" && isEncrypted(tokens)) {
    value = pulumi.secret(ENCRYPTED_PLACEHOLDER);
  } else {
    const token = args.auth === "token" && Array.isArray(tokens) ? canaryToken(tokens.map(String), args.stack) : undefined;
    // Without a token (`apiTokens` unset) the secret has no value: the API refuses every call then anyway.
    if (token !== undefined || args.apiKey !== undefined)
      value = pulumi.secret(pulumi.output(args.apiKey).apply((apiKey) => JSON.stringify({ token, apiKey })));
  }
  return new ConfigSecret(name, { description: `What the canary ${args.canaryName} authenticates to the front with`, value }, { parent });
}

/**
 * The canary role's grants ("Required roles and permissions for canaries"): its artifacts, its function's log
 * group, `SuccessPercent` and the other Synthetics metrics (namespace-scoped), X-Ray, its secret, and with `iam`
 * `execute-api:Invoke` on exactly `POST /records` of the stack's API. Not `s3:ListAllMyBuckets`, which the
 * console lists buckets with, and which the policy pack refuses on `*`: the canary writes to a bucket it is told.
 */
function canaryStatements(
  args: NamedCanaryArgs,
  bucket: aws.s3.Bucket,
  secret: ConfigSecret | undefined,
  parent: pulumi.Resource,
): PolicyStatement[] {
  const region = aws.getRegionOutput({}, { parent }).region;
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const metrics: PolicyStatement = {
    Sid: "CanaryMetrics",
    Effect: "Allow",
    Action: ["cloudwatch:PutMetricData"],
    Resource: ["*"],
    Condition: { StringEquals: { "cloudwatch:namespace": CANARY_METRIC.namespace } },
  };
  return [
    allow("WriteArtifacts", ["s3:PutObject"], [pulumi.interpolate`${bucket.arn}/*`]),
    allow("LocateArtifactBucket", ["s3:GetBucketLocation"], [bucket.arn]),
    allow(
      "WriteCanaryLogs",
      ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      [pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:${canaryLogGroupPrefix(args.canaryName)}*`],
    ),
    metrics,
    XRAY_STATEMENT,
    ...(secret ? [secret.readStatement("Canary")] : []),
    ...(args.auth === "iam"
      ? [
          allow(
            "InvokePostRecords",
            ["execute-api:Invoke"],
            [pulumi.interpolate`${executeApiArn(args.apiUrl, region, account)}/*/POST/records`],
          ),
        ]
      : []),
  ];
}

/**
 * The API's `arn:aws:execute-api:<region>:<account>:<api-id>`, from its URL: an API Gateway endpoint is
 * `https://<api-id>.execute-api.<region>.amazonaws.com[/<stage>]`, so the front need not hand the ARN over.
 */
function executeApiArn(
  apiUrl: pulumi.Output<string>,
  region: pulumi.Output<string>,
  account: pulumi.Output<string>,
): pulumi.Output<string> {
  return pulumi.all([apiUrl, region, account]).apply(([url, r, a]) => {
    const apiId = /^([^.]+)\.execute-api\./.exec(new URL(url).hostname)?.[1];
    if (apiId === undefined) throw new Error(`the canary's iam grant needs an API Gateway URL, got ${url}`);
    return `arn:aws:execute-api:${r}:${a}:${apiId}`;
  });
}
