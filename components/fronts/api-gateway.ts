/**
 * What the API Gateway fronts (HTTP, WebSocket and REST APIs) build alike: the access log group, the
 * permissions that let API Gateway invoke a function, and a route's authorization.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { fixedName } from "../lifecycle";
import type { FrontContext } from "./types";

/** How an HTTP or WebSocket API route is authorized: its type, and the authorizer when it has one. */
export interface RouteAuthorization {
  readonly authorizationType: string;
  readonly authorizerId?: pulumi.Input<string>;
}

/** The log group a stage writes its JSON access logs to: `/aws/apigateway/<api>/access`. */
export function accessLogGroup(ctx: FrontContext): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    `${ctx.name}-access-logs`,
    {
      name: ctx.names.accessLogGroup,
      retentionInDays: ctx.logRetentionDays,
    },
    fixedName({ parent: ctx.parent }),
  );
}

/**
 * Lets API Gateway invoke `functionName`, only from `sourceArn` (a route's or an authorizer's execution
 * ARN); the permission is named `<front>-invoke-<purpose>`.
 */
export function allowApiGatewayInvoke(
  ctx: FrontContext,
  purpose: string,
  functionName: pulumi.Input<string>,
  sourceArn: pulumi.Input<string>,
): aws.lambda.Permission {
  return new aws.lambda.Permission(
    `${ctx.name}-invoke-${purpose}`,
    {
      action: "lambda:InvokeFunction",
      function: functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn,
    },
    { parent: ctx.parent },
  );
}
