/**
 * The REST front's access logs need the account's API Gateway CloudWatch role (API Gateway GetAccount
 * `cloudwatchRoleArn`): without it creating the stage fails with "CloudWatch Logs role ARN must be set in
 * account settings to enable logging" ("Set up CloudWatch logging for REST APIs", API Gateway guide).
 */
import { GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { errorResult } from "./aws-error";
import type { Check } from "./types";

const CHECK = "api gateway cloudwatch role";

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
  if (roleArn) return [{ check: CHECK, status: "pass", detail: `the account's role is ${roleArn}`, fix: "" }];
  return [
    {
      check: CHECK,
      status: "fail",
      detail: `no API Gateway CloudWatch role is set in ${plan.region}: creating the REST stage with access logs would fail`,
      fix:
        "set `api.createApiGatewayAccountRole: true` (the stack creates and sets the role), or `api.accessLogs: false`, or set an existing role: " +
        `aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN> --region ${plan.region}`,
    },
  ];
};

function skipped(detail: string) {
  return { check: CHECK, status: "skipped" as const, detail, fix: "" };
}
