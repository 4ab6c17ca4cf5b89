/**
 * API Gateway REST API front: `/records` (POST, Lambda proxy to the ingest function) and `/health` (GET,
 * answered by a MOCK integration without a Lambda call), a stage with X-Ray and JSON access logs,
 * per-method throttling, and a usage plan with an API key, throttling and an optional daily quota.
 * Auth: a TOKEN authorizer (token) or AWS_IAM (iam). JWT is not native on REST APIs (only Cognito user
 * pool authorizers), so the config validator rejects `jwt` here.
 *
 * Note: access logs need the account-level API Gateway CloudWatch role (`aws.apigateway.Account`), which
 * is one setting per account and region and so is not owned by this stack.
 */
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogGroup, allowApiGatewayInvoke } from "./api-gateway";
import type { FrontContext, FrontResult } from "./types";

const STAGE = "v1";

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  apiKeyId: "$context.identity.apiKeyId",
  xrayTraceId: "$context.xrayTraceId",
  authorizerError: "$context.authorizer.error",
});

export function createRestApi(ctx: FrontContext): FrontResult {
  const { name, parent, ingest } = ctx;
  const opts = { parent };
  const api = new aws.apigateway.RestApi(`${name}-rest`, {
    name: ctx.names.api,
    description: "Ingestion front: POST /records writes to the Kinesis stream",
    endpointConfiguration: { types: "REGIONAL" },
    apiKeySource: "HEADER",
  }, opts);
  const records = new aws.apigateway.Resource(`${name}-records`, { restApi: api.id, parentId: api.rootResourceId, pathPart: "records" }, opts);
  const health = new aws.apigateway.Resource(`${name}-health`, { restApi: api.id, parentId: api.rootResourceId, pathPart: "health" }, opts);

  const postRecords = new aws.apigateway.Method(`${name}-post-records`, {
    restApi: api.id,
    resourceId: records.id,
    httpMethod: "POST",
    ...methodAuthorization(ctx, api),
    apiKeyRequired: true,
  }, opts);
  const postIntegration = new aws.apigateway.Integration(`${name}-post-records-ingest`, {
    restApi: api.id,
    resourceId: records.id,
    httpMethod: postRecords.httpMethod,
    type: "AWS_PROXY",
    integrationHttpMethod: "POST",
    uri: ingest.invokeArn,
  }, opts);

  const getHealth = new aws.apigateway.Method(`${name}-get-health`, {
    restApi: api.id, resourceId: health.id, httpMethod: "GET", authorization: "NONE",
  }, opts);
  const healthIntegration = new aws.apigateway.Integration(`${name}-get-health-mock`, {
    restApi: api.id, resourceId: health.id, httpMethod: getHealth.httpMethod, type: "MOCK",
    requestTemplates: { "application/json": '{"statusCode": 200}' },
  }, opts);
  const healthResponse = new aws.apigateway.MethodResponse(`${name}-get-health-200`, {
    restApi: api.id, resourceId: health.id, httpMethod: getHealth.httpMethod, statusCode: "200",
  }, opts);
  const healthIntegrationResponse = new aws.apigateway.IntegrationResponse(`${name}-get-health-200`, {
    restApi: api.id, resourceId: health.id, httpMethod: getHealth.httpMethod, statusCode: healthResponse.statusCode,
    responseTemplates: { "application/json": '{"status":"ok"}' },
  }, { parent, dependsOn: [healthIntegration] });

  const deployment = new aws.apigateway.Deployment(`${name}-deployment`, {
    restApi: api.id,
    description: "Routes POST /records and GET /health",
    // A new deployment whenever the routes' shape changes.
    triggers: { redeployment: routesFingerprint(ctx) },
  }, { parent, dependsOn: [postRecords, postIntegration, getHealth, healthIntegration, healthIntegrationResponse] });

  const accessLogs = accessLogGroup(ctx);
  const stage = new aws.apigateway.Stage(`${name}-stage`, {
    restApi: api.id,
    deployment: deployment.id,
    stageName: STAGE,
    xrayTracingEnabled: true,
    accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
  }, opts);
  new aws.apigateway.MethodSettings(`${name}-throttling`, {
    restApi: api.id,
    stageName: stage.stageName,
    methodPath: "*/*",
    settings: { throttlingRateLimit: ctx.rateLimit, throttlingBurstLimit: ctx.burstLimit, metricsEnabled: true },
  }, opts);

  const plan = new aws.apigateway.UsagePlan(`${name}-usage-plan`, {
    name: ctx.names.producers,
    description: "Producers of the ingestion API",
    apiStages: [{ apiId: api.id, stage: stage.stageName }],
    throttleSettings: { rateLimit: ctx.rateLimit, burstLimit: ctx.burstLimit },
    quotaSettings: ctx.dailyQuota > 0 ? { limit: ctx.dailyQuota, period: "DAY" } : undefined,
  }, opts);
  const key = new aws.apigateway.ApiKey(`${name}-api-key`, { name: ctx.names.producers, enabled: true }, opts);
  new aws.apigateway.UsagePlanKey(`${name}-usage-plan-key`, { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id }, opts);

  allowApiGatewayInvoke(ctx, "records", ingest.functionName, pulumi.interpolate`${api.executionArn}/*/POST/records`);
  return { url: stage.invokeUrl, apiKey: pulumi.secret(key.value) };
}

interface MethodAuthorization {
  readonly authorization: string;
  readonly authorizerId?: pulumi.Input<string>;
}

function methodAuthorization(ctx: FrontContext, api: aws.apigateway.RestApi): MethodAuthorization {
  const { name, parent } = ctx;
  switch (ctx.auth) {
    case "none":
      return { authorization: "NONE" };
    case "iam":
      return { authorization: "AWS_IAM" };
    case "jwt":
      throw new Error("`api.auth` jwt is not available on a REST API (no native JWT authorizer); use `api.front` http-api");
    case "token": {
      if (!ctx.authorizer) throw new Error("token auth on a REST API needs the authorizer function");
      const authorizer = new aws.apigateway.Authorizer(`${name}-token`, {
        restApi: api.id,
        name: ctx.names.tokenAuthorizer,
        type: "TOKEN",
        authorizerUri: ctx.authorizer.invokeArn,
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: ctx.authorizerCacheSeconds,
      }, { parent });
      allowApiGatewayInvoke(ctx, "authorizer", ctx.authorizer.functionName, pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`);
      return { authorization: "CUSTOM", authorizerId: authorizer.id };
    }
  }
}

function routesFingerprint(ctx: FrontContext): string {
  const shape = { routes: ["POST /records", "GET /health"], auth: ctx.auth, version: 1 };
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex");
}
