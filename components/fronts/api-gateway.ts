/**
 * What the two API Gateway fronts (HTTP API and REST API) build alike: the access log group, the
 * permissions that let API Gateway invoke a function, and the token authorizer's function.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { NodeFunction } from "../node-function";
import type { FrontContext } from "./types";

/** The log group a stage writes its JSON access logs to: `/aws/apigateway/<api>/access`. */
export function accessLogGroup(ctx: FrontContext): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(`${ctx.name}-access-logs`, {
    name: `/aws/apigateway/${ctx.apiName}/access`,
    retentionInDays: ctx.logRetentionDays,
  }, { parent: ctx.parent });
}

/**
 * Lets API Gateway invoke `functionName`, only from `sourceArn` (a route's or an authorizer's execution
 * ARN); the permission is named `<front>-invoke-<purpose>`.
 */
export function allowApiGatewayInvoke(
  ctx: FrontContext, purpose: string, functionName: pulumi.Input<string>, sourceArn: pulumi.Input<string>,
): aws.lambda.Permission {
  return new aws.lambda.Permission(`${ctx.name}-invoke-${purpose}`, {
    action: "lambda:InvokeFunction",
    function: functionName,
    principal: "apigateway.amazonaws.com",
    sourceArn,
  }, { parent: ctx.parent });
}

/** The token authorizer's function, which `IngestApi` creates for `auth: token`; `front` names the API kind in the error. */
export function tokenAuthorizerFunction(ctx: FrontContext, front: string): NodeFunction {
  if (!ctx.authorizer) throw new Error(`token auth on ${front} needs the authorizer function`);
  return ctx.authorizer;
}
