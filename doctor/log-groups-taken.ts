/**
 * Log group names already in use (CloudWatch Logs DescribeLogGroups by prefix): each function's
 * `/aws/lambda/<function>`, which Lambda itself creates the first time a function of that name logs (a
 * function deleted earlier leaves it behind), and the API Gateway stage's access log group. CreateLogGroup with
 * a taken name fails (`ResourceAlreadyExistsException`).
 */
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { probeNames, type NameProbe } from "./name-probe";
import type { Check, DoctorClients } from "./types";

/** One row per log group the stack creates. */
export const checkLogGroupsTaken: Check = async (plan, clients) =>
  probeNames(
    plan.logGroupNames.map((name): NameProbe => ({
      kind: "log group",
      name,
      action: "logs:DescribeLogGroups",
      type: "aws:cloudwatch/logGroup:LogGroup",
      lookup: async () => ((await logGroupExists(clients, name)) ? name : undefined),
    })),
    plan.deployed,
  );

/** A prefix also matches longer names (`…-ingest` and `…-ingest2`): only the exact name counts. */
async function logGroupExists(clients: DoctorClients, name: string): Promise<boolean> {
  let nextToken: string | undefined;
  do {
    const page = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }));
    if ((page.logGroups ?? []).some((group) => group.logGroupName === name)) return true;
    nextToken = page.nextToken;
  } while (nextToken);
  return false;
}
