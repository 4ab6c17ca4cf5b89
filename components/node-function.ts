/**
 * A Lambda function built from a TypeScript handler: bundled with esbuild at program time into a
 * deterministic archive, arm64 on Node.js 24, JSON logs into a log group created here with a retention,
 * X-Ray active tracing, and a role that holds only the statements the caller passes (plus its own logs
 * and X-Ray).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functionLogGroupName } from "../config/names";
import { bundledArchive } from "./bundle";
import { FUNCTION_RUNTIME } from "./constants";
import { allow, LAMBDA_ASSUME_ROLE_POLICY, logsStatement, policyDocument, XRAY_STATEMENT, type PolicyStatement } from "./iam";
import { fixedName } from "./lifecycle";

export interface NodeFunctionArgs {
  /** Handler entry file (absolute, or relative to the project root), e.g. `handlers/ingest.ts`. */
  readonly entry: string;
  /** The function's physical name (also names its log group `/aws/lambda/<functionName>`). */
  readonly functionName: string;
  /** One-line description shown in the console. @default the entry file */
  readonly description?: string;
  /** Environment variables. @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Memory in MB. */
  readonly memoryMb: number;
  /** Timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Reserved concurrency; 0 stops every invocation (kill switch). @default unreserved */
  readonly reservedConcurrency?: number;
  /** Log retention in days. */
  readonly logRetentionDays: number;
  /** Statements granting exactly what the handler needs, per resource ARN. @default [] */
  readonly statements?: readonly PolicyStatement[];
  /** Layer version ARNs, in the order Lambda extracts them. @default none */
  readonly layers?: readonly string[];
  /** The customer managed key encrypting the environment; the role gets `kms:Decrypt` on it. @default Lambda's own key */
  readonly kmsKeyArn?: string;
}

export class NodeFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly functionName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  public readonly invokeArn: pulumi.Output<string>;
  /** SHA-256 of the deployed archive: equal sources, equal hash. */
  public readonly bundleSha256: string;

  constructor(name: string, args: NodeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:compute:NodeFunction", name, {}, opts);
    const d = FUNCTION_RUNTIME;
    const { bundle, file } = bundledArchive(args.entry);
    this.bundleSha256 = bundle.sha256;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: functionLogGroupName(args.functionName),
        retentionInDays: args.logRetentionDays,
      },
      fixedName({ parent: this }),
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: LAMBDA_ASSUME_ROLE_POLICY,
        description: `Execution role of ${args.functionName}`,
      },
      { parent: this },
    );

    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          logsStatement(this.logGroup.arn),
          XRAY_STATEMENT,
          ...(args.statements ?? []),
          ...kmsStatements(args.kmsKeyArn),
        ]),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: args.description ?? `Handler ${bundle.entry}`,
        role: this.role.arn,
        runtime: d.runtime,
        architectures: [d.architecture],
        handler: "index.handler",
        code: new pulumi.asset.FileArchive(file),
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        environment: { variables: { ...(args.environment ?? {}) } },
        kmsKeyArn: args.kmsKeyArn,
        layers: args.layers === undefined || args.layers.length === 0 ? undefined : [...args.layers],
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: d.applicationLogLevel,
          systemLogLevel: d.systemLogLevel,
        },
        tracingConfig: { mode: "Active" },
      },
      { parent: this, dependsOn: [policy, this.logGroup] },
    );

    this.functionName = this.function.name;
    this.arn = this.function.arn;
    this.invokeArn = this.function.invokeArn;
    this.registerOutputs({ functionName: this.functionName, arn: this.arn, invokeArn: this.invokeArn, bundleSha256: this.bundleSha256 });
  }
}

/**
 * With a customer managed key the function decrypts its own environment at start with its role's credentials,
 * so the role needs `kms:Decrypt` on exactly that key (Lambda: "Securing environment variables").
 */
function kmsStatements(kmsKeyArn: string | undefined): PolicyStatement[] {
  return kmsKeyArn === undefined ? [] : [allow("DecryptEnvironment", ["kms:Decrypt"], [kmsKeyArn])];
}
