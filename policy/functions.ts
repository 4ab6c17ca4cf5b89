import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./types";
import { prop, show, UNKNOWN } from "./values";

/** Every Lambda function is traced with X-Ray (`NodeFunction`; AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html). */
export const functionActiveTracing: ResourceValidationPolicy = {
  name: "lambda-active-tracing",
  description: 'Lambda functions have `tracingConfig.mode` "Active".',
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.function) return;
    const mode = prop(args.props, "tracingConfig", "mode");
    if (mode !== UNKNOWN && mode !== "Active") {
      reportViolation(`\`tracingConfig.mode\` must be "Active" so every invocation is traced in X-Ray, got ${show(mode)}`);
    }
  },
};

/**
 * Every Lambda function has its log group in the stack, with a retention. Without one, Lambda creates
 * `/aws/lambda/<name>` on first log and keeps the logs forever. A stack policy: the function and its log
 * group are two resources.
 */
export const functionLogGroupRetention: StackValidationPolicy = {
  name: "lambda-log-group-retention",
  description: "Each Lambda function's log group (`/aws/lambda/<name>` or `loggingConfig.logGroup`) is in the stack with a retention.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const logGroups = args.resources.filter((r) => r.type === TYPES.logGroup);
    // A log group named from another output (preview) may be the one a function needs: absence is unprovable.
    const someNameUnknown = logGroups.some((g) => prop(g.props, "name") === UNKNOWN);
    for (const fn of args.resources.filter((r) => r.type === TYPES.function)) {
      const functionName = physicalName(fn);
      const expected = logGroupNameOf(fn, functionName);
      if (expected === UNKNOWN || functionName === UNKNOWN) continue;
      const group = logGroups.find((g) => prop(g.props, "name") === expected);
      if (group === undefined) {
        if (someNameUnknown) continue;
        reportViolation(
          `Lambda function ${functionName} has no log group: create an ${TYPES.logGroup} named "${expected}" ` +
            "with `retentionInDays` (otherwise Lambda creates one that keeps logs forever)",
          fn.urn,
        );
        continue;
      }
      const retention = prop(group.props, "retentionInDays");
      if (retention !== UNKNOWN && !(typeof retention === "number" && retention > 0)) {
        reportViolation(
          `log group "${expected}" of Lambda function ${functionName} keeps logs forever: set \`retentionInDays\`, got ${show(retention)}`,
          group.urn,
        );
      }
    }
  },
};

/** The function's physical name (its logical name when the props carry none). */
function physicalName(fn: PolicyResource): string | typeof UNKNOWN {
  const name = prop(fn.props, "name");
  if (name === UNKNOWN) return UNKNOWN;
  return typeof name === "string" && name !== "" ? name : fn.name;
}

/** The function's `loggingConfig.logGroup`, else Lambda's default `/aws/lambda/<function name>`. */
function logGroupNameOf(fn: PolicyResource, functionName: string | typeof UNKNOWN): string | typeof UNKNOWN {
  const custom = prop(fn.props, "loggingConfig", "logGroup");
  if (custom === UNKNOWN) return UNKNOWN;
  if (typeof custom === "string" && custom !== "") return custom;
  return functionName === UNKNOWN ? UNKNOWN : `/aws/lambda/${functionName}`;
}
