/** What the offline plan prints around the resources: the header, the notes, outputs and policy results. */
import type { Violation } from "../policy/offline";
import type { PlannedResource } from "./display";
import { renderTree } from "./render";

/** Everything one plan prints. */
export interface PlanReport {
  readonly stack: string;
  readonly file: string;
  readonly region: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Key paths of encrypted values left out. */
  readonly secureKeys: readonly string[];
  readonly warnings: readonly string[];
  readonly policyCount: number;
  readonly violations: readonly Violation[];
}

/** Notes that belong next to the resources in either format (stderr with `--json`). */
export function notes(report: PlanReport): string[] {
  const lines: string[] = [];
  if (report.secureKeys.length > 0) {
    lines.push(`Encrypted in ${report.file}, which only the Pulumi CLI can decrypt: planned as unset: ${report.secureKeys.join(", ")}`);
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  lines.push(...policyLines(report));
  return lines;
}

function policyLines(report: PlanReport): string[] {
  const head = `Policy pack kinesis-ingest: ${report.policyCount} policies, ${report.violations.length} violation${report.violations.length === 1 ? "" : "s"}`;
  return [head, ...report.violations.map((v) => `  [${v.policy}] ${v.resource}: ${v.message}`)];
}

/** The text form: header, tree, stack outputs, notes. */
export function renderText(report: PlanReport): string {
  const own = report.resources.filter((r) => !r.component).length;
  return [
    `Offline plan of stack ${report.stack} (${report.file}, region ${report.region}): ` +
      `${own} resources in ${report.resources.length - own} components. Nothing is deployed: ids and ARNs are made up.`,
    "",
    ...renderTree(report.resources),
    "",
    "Stack outputs:",
    ...Object.entries(report.outputs).map(([key, value]) => `  ${key}: ${JSON.stringify(value) ?? "(none)"}`),
    "",
    ...notes(report),
  ].join("\n");
}
