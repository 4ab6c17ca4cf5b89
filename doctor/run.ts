/** Runs every preflight check and renders the report. */
import { checkAlbNetwork } from "./alb-network";
import { checkApiGatewayRole } from "./api-gateway-role";
import { errorResult } from "./aws-error";
import { checkBusesTaken } from "./buses-taken";
import { checkCertificate } from "./certificate";
import { checkConcurrency } from "./concurrency";
import { checkDashboardTaken } from "./dashboards-taken";
import { checkFanOutConsumersTaken } from "./fan-out-consumers-taken";
import { checkLogGroupsTaken } from "./log-groups-taken";
import { checkNamesTaken } from "./names-taken";
import { checkShardQuota } from "./shard-quota";
import { checkTablesTaken } from "./tables-taken";
import { checkTopicsTaken } from "./topics-taken";
import type { Check, CheckResult, DoctorClients, DoctorPlan } from "./types";

/** The checks, in report order. */
const CHECKS: ReadonlyArray<readonly [string, Check]> = [
  ["lambda concurrency", checkConcurrency],
  ["api gateway cloudwatch role", checkApiGatewayRole],
  ["alb network", checkAlbNetwork],
  ["alb certificate", checkCertificate],
  ["kinesis shard quota", checkShardQuota],
  ["names", checkNamesTaken],
  ["table names", checkTablesTaken],
  ["topic names", checkTopicsTaken],
  ["event bus names", checkBusesTaken],
  ["log group names", checkLogGroupsTaken],
  ["fan-out consumer names", checkFanOutConsumersTaken],
  ["dashboard name", checkDashboardTaken],
];

/** Every check's rows, in order. A check that throws (it should not) becomes an `error` row, never a crash. */
export async function runDoctor(plan: DoctorPlan, clients: DoctorClients): Promise<CheckResult[]> {
  const rows = await Promise.all(
    CHECKS.map(([name, check]) => check(plan, clients).catch((error: unknown) => [errorResult(name, "the check", error)])),
  );
  return rows.flat();
}

/** Whether every row passed or did not apply. */
export function allPassed(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.status === "pass" || result.status === "skipped");
}

/** The report as a plain-text table, then one `fix:` line under each row that has one. */
export function renderTable(results: readonly CheckResult[]): string {
  const width = Math.max(5, ...results.map((r) => r.check.length));
  const lines = [`${"check".padEnd(width)}  status   detail`];
  for (const r of results) {
    lines.push(`${r.check.padEnd(width)}  ${r.status.padEnd(7)}  ${r.detail}`);
    if (r.fix !== "") lines.push(`${"".padEnd(width)}  ${"".padEnd(7)}  fix: ${r.fix}`);
  }
  const counts = (["pass", "fail", "error", "skipped"] as const).map((s) => `${results.filter((r) => r.status === s).length} ${s}`);
  lines.push("", counts.join(", "));
  return lines.join("\n") + "\n";
}
