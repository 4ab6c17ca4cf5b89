/** How the checks read an SDK error: "not there" is an answer, anything else makes an `error` row. */
import type { CheckResult } from "./types";

/** The error's name (`AccessDeniedException`, `ResourceNotFoundException`, …), or `Error`. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

/** Whether `error` is one of `names` (the service's "does not exist" answers). */
export function isNamed(error: unknown, names: readonly string[]): boolean {
  return names.includes(errorName(error));
}

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|NotAuthorized|Forbidden/i;

/**
 * The `error` row for a call that failed: which action, what AWS said, and (for a refusal) the permission
 * to grant. `action` is the IAM action, e.g. `lambda:GetAccountSettings`.
 */
export function errorResult(check: string, action: string, error: unknown): CheckResult {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const denied = DENIED.test(name) || DENIED.test(message);
  return {
    check,
    status: "error",
    detail: `${action} failed: ${name}: ${message}`,
    fix: denied ? `allow ${action} for the caller (doctor only reads)` : "check credentials, region and network, then run doctor again",
  };
}
