/**
 * What Lambda allows in a function's environment (docs/aws-semantics.md#lambda-limits-and-environment):
 * the runtime defines and reserves `_HANDLER`, `_X_AMZN_TRACE_ID`, `AWS_REGION`, `AWS_LAMBDA_FUNCTION_NAME`,
 * `AWS_ACCESS_KEY_ID`, `LAMBDA_TASK_ROOT` and more; every reserved name starts with one of these prefixes,
 * so a name with such a prefix is refused rather than kept in step with AWS's list.
 */

/** Prefixes of the names the Lambda runtime defines. */
export const RESERVED_ENVIRONMENT_PREFIXES = ["AWS_", "LAMBDA_", "_"] as const;

/** All of a function's variables, names and values, in bytes. */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;
