/**
 * Whether an IAM role's trust policy lets a service assume it: an `Allow` statement whose `Principal.Service`
 * names the service and whose `Action` covers `sts:AssumeRole` (each a string or a list). GetRole returns the
 * document URL-encoded (IAM API reference, Role `AssumeRolePolicyDocument`).
 */

interface TrustStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Principal?: unknown;
}

const ASSUME_ROLE = ["sts:AssumeRole", "sts:*", "*"];

/** Whether `document` (as GetRole returns it) trusts `service`; false for a document that does not parse. */
export function trustsService(document: string | undefined, service: string): boolean {
  let policy: unknown;
  try {
    policy = JSON.parse(decodeURIComponent(document ?? ""));
  } catch {
    return false;
  }
  const statements = listOf((policy as { Statement?: unknown } | null)?.Statement) as TrustStatement[];
  return statements.some((statement) => {
    if (statement?.Effect !== "Allow") return false;
    if (!listOf(statement.Action).some((action) => ASSUME_ROLE.includes(String(action)))) return false;
    const principal = statement.Principal as { Service?: unknown } | undefined;
    return listOf(principal?.Service).includes(service);
  });
}

/** The role name of a role ARN (`arn:aws:iam::<account>:role/<path/>name`): what GetRole takes. */
export function roleNameOf(roleArn: string): string {
  return roleArn.split("/").at(-1) ?? roleArn;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
