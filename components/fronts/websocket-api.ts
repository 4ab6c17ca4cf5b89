/**
 * API Gateway WebSocket API front (`api.front` websocket): routes `$connect` (the stack's auth: a Lambda
 * REQUEST authorizer reading the `Authorization` header or the `token` query parameter, AWS_IAM, or none),
 * `$disconnect` and `putRecords` (selected by `$request.body.action`), each a Lambda proxy integration on the
 * ingest function, which answers on the connection through `@connections` (handlers/lib/websocket-ingest.ts
 * says why). The stage throttles every route as the HTTP API's does. WebSocket APIs have no JWT or Cognito
 * authorizer type: `jwt` and `cognito` run the same REQUEST authorizer function, checking JWTs as API
 * Gateway's JWT authorizer does (handlers/lib/jwt-verifier.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PUT_RECORDS_ROUTE, ROUTE_SELECTION_EXPRESSION, WEBSOCKET_STAGE } from "../../handlers/lib/websocket-message";
import { allow, policyDocument } from "../iam";
import { apiGatewayAccountRole } from "./api-gateway-account";
import { accessLogGroup, allowApiGatewayInvoke, type RouteAuthorization } from "./api-gateway";
import type { FrontContext, FrontResult } from "./types";

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  eventType: "$context.eventType",
  connectionId: "$context.connectionId",
  status: "$context.status",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
});

export function createWebSocketApi(ctx: FrontContext): FrontResult {
  const { name, parent, ingest } = ctx;
  const opts = { parent };
  const api = new aws.apigatewayv2.Api(
    `${name}-websocket`,
    {
      name: ctx.names.api,
      protocolType: "WEBSOCKET",
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
      description: "Ingestion front: putRecords messages write to the Kinesis stream",
    },
    opts,
  );
  const integration = new aws.apigatewayv2.Integration(
    `${name}-ingest`,
    { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: ingest.invokeArn, integrationMethod: "POST" },
    opts,
  );
  const target = pulumi.interpolate`integrations/${integration.id}`;
  const routes = [
    new aws.apigatewayv2.Route(`${name}-connect`, { apiId: api.id, routeKey: "$connect", target, ...connectAuthorization(ctx, api) }, opts),
    new aws.apigatewayv2.Route(`${name}-disconnect`, { apiId: api.id, routeKey: "$disconnect", target }, opts),
    new aws.apigatewayv2.Route(`${name}-put-records`, { apiId: api.id, routeKey: PUT_RECORDS_ROUTE, target }, opts),
  ];

  const accessLogs = ctx.accessLogs ? accessLogGroup(ctx) : undefined;
  const account = accessLogs && ctx.createApiGatewayAccountRole ? apiGatewayAccountRole(ctx) : undefined;
  const stage = new aws.apigatewayv2.Stage(
    `${name}-stage`,
    {
      apiId: api.id,
      name: WEBSOCKET_STAGE,
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: ctx.rateLimit,
        throttlingBurstLimit: ctx.burstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: accessLogs ? { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT } : undefined,
    },
    { parent, dependsOn: [...routes, ...(account ? [account] : [])] },
  );

  for (const route of ["$connect", "$disconnect", PUT_RECORDS_ROUTE]) {
    const purpose = route.replace("$", "");
    allowApiGatewayInvoke(ctx, purpose, ingest.functionName, pulumi.interpolate`${api.executionArn}/${WEBSOCKET_STAGE}/${route}`);
  }
  // The answer is posted to the connection: only this API's stage's connections, only POST.
  new aws.iam.RolePolicy(
    `${name}-manage-connections`,
    {
      role: ingest.role.id,
      policy: policyDocument([
        allow(
          "AnswerConnections",
          ["execute-api:ManageConnections"],
          [pulumi.interpolate`${api.executionArn}/${stage.name}/POST/@connections/*`],
        ),
      ]),
    },
    opts,
  );
  return { url: pulumi.interpolate`${api.apiEndpoint}/${stage.name}` };
}

/** `$connect` is the only route a WebSocket API authorizes; the connection keeps its identity after. */
function connectAuthorization(ctx: FrontContext, api: aws.apigatewayv2.Api): RouteAuthorization {
  switch (ctx.auth) {
    case "none":
      return { authorizationType: "NONE" };
    case "iam":
      return { authorizationType: "AWS_IAM" };
    case "token":
    case "jwt":
    case "cognito": {
      if (!ctx.authorizer) throw new Error(`${ctx.auth} auth on a WebSocket API needs the authorizer function`);
      // Browsers cannot set headers on a WebSocket handshake, so the token may come as `?token=`. With two
      // identity sources API Gateway would require both; the authorizer reads whichever is present, so no
      // identity source is declared and caching is off (a cache key needs identity sources).
      const authorizer = new aws.apigatewayv2.Authorizer(
        `${ctx.name}-token`,
        {
          apiId: api.id,
          name: ctx.names.tokenAuthorizer,
          authorizerType: "REQUEST",
          authorizerUri: ctx.authorizer.invokeArn,
        },
        { parent: ctx.parent },
      );
      allowApiGatewayInvoke(
        ctx,
        "authorizer",
        ctx.authorizer.functionName,
        pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`,
      );
      return { authorizationType: "CUSTOM", authorizerId: authorizer.id };
    }
  }
}
