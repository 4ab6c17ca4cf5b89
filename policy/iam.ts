import type { ResourceValidationPolicy } from "@pulumi/policy";
import { documentProblems, RESOURCE_STAR_ACTIONS } from "./iam-document";
import { TYPES } from "./types";
import { known, prop, UNKNOWN, type Props } from "./values";

/**
 * IAM is written per resource ARN (`components/iam.ts`; AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege): no wildcard actions, and `Resource: "*"` only for the
 * actions in `RESOURCE_STAR_ACTIONS`. Checks standalone policies, role policies and roles' inline policies.
 */
export const iamLeastPrivilege: ResourceValidationPolicy = {
  name: "iam-least-privilege",
  description:
    `IAM policy statements name their actions (no "*" or "service:*") and their resources ` +
    `(Resource "*" only for ${Object.keys(RESOURCE_STAR_ACTIONS).join(", ")}).`,
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type === TYPES.policy || args.type === TYPES.rolePolicy) {
      documentProblemsOf(prop(args.props, "policy")).forEach((message) => reportViolation(message));
    } else if (args.type === TYPES.role) {
      inlinePolicyProblems(args.props).forEach((message) => reportViolation(message));
    }
  },
};

function inlinePolicyProblems(props: Props): string[] {
  const inline = prop(props, "inlinePolicies");
  if (inline === UNKNOWN || !Array.isArray(inline)) return [];
  return inline.flatMap((entry: unknown, index) => {
    const name = known(() => (entry as Props | undefined)?.name);
    const label = typeof name === "string" && name !== "" ? `inline policy "${name}"` : `inline policy ${index + 1}`;
    const document = known(() => (entry as Props | undefined)?.policy);
    return documentProblemsOf(document).map((problem) => `${label}: ${problem}`);
  });
}

/** Unknown documents (computed from ARNs during preview) are checked by `pulumi up` once known. */
function documentProblemsOf(document: unknown): string[] {
  if (document === UNKNOWN || document === undefined || document === "") return [];
  const problems = known(() => documentProblems(document));
  return problems === UNKNOWN ? [] : problems;
}
