/**
 * IAM policy statements written per resource ARN. Every grant in the program goes through these helpers,
 * so the only `Resource: "*"` are X-Ray's and the stream scaler's `cloudwatch:GetMetricData`
 * (components/stream-scaler.ts), which AWS offers no narrower form of.
 */
import * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly pulumi.Input<string>[];
  /** Narrows a grant whose resource ARN cannot be exact (e.g. an AWS managed key's, known only by alias). @default none */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A statement with its resource ARNs resolved. */
interface ResolvedStatement {
  readonly Sid?: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: PolicyStatement["Condition"];
}

/** `Sid` values must be alphanumeric. */
function sid(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, "");
}

/** Builds a statement allowing `actions` on exactly `resources`. */
export function allow(name: string, actions: readonly string[], resources: readonly pulumi.Input<string>[]): PolicyStatement {
  if (actions.some((action) => action.includes("*")))
    throw new Error(`statement ${name}: wildcard actions are not allowed, got ${actions.join(", ")}`);
  if (resources.length === 0) throw new Error(`statement ${name}: at least one resource ARN is required`);
  return { Sid: sid(name), Effect: "Allow", Action: [...actions], Resource: [...resources] };
}

/** X-Ray accepts trace segments only with `Resource: "*"` (no resource-level permissions exist). */
export const XRAY_STATEMENT: PolicyStatement = {
  Sid: "XRayTraces",
  Effect: "Allow",
  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  Resource: ["*"],
};

/** Lets the function write to its own log group's streams. */
export function logsStatement(logGroupArn: pulumi.Input<string>): PolicyStatement {
  return allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [pulumi.interpolate`${logGroupArn}:*`]);
}

/** Reads one Secrets Manager secret. */
export function readSecretStatement(name: string, secretArn: pulumi.Input<string>): PolicyStatement {
  return allow(`ReadSecret${name}`, ["secretsmanager:GetSecretValue"], [secretArn]);
}

/** Serializes statements into a policy document (JSON text), resolving every ARN. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
  const resolved = statements.map((s) =>
    pulumi.all(s.Resource.map((r) => pulumi.output(r))).apply((resources): ResolvedStatement => ({ ...s, Resource: resources })),
  );
  return pulumi.all(resolved).apply((list) => JSON.stringify({ Version: "2012-10-17", Statement: list }));
}

/** The trust policy letting Lambda assume a function's role. */
export const LAMBDA_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
