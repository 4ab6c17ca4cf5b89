/**
 * API Gateway HTTP API front: routes `POST /records` and `GET /health` to the ingest function, a `$default`
 * stage with throttling and JSON access logs, and the route authorizer for the stack's auth mode:
 * a Lambda REQUEST authorizer with simple responses (token), AWS_IAM (iam) or a JWT authorizer (jwt).
 * HTTP APIs have no X-Ray integration; the functions behind them trace actively.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogGroup, allowApiGatewayInvoke, type RouteAuthorization } from "./api-gateway";
import type { FrontContext, FrontResult } from "./types";

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
});

export function createHttpApi(ctx: FrontContext): FrontResult {
  const { name, parent, ingest } = ctx;
  const opts = { parent };
  const api = new aws.apigatewayv2.Api(
    `${name}-http`,
    {
      name: ctx.names.api,
      protocolType: "HTTP",
      description: "Ingestion front: POST /records writes to the Kinesis stream",
    },
    opts,
  );
  const accessLogs = ctx.accessLogs ? accessLogGroup(ctx) : undefined;
  const integration = new aws.apigatewayv2.Integration(
    `${name}-ingest`,
    {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationUri: ingest.arn,
      payloadFormatVersion: "2.0",
    },
    opts,
  );

  const routeAuth = routeAuthorization(ctx, api);
  const target = pulumi.interpolate`integrations/${integration.id}`;
  const records = new aws.apigatewayv2.Route(
    `${name}-post-records`,
    {
      apiId: api.id,
      routeKey: "POST /records",
      target,
      ...routeAuth,
    },
    opts,
  );
  const health = new aws.apigatewayv2.Route(
    `${name}-get-health`,
    {
      apiId: api.id,
      routeKey: "GET /health",
      target,
      authorizationType: "NONE",
    },
    opts,
  );

  new aws.apigatewayv2.Stage(
    `${name}-stage`,
    {
      apiId: api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: ctx.rateLimit,
        throttlingBurstLimit: ctx.burstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: accessLogs ? { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT } : undefined,
    },
    { parent, dependsOn: [records, health] },
  );

  for (const [route, path] of [
    ["records", "POST/records"],
    ["health", "GET/health"],
  ] as const) {
    allowApiGatewayInvoke(ctx, route, ingest.functionName, pulumi.interpolate`${api.executionArn}/*/${path}`);
  }
  return { url: api.apiEndpoint };
}

function routeAuthorization(ctx: FrontContext, api: aws.apigatewayv2.Api): RouteAuthorization {
  const { name, parent } = ctx;
  switch (ctx.auth) {
    case "none":
      return { authorizationType: "NONE" };
    case "iam":
      return { authorizationType: "AWS_IAM" };
    case "jwt": {
      const authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-jwt`,
        {
          apiId: api.id,
          name: ctx.names.jwtAuthorizer,
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer: ctx.jwtIssuer, audiences: [...ctx.jwtAudience] },
        },
        { parent },
      );
      return { authorizationType: "JWT", authorizerId: authorizer.id };
    }
    case "cognito": {
      if (!ctx.cognito) throw new Error("cognito auth on an HTTP API needs the user pool");
      // Cognito's ID tokens carry the app client in `aud`, its access tokens in `client_id`: the JWT authorizer
      // reads `client_id` when there is no `aud`, so both kinds are accepted for the pool's clients.
      const authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-cognito`,
        {
          apiId: api.id,
          name: ctx.names.jwtAuthorizer,
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer: ctx.cognito.issuer, audiences: ctx.cognito.clientIds },
        },
        { parent },
      );
      return { authorizationType: "JWT", authorizerId: authorizer.id };
    }
    case "token": {
      if (!ctx.authorizer) throw new Error("token auth on an HTTP API needs the authorizer function");
      const authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-token`,
        {
          apiId: api.id,
          name: ctx.names.tokenAuthorizer,
          authorizerType: "REQUEST",
          authorizerUri: ctx.authorizer.invokeArn,
          authorizerPayloadFormatVersion: "2.0",
          enableSimpleResponses: true,
          identitySources: ["$request.header.Authorization"],
          authorizerResultTtlInSeconds: ctx.authorizerCacheSeconds,
        },
        { parent },
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
