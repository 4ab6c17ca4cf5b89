/**
 * A consumer's Parameter Store parameters: the ones the stack creates under `/kinesis-ingest/<stack>/<consumer>/`
 * and the existing ones it names, each passed to the function as `PARAM_<NAME>` (its name, never its value),
 * with a grant to read exactly those parameters, and to decrypt SecureStrings with the `aws/ssm` key through
 * Parameter Store only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parameterNames, secureParameterKeys } from "../config/parameter-settings";
import type { ConsumerParameter } from "../config/types";
import { isEncrypted } from "../config/validate";
import { parametersEnvironment } from "../handlers/lib/environment/parameters";
import { parameterArn } from "../semantics/parameter-store";
import { allow, type PolicyStatement } from "./iam";
import { ENCRYPTED_PLACEHOLDER } from "./stack-secrets";

export interface ConsumerParametersArgs {
  readonly stack: string;
  readonly consumer: string;
  readonly parameters: Readonly<Record<string, ConsumerParameter>>;
  /** The consumer's entry of the secret `parameterSecrets` (`{NAME: value}`), or one encrypted value read offline. */
  readonly secureValues: unknown;
  /** The stack's Region (`aws:region`): the ARNs of the existing parameters. */
  readonly region: string;
}

export class ConsumerParameters extends pulumi.ComponentResource {
  /** The parameters the stack creates, by key. */
  public readonly created: Readonly<Record<string, aws.ssm.Parameter>>;
  /** Each parameter's Parameter Store name, by key: what reaches the function as `PARAM_<NAME>`. */
  public readonly names: Readonly<Record<string, string>>;
  /** Reading exactly these parameters (none when the consumer has none). */
  public readonly statements: readonly PolicyStatement[];

  constructor(name: string, args: ConsumerParametersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:ConsumerParameters", name, {}, opts);
    const entries = Object.entries(args.parameters);
    const names = parameterNames(args.stack, args.consumer, args.parameters);
    const created: Record<string, aws.ssm.Parameter> = {};
    for (const [key, spec] of entries) {
      if ("name" in spec) continue;
      created[key] = new aws.ssm.Parameter(
        `${name}-${key}`,
        {
          name: names[key]!,
          type: spec.type,
          value: "value" in spec ? spec.value : secureValue(args.secureValues, key),
          tier: "Standard",
          description: `${key} of the ${args.consumer} consumer (kinesis-ingest stack ${args.stack})`,
        },
        { parent: this },
      );
    }
    this.created = created;
    this.names = names;
    const account =
      entries.some(([, spec]) => "name" in spec) || secureParameterKeys(args.parameters).length > 0 ? accountId(this) : undefined;
    const arns = entries.map(([key]) => created[key]?.arn ?? account!.apply((a) => parameterArn(args.region, a, names[key]!)));
    this.statements = [
      ...(arns.length === 0 ? [] : [allow("ReadParameters", ["ssm:GetParameter", "ssm:GetParameters"], arns)]),
      ...(secureParameterKeys(args.parameters).length === 0 ? [] : [decryptThroughSsm(args.region, account!)]),
    ];
    this.registerOutputs({ environment: parametersEnvironment(names) });
  }
}

/** The value of SecureString `key`: from the decrypted secret config, or a placeholder for one read offline. */
function secureValue(values: unknown, key: string): pulumi.Output<string> {
  const value = isEncrypted(values) ? values : (values as Record<string, unknown> | undefined)?.[key];
  // The validator refused a SecureString without a value (config/parameter-settings.ts checkParameterSecrets).
  return pulumi.secret(isEncrypted(value) ? ENCRYPTED_PLACEHOLDER : String(value));
}

function accountId(parent: pulumi.Resource): pulumi.Output<string> {
  return aws.getCallerIdentityOutput({}, { parent }).accountId;
}

/**
 * Parameter Store decrypts a SecureString with the `aws/ssm` key on the caller's behalf. IAM matches a key's ARN,
 * never its alias, and that key's id differs per account and Region: so `key/*` of the account and Region,
 * narrowed to requests Parameter Store makes (`kms:ViaService`) with the key whose alias is `aws/ssm`.
 */
function decryptThroughSsm(region: string, account: pulumi.Output<string>): PolicyStatement {
  return {
    ...allow("DecryptSecureParameters", ["kms:Decrypt"], [pulumi.interpolate`arn:aws:kms:${region}:${account}:key/*`]),
    Condition: {
      StringEquals: { "kms:ViaService": `ssm.${region}.amazonaws.com` },
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/aws/ssm"] },
    },
  };
}
