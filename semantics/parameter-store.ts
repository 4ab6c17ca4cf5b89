/**
 * Parameter Store's rules the stack, the consumer runtime and the local stand-in share
 * (docs/aws-semantics.md#parameter-store).
 */

/** Names one GetParameters call may ask for (its `Names`: 1–10 items). */
export const GET_PARAMETERS_MAX_NAMES = 10;

/**
 * A parameter name's most characters as given: PutParameter reports 2048, of which 1037 are kept by Systems
 * Manager for internal use, which leaves 1011 for a name the caller writes.
 */
export const PARAMETER_NAME_MAX_LENGTH = 1011;

/** GetParametersByPath's most results per page (`MaxResults`: 1–10). */
export const GET_PARAMETERS_BY_PATH_MAX_RESULTS = 10;

/** A standard-tier parameter's most characters of value (PutParameter `Value`, standard tier: 4 KB). */
export const STANDARD_PARAMETER_VALUE_MAX = 4096;

/** A parameter's types (PutParameter `Type`). */
export const PARAMETER_TYPES = ["String", "StringList", "SecureString"] as const;

export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** Levels a name may have (PutParameter: hierarchies are at most 15 levels deep). */
const PARAMETER_MAX_DEPTH = 15;

/**
 * Why a parameter name is refused, or undefined: the characters PutParameter allows (`a-zA-Z0-9_.-`, `/`
 * between levels), its length, its depth and the reserved prefixes `aws` and `ssm` (any case).
 */
export function parameterNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > PARAMETER_NAME_MAX_LENGTH) return `1 to ${PARAMETER_NAME_MAX_LENGTH} characters`;
  if (!/^\/?[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/.test(name)) return "letters, digits, `_`, `.`, `-` and `/` between levels";
  const levels = name.replace(/^\//, "").split("/");
  if (levels.length > PARAMETER_MAX_DEPTH) return `at most ${PARAMETER_MAX_DEPTH} levels deep`;
  if (/^(aws|ssm)/i.test(levels[0]!)) return "not starting with aws or ssm (any case), which Parameter Store reserves";
  return undefined;
}

/** A parameter's ARN from its name: `parameter/` then the name without its leading `/` (a path) or with it (a plain name). */
export function parameterArn(region: string, account: string, name: string, partition = "aws"): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
}
