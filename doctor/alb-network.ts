/**
 * Where the ALB front goes (EC2): without `api.subnetIds` it uses the default VPC, which an account may
 * not have; with them, an Application Load Balancer needs subnets in at least two Availability Zones
 * (ELB CreateLoadBalancer, `Subnets`), all in `api.vpcId`.
 */
import { DescribeSubnetsCommand, DescribeVpcsCommand, type Subnet } from "@aws-sdk/client-ec2";
import { errorResult, isNamed } from "./aws-error";
import type { Check, CheckResult } from "./types";

const CHECK = "alb network";
const MIN_ALB_ZONES = 2;

/** Applies to `api.front` alb. */
export const checkAlbNetwork: Check = async (plan, clients) => {
  if (plan.config.api.front !== "alb")
    return [{ check: CHECK, status: "skipped", detail: `\`api.front\` is ${plan.config.api.front}`, fix: "" }];
  const { subnetIds = [], vpcId } = plan.config.api;
  if (subnetIds.length === 0) {
    try {
      const { Vpcs } = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "isDefault", Values: ["true"] }] }));
      const found = Vpcs?.[0]?.VpcId;
      if (found)
        return [{ check: CHECK, status: "pass", detail: `no \`api.subnetIds\`: the ALB goes in the default VPC ${found}`, fix: "" }];
    } catch (error) {
      return [errorResult(CHECK, "ec2:DescribeVpcs", error)];
    }
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

function judge(subnets: readonly Subnet[], wanted: readonly string[], vpcId: string | undefined): CheckResult {
  const missing = wanted.filter((id) => !subnets.some((s) => s.SubnetId === id));
  if (missing.length > 0) return fail(`\`api.subnetIds\`: ${missing.join(", ")} not found`);
  const elsewhere = vpcId === undefined ? [] : subnets.filter((s) => s.VpcId !== vpcId);
  if (elsewhere.length > 0) {
    return fail(`\`api.subnetIds\`: ${elsewhere.map((s) => `${s.SubnetId} is in ${s.VpcId}`).join(", ")}, not in \`api.vpcId\` ${vpcId}`);
  }
  const zones = [...new Set(subnets.map((s) => s.AvailabilityZone))].sort();
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
