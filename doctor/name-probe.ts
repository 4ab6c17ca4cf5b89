/**
 * What every "name taken" check shares: ask whether one physical name exists, and report it. A create with a
 * taken name fails (or, for SQS and SNS, which return an existing queue or topic of the same name and
 * attributes, takes it over). Doctor cannot tell who owns what exists, so an existing name fails with both
 * ways out, unless `--deployed` says the stack is already up (they are then its own).
 */
import { errorResult, isNamed } from "./aws-error";
import type { CheckResult } from "./types";

export interface NameProbe {
  /** What the row calls it: `function`, `table`, `log group`, … */
  readonly kind: string;
  readonly name: string;
  /** The IAM action the lookup needs, for an `error` row. */
  readonly action: string;
  /** The Pulumi type to `pulumi import` it as. */
  readonly type: string;
  /** The service's "does not exist" answers, when the lookup throws for a missing name. @default [] */
  readonly notFound?: readonly string[];
  /** The existing resource's import id (its name, URL or ARN), or undefined when the name is free. */
  readonly lookup: () => Promise<string | undefined>;
  /** What an existing one means for `pulumi up`. @default it cannot create it */
  readonly whenTaken?: string;
}

/** One row per probe, in order. */
export async function probeNames(probes: readonly NameProbe[], deployed: boolean): Promise<CheckResult[]> {
  const rows: CheckResult[] = [];
  for (const probe of probes) rows.push(await probeName(probe, deployed));
  return rows;
}

async function probeName(probe: NameProbe, deployed: boolean): Promise<CheckResult> {
  const check = `${probe.kind} name ${probe.name}`;
  let id: string | undefined;
  try {
    id = await probe.lookup();
  } catch (error) {
    if (isNamed(error, probe.notFound ?? [])) return { check, status: "pass", detail: "free", fix: "" };
    return errorResult(check, probe.action, error);
  }
  if (id === undefined) return { check, status: "pass", detail: "free", fix: "" };
  if (deployed) return { check, status: "pass", detail: "exists (the deployed stack's own, --deployed)", fix: "" };
  return {
    check,
    status: "fail",
    detail: `exists: if it is not this stack's, ${probe.whenTaken ?? "`pulumi up` cannot create it"}`,
    fix: `rename (another stack name, or consumer name in \`consumers\`) or import it: pulumi import ${probe.type} <resource name> ${id}`,
  };
}

/** `list` called once however many probes ask (a listing answers for every name). */
export function once<T>(list: () => Promise<T>): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () => (answer ??= list());
}
