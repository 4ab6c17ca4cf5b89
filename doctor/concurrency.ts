/**
 * Reserved concurrency against the account (Lambda GetAccountSettings): `pulumi up` fails to set a
 * function's reservation when it would leave fewer than 100 unreserved ("Configuring reserved concurrency",
 * Lambda developer guide), and new accounts start with a low quota.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { MIN_UNRESERVED_CONCURRENCY } from "../semantics/lambda-concurrency";
import { errorResult, isNamed } from "./aws-error";
import type { Check, CheckResult, DoctorClients, DoctorPlan } from "./types";

const CHECK = "lambda concurrency";

/**
 * Passes when the account's unreserved concurrency, plus what the stack's own functions already reserve
 * (an update replaces their reservations), minus the 100 Lambda keeps, covers the stack's reservations.
 */
export const checkConcurrency: Check = async (plan, clients) => {
  const wanted = Object.values(plan.config.consumers)
    .filter((consumer) => consumer.reservedConcurrency !== undefined)
    .map((consumer) => ({ key: `consumers.${consumer.name}.reservedConcurrency`, value: consumer.reservedConcurrency! }));
  const total = wanted.reduce((sum, w) => sum + w.value, 0);
  if (total === 0) return [{ check: CHECK, status: "skipped", detail: "no function of the stack reserves concurrency", fix: "" }];

  let limit: { total?: number; unreserved?: number };
  try {
    const { AccountLimit } = await clients.lambda.send(new GetAccountSettingsCommand({}));
    limit = { total: AccountLimit?.ConcurrentExecutions, unreserved: AccountLimit?.UnreservedConcurrentExecutions };
  } catch (error) {
    return [errorResult(CHECK, "lambda:GetAccountSettings", error)];
  }
  const own = await reservedByStack(plan, clients);
  if (typeof own !== "number") return [own];
  const unreserved = limit.unreserved ?? 0;
  const available = unreserved + own - MIN_UNRESERVED_CONCURRENCY;
  const figures =
    `the stack reserves ${total} (${wanted.map((w) => `\`${w.key}\` ${w.value}`).join(", ")}); ` +
    `the account's quota is ${limit.total ?? "unknown"}, ${unreserved} unreserved` +
    `${own > 0 ? ` (+${own} the stack's functions already reserve)` : ""}, of which ${MIN_UNRESERVED_CONCURRENCY} must stay unreserved`;
  if (total <= available) return [{ check: CHECK, status: "pass", detail: figures, fix: "" }];
  const needed = (limit.total ?? 0) + (total - available);
  return [
    {
      check: CHECK,
      status: "fail",
      detail: `${figures}: ${Math.max(0, available)} can be reserved`,
      fix:
        `lower or remove ${wanted.map((w) => `\`${w.key}\``).join(", ")}, or raise the quota: ` +
        `aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value ${needed} --region ${plan.region}`,
    },
  ];
};

/** What the stack's functions reserve today (0 for those that do not exist yet), or the error row. */
async function reservedByStack(plan: DoctorPlan, clients: DoctorClients): Promise<number | CheckResult> {
  let sum = 0;
  for (const name of plan.functionNames) {
    try {
      const { ReservedConcurrentExecutions } = await clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
      sum += ReservedConcurrentExecutions ?? 0;
    } catch (error) {
      if (!isNamed(error, ["ResourceNotFoundException"])) return errorResult(CHECK, "lambda:GetFunctionConcurrency", error);
    }
  }
  return sum;
}
