/**
 * Where the ALB front goes (EC2): without `api.subnetIds` it uses the default VPC, which an account may
 * not have, and its default subnets (one per Availability Zone, `default-for-az`, which may have been deleted);
 * with them, `api.subnetIds` of `api.vpcId`. Either way an Application Load Balancer needs subnets in at least
 * two Availability Zones (ELB CreateLoadBalancer, `Subnets`).
 */
import { DescribeSubnetsCommand, DescribeVpcsCommand, type Subnet } from "@aws-sdk/client-ec2";
import { errorResult, isNamed } from "./aws-error";
import type { Check, CheckResult, DoctorClients } from "./types";

const CHECK = "alb network";
const MIN_ALB_ZONES = 2;

/** Applies to `api.front` alb. */
export const checkAlbNetwork: Check = async (plan, clients) => {
  if (plan.config.api.front !== "alb")
    return [{ check: CHECK, status: "skipped", detail: `\`api.front\` is ${plan.config.api.front}`, fix: "" }];
  const { subnetIds = [], vpcId } = plan.config.api;
  if (subnetIds.length === 0) {
    let found: string | undefined;
    try {
      const { Vpcs } = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "isDefault", Values: ["true"] }] }));
      found = Vpcs?.[0]?.VpcId;
    } catch (error) {
      return [errorResult(CHECK, "ec2:DescribeVpcs", error)];
    }
    if (found) return [await judgeDefaultSubnets(clients, found, plan.region)];
    return [
      {
        check: CHECK,
        status: "fail",
        detail: `no \`api.subnetIds\` and no default VPC in ${plan.region}`,
        fix: `set \`api.subnetIds\` (subnets in ≥ ${MIN_ALB_ZONES} Availability Zones) and \`api.vpcId\`, or create a default VPC: aws ec2 create-default-vpc --region ${plan.region}`,
      },
    ];
  }
  let subnets: Subnet[];
  try {
    subnets = (await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }))).Subnets ?? [];
  } catch (error) {
    if (isNamed(error, ["InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed"])) {
      return [fail(`\`api.subnetIds\`: ${(error as Error).message}`)];
    }
    return [errorResult(CHECK, "ec2:DescribeSubnets", error)];
  }
  return [judge(subnets, subnetIds, vpcId)];
};

/** The program takes the default VPC's default subnets (`default-for-az`): they must span two zones. */
async function judgeDefaultSubnets(clients: DoctorClients, vpcId: string, region: string): Promise<CheckResult> {
  let subnets: Subnet[];
  try {
    const filters = [
      { Name: "vpc-id", Values: [vpcId] },
      { Name: "default-for-az", Values: ["true"] },
    ];
    subnets = (await clients.ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets ?? [];
  } catch (error) {
    return errorResult(CHECK, "ec2:DescribeSubnets", error);
  }
  const zones = zonesOf(subnets);
  const where = `no \`api.subnetIds\`: the ALB goes in the default VPC ${vpcId}`;
  if (zones.length >= MIN_ALB_ZONES)
    return { check: CHECK, status: "pass", detail: `${where}, its default subnets in ${zones.join(", ")}`, fix: "" };
  return {
    check: CHECK,
    status: "fail",
    detail: `${where}, whose default subnets span ${zones.length} Availability Zone${zones.length === 1 ? "" : "s"}${zones.length > 0 ? ` (${zones.join(", ")})` : ""}; an ALB needs subnets in at least ${MIN_ALB_ZONES}`,
    fix: `create the missing default subnets (aws ec2 create-default-subnet --availability-zone <zone> --region ${region}), or set \`api.subnetIds\` (subnets in ≥ ${MIN_ALB_ZONES} Availability Zones) and \`api.vpcId\``,
  };
}

function zonesOf(subnets: readonly Subnet[]): string[] {
  return [...new Set(subnets.map((s) => s.AvailabilityZone ?? "?"))].sort();
}

function judge(subnets: readonly Subnet[], wanted: readonly string[], vpcId: string | undefined): CheckResult {
  const missing = wanted.filter((id) => !subnets.some((s) => s.SubnetId === id));
  if (missing.length > 0) return fail(`\`api.subnetIds\`: ${missing.join(", ")} not found`);
  const elsewhere = vpcId === undefined ? [] : subnets.filter((s) => s.VpcId !== vpcId);
  if (elsewhere.length > 0) {
    return fail(`\`api.subnetIds\`: ${elsewhere.map((s) => `${s.SubnetId} is in ${s.VpcId}`).join(", ")}, not in \`api.vpcId\` ${vpcId}`);
  }
  const zones = zonesOf(subnets);
  if (zones.length < MIN_ALB_ZONES) {
    return fail(
      `\`api.subnetIds\` span ${zones.length} Availability Zone (${zones.join(", ")}); an ALB needs subnets in at least ${MIN_ALB_ZONES}`,
    );
  }
  return { check: CHECK, status: "pass", detail: `${subnets.length} subnets in ${zones.join(", ")}`, fix: "" };
}

function fail(detail: string): CheckResult {
  return {
    check: CHECK,
    status: "fail",
    detail,
    fix: `set \`api.subnetIds\` to existing subnets of \`api.vpcId\` in ≥ ${MIN_ALB_ZONES} Availability Zones`,
  };
}
