/**
 * The region's API Gateway CloudWatch role, for stacks that own it (`api.createApiGatewayAccountRole`): REST
 * stage access logs fail to deploy until the account has one ("CloudWatch Logs role ARN must be set in
 * account settings"). The setting is one per account and region: every REST API there logs through it.
 * The role is written per resource ARN instead of attaching AmazonAPIGatewayPushToCloudWatchLogs, whose
 * `Resource: "*"` the policy pack refuses (docs/aws-semantics.md#api-gateway-account-cloudwatch-role).
 * The role, its policy and the setting are retained when the stack deletes them (`pulumi destroy`, or the flag
 * turned off): the provider's delete of the Account resets the Region's setting, and deleting the role would
 * leave it naming nothing, either way stopping every REST API's logs there (docs/day-2.md#lifecycle-options).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyDocument } from "../iam";
import { sharedAccountSetting } from "../lifecycle";
import type { FrontContext } from "./types";

const API_GATEWAY_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Creates the role and sets it on the account; the stage depends on the returned setting. */
export function apiGatewayAccountRole(ctx: FrontContext): aws.apigateway.Account {
  const { name, parent } = ctx;
  const opts = sharedAccountSetting({ parent });
  const region = aws.getRegionOutput({}, { parent }).region;
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const logGroups = pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:*`;
  const role = new aws.iam.Role(
    `${name}-cloudwatch-role`,
    {
      assumeRolePolicy: API_GATEWAY_ASSUME_ROLE_POLICY,
      description: "API Gateway account CloudWatch role: lets API Gateway write access and execution logs in this region",
    },
    opts,
  );
  // The write actions of AmazonAPIGatewayPushToCloudWatchLogs (not its reads), on this account's log groups of
  // this region only: every API of the region uses the role, so it is not narrowed to this stack's log group.
  const policy = new aws.iam.RolePolicy(
    `${name}-cloudwatch-policy`,
    {
      role: role.id,
      policy: policyDocument([
        allow(
          "PushToCloudWatchLogs",
          ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          [logGroups],
        ),
      ]),
    },
    opts,
  );
  return new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { ...opts, dependsOn: [policy] });
}
