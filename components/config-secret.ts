/**
 * A Secrets Manager secret holding one function's runtime configuration (the API's token hashes, a
 * consumer's downstream credential). The secret always exists, so its ARN can be wired into functions and
 * policies; a version is written only when the stack has a value, so a missing value is a documented
 * `pulumi config set --secret` step, never a crash.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readSecretStatement, type PolicyStatement } from "./iam";

export interface ConfigSecretArgs {
  /** What the secret holds and who reads it. */
  readonly description: string;
  /** The secret's JSON text; no version is created when undefined. @default undefined */
  readonly value?: pulumi.Input<string>;
  /** Days a deleted secret can be restored. @default 7 */
  readonly recoveryWindowInDays?: number;
}

export class ConfigSecret extends pulumi.ComponentResource {
  public readonly secret: aws.secretsmanager.Secret;
  /** The version holding the value; undefined when the stack has no value yet. */
  public readonly version?: aws.secretsmanager.SecretVersion;
  public readonly arn: pulumi.Output<string>;
  /** Whether a value was configured. */
  public readonly hasValue: boolean;

  constructor(name: string, args: ConfigSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:secrets:ConfigSecret", name, {}, opts);
    this.secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        description: args.description,
        recoveryWindowInDays: args.recoveryWindowInDays ?? 7,
      },
      { parent: this },
    );
    this.hasValue = args.value !== undefined;
    if (args.value !== undefined) {
      this.version = new aws.secretsmanager.SecretVersion(
        `${name}-value`,
        {
          secretId: this.secret.id,
          secretString: pulumi.secret(args.value),
        },
        { parent: this },
      );
    }
    this.arn = this.secret.arn;
    this.registerOutputs({ arn: this.arn, hasValue: this.hasValue });
  }

  /** The one statement a function needs to read this secret: `GetSecretValue` on exactly its ARN. */
  readStatement(purpose: string): PolicyStatement {
    return readSecretStatement(purpose, this.arn);
  }
}
