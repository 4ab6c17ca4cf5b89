/**
 * The dashboard name already in use (CloudWatch GetDashboard): PutDashboard does not fail on a taken name, it
 * replaces that dashboard's contents, so `pulumi up` would overwrite another stack's dashboard.
 */
import { GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { probeNames, type NameProbe } from "./name-probe";
import type { Check } from "./types";

/** One row for the stack's dashboard; none with `observability.dashboard: false`. */
export const checkDashboardTaken: Check = async (plan, clients) =>
  probeNames(
    (plan.dashboard === undefined ? [] : [plan.dashboard]).map((name): NameProbe => ({
      kind: "dashboard",
      name,
      action: "cloudwatch:GetDashboard",
      type: "aws:cloudwatch/dashboard:Dashboard",
      // The SDK names the service's `ResourceNotFound` answer DashboardNotFoundError.
      notFound: ["DashboardNotFoundError", "ResourceNotFound"],
      lookup: async () => (await clients.cloudwatch.send(new GetDashboardCommand({ DashboardName: name })), name),
      whenTaken: "`pulumi up` would replace its contents (PutDashboard overwrites a dashboard of the same name)",
    })),
    plan.deployed,
  );
