/**
 * The REST front's access logs need the account's API Gateway CloudWatch role (API Gateway GetAccount
 * `cloudwatchRoleArn`): without it creating the stage fails with "CloudWatch Logs role ARN must be set in
 * account settings to enable logging" ("Set up CloudWatch logging for REST APIs", API Gateway guide). The
 * setting can outlive its role (a stack that owned the role deleted it; the account keeps the ARN), and a role
 * API Gateway may not assume is as good as none: the role must exist (IAM GetRole) and trust
 * `apigateway.amazonaws.com` (docs/aws-semantics.md#api-gateway-account-cloudwatch-role).
 */
import { GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { GetRoleCommand, type Role } from "@aws-sdk/client-iam";
import { errorResult, isNamed } from "./aws-error";
import { roleNameOf, trustsService } from "./iam-trust";
import type { Check, CheckResult, DoctorPlan } from "./types";

const CHECK = "api gateway cloudwatch role";
const API_GATEWAY = "apigateway.amazonaws.com";

/** Applies to `api.front` rest-api with access logs on and the role not created by the stack. */
export const checkApiGatewayRole: Check = async (plan, clients) => {
  if (plan.config.api.front !== "rest-api")
    return [skipped(`\`api.front\` is ${plan.config.api.front}: only a REST stage needs the account's role`)];
  if (!plan.config.api.accessLogs) return [skipped("`api.accessLogs` is false: the stage writes no access logs")];
  if (plan.config.api.createApiGatewayAccountRole)
    return [skipped("`api.createApiGatewayAccountRole` is true: the stack sets the role itself")];
  let roleArn: string | undefined;
  try {
    roleArn = (await clients.apiGateway.send(new GetAccountCommand({}))).cloudwatchRoleArn;
  } catch (error) {
    return [errorResult(CHECK, "apigateway:GET (GetAccount)", error)];
  }
  if (!roleArn)
    return [fail(plan, `no API Gateway CloudWatch role is set in ${plan.region}: creating the REST stage with access logs would fail`)];
  let role: Role | undefined;
  try {
    role = (await clients.iam.send(new GetRoleCommand({ RoleName: roleNameOf(roleArn) }))).Role;
  } catch (error) {
    if (isNamed(error, ["NoSuchEntityException", "NoSuchEntity"]))
      return [fail(plan, `the account's role ${roleArn} does not exist (deleted after it was set): REST stage logging fails`)];
    return [errorResult(CHECK, "iam:GetRole", error)];
  }
  if (!trustsService(role?.AssumeRolePolicyDocument, API_GATEWAY))
    return [fail(plan, `the account's role ${roleArn} does not trust ${API_GATEWAY}: API Gateway cannot assume it to write logs`)];
  return [{ check: CHECK, status: "pass", detail: `the account's role is ${roleArn}, trusted by ${API_GATEWAY}`, fix: "" }];
};

function fail(plan: DoctorPlan, detail: string): CheckResult {
  return {
    check: CHECK,
    status: "fail",
    detail,
    fix:
      "set `api.createApiGatewayAccountRole: true` (the stack creates and sets the role), or `api.accessLogs: false`, or set an existing role that trusts apigateway.amazonaws.com: " +
      `aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN> --region ${plan.region}`,
  };
}

function skipped(detail: string): CheckResult {
  return { check: CHECK, status: "skipped", detail, fix: "" };
}
