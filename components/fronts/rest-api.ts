/**
 * API Gateway REST API front: `/records` (POST, Lambda proxy to the ingest function) and `/health` (GET,
 * answered by a MOCK integration without a Lambda call), a stage with X-Ray and JSON access logs,
 * per-method throttling, and a usage plan with an API key, throttling and an optional daily quota.
 * Auth: a TOKEN authorizer (token) or AWS_IAM (iam). JWT is not native on REST APIs (only Cognito user
 * pool authorizers), so the config validator rejects `jwt` here.
 *
 * Access logs need the account-level API Gateway CloudWatch role (one setting per account and region): the
 * stack creates it only with `api.createApiGatewayAccountRole` (components/fronts/api-gateway-account.ts);
 * otherwise the account must have one, or the stack runs with `api.accessLogs` false.
 * The deployment is redeployed whenever anything it serves changes: its trigger hashes the resolved inputs of
 * every resource, method, integration, response and authorizer.
 */
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogGroup, allowApiGatewayInvoke } from "./api-gateway";
import { apiGatewayAccountRole } from "./api-gateway-account";
import { gatewayResponseTemplate, HEALTH_BODY, restGatewayResponses } from "../../handlers/lib/front-answers";
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
  const api = new aws.apigateway.RestApi(
    `${name}-rest`,
    {
      name: ctx.names.api,
      description: "Ingestion front: POST /records writes to the Kinesis stream",
      endpointConfiguration: { types: "REGIONAL" },
      apiKeySource: "HEADER",
    },
    opts,
  );
  const recordsArgs = { restApi: api.id, parentId: api.rootResourceId, pathPart: "records" };
  const healthArgs = { restApi: api.id, parentId: api.rootResourceId, pathPart: "health" };
  const records = new aws.apigateway.Resource(`${name}-records`, recordsArgs, opts);
  const health = new aws.apigateway.Resource(`${name}-health`, healthArgs, opts);

  const auth = methodAuthorization(ctx, api);
  const postRecordsArgs = { restApi: api.id, resourceId: records.id, httpMethod: "POST", ...auth.method, apiKeyRequired: true };
  const postRecords = new aws.apigateway.Method(`${name}-post-records`, postRecordsArgs, opts);
  const postIntegrationArgs = {
    restApi: api.id,
    resourceId: records.id,
    httpMethod: postRecords.httpMethod,
    type: "AWS_PROXY",
    integrationHttpMethod: "POST",
    uri: ingest.invokeArn,
  };
  const postIntegration = new aws.apigateway.Integration(`${name}-post-records-ingest`, postIntegrationArgs, opts);

  const getHealthArgs = { restApi: api.id, resourceId: health.id, httpMethod: "GET", authorization: "NONE" };
  const getHealth = new aws.apigateway.Method(`${name}-get-health`, getHealthArgs, opts);
  const healthIntegrationArgs = {
    restApi: api.id,
    resourceId: health.id,
    httpMethod: getHealth.httpMethod,
    type: "MOCK",
    requestTemplates: { "application/json": '{"statusCode": 200}' },
  };
  const healthIntegration = new aws.apigateway.Integration(`${name}-get-health-mock`, healthIntegrationArgs, opts);
  const healthResponseArgs = { restApi: api.id, resourceId: health.id, httpMethod: getHealth.httpMethod, statusCode: "200" };
  const healthResponse = new aws.apigateway.MethodResponse(`${name}-get-health-200`, healthResponseArgs, opts);
  const healthIntegrationResponseArgs = {
    restApi: api.id,
    resourceId: health.id,
    httpMethod: getHealth.httpMethod,
    statusCode: healthResponse.statusCode,
    responseTemplates: { "application/json": HEALTH_BODY },
  };
  const healthIntegrationResponse = new aws.apigateway.IntegrationResponse(`${name}-get-health-200`, healthIntegrationResponseArgs, {
    parent,
    dependsOn: [healthIntegration],
  });

  // API Gateway answers unknown routes, refused tokens and throttling itself; these put those answers in the
  // API contract's error shape (handlers/lib/front-answers.ts), as the function's own errors are.
  const gatewayResponseArgs = Object.entries(restGatewayResponses(ctx.auth)).map(([responseType, spec]) => ({
    restApiId: api.id,
    responseType,
    ...(spec.statusCode === undefined ? {} : { statusCode: String(spec.statusCode) }),
    responseTemplates: { "application/json": gatewayResponseTemplate(spec.code) },
  }));
  const gatewayResponses = gatewayResponseArgs.map(
    (args) => new aws.apigateway.Response(`${name}-response-${args.responseType.toLowerCase().replace(/_/g, "-")}`, args, opts),
  );

  const deployment = new aws.apigateway.Deployment(
    `${name}-deployment`,
    {
      restApi: api.id,
      description: "Routes POST /records and GET /health",
      // A new deployment whenever anything the deployment serves changes (API Gateway serves a stage's
      // deployment snapshot: edits to methods, integrations or authorizers take effect only when redeployed).
      triggers: {
        redeployment: deploymentFingerprint({
          resources: [recordsArgs, healthArgs],
          methods: [postRecordsArgs, getHealthArgs],
          integrations: [postIntegrationArgs, healthIntegrationArgs],
          methodResponses: [healthResponseArgs],
          integrationResponses: [healthIntegrationResponseArgs],
          authorizer: auth.authorizerArgs ?? null,
          gatewayResponses: gatewayResponseArgs,
        }),
      },
    },
    { parent, dependsOn: [postRecords, postIntegration, getHealth, healthIntegration, healthIntegrationResponse, ...gatewayResponses] },
  );

  const accessLogs = ctx.accessLogs ? accessLogGroup(ctx) : undefined;
  // The stage's access logs fail to deploy unless the account has its CloudWatch role: wait for it when the stack owns it.
  const account = accessLogs && ctx.createApiGatewayAccountRole ? apiGatewayAccountRole(ctx) : undefined;
  const stage = new aws.apigateway.Stage(
    `${name}-stage`,
    {
      restApi: api.id,
      deployment: deployment.id,
      stageName: STAGE,
      xrayTracingEnabled: true,
      accessLogSettings: accessLogs ? { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT } : undefined,
    },
    { parent, dependsOn: account ? [account] : [] },
  );
  new aws.apigateway.MethodSettings(
    `${name}-throttling`,
    {
      restApi: api.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: { throttlingRateLimit: ctx.rateLimit, throttlingBurstLimit: ctx.burstLimit, metricsEnabled: true },
    },
    opts,
  );

  const plan = new aws.apigateway.UsagePlan(
    `${name}-usage-plan`,
    {
      name: ctx.names.producers,
      description: "Producers of the ingestion API",
      apiStages: [{ apiId: api.id, stage: stage.stageName }],
      throttleSettings: { rateLimit: ctx.rateLimit, burstLimit: ctx.burstLimit },
      quotaSettings: ctx.dailyQuota > 0 ? { limit: ctx.dailyQuota, period: "DAY" } : undefined,
    },
    opts,
  );
  const key = new aws.apigateway.ApiKey(`${name}-api-key`, { name: ctx.names.producers, enabled: true }, opts);
  new aws.apigateway.UsagePlanKey(`${name}-usage-plan-key`, { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id }, opts);

  allowApiGatewayInvoke(ctx, "records", ingest.functionName, pulumi.interpolate`${api.executionArn}/*/POST/records`);
  return { url: stage.invokeUrl, apiKey: pulumi.secret(key.value) };
}

interface MethodAuthorization {
  /** What `POST /records` sets. */
  readonly method: { readonly authorization: string; readonly authorizerId?: pulumi.Input<string> };
  /** The authorizer's inputs, for the deployment's fingerprint. */
  readonly authorizerArgs?: aws.apigateway.AuthorizerArgs;
}

function methodAuthorization(ctx: FrontContext, api: aws.apigateway.RestApi): MethodAuthorization {
  const { name, parent } = ctx;
  switch (ctx.auth) {
    case "none":
      return { method: { authorization: "NONE" } };
    case "iam":
      return { method: { authorization: "AWS_IAM" } };
    case "jwt":
      throw new Error("`api.auth` jwt is not available on a REST API (no native JWT authorizer); use `api.front` http-api");
    case "cognito": {
      if (!ctx.cognito) throw new Error("cognito auth on a REST API needs the user pool");
      // Without authorization scopes on the method, the authorizer takes the pool's ID tokens (not access tokens).
      const authorizerArgs: aws.apigateway.AuthorizerArgs = {
        restApi: api.id,
        name: ctx.names.cognitoAuthorizer,
        type: "COGNITO_USER_POOLS",
        providerArns: [ctx.cognito.arn],
        identitySource: "method.request.header.Authorization",
      };
      const authorizer = new aws.apigateway.Authorizer(`${name}-cognito`, authorizerArgs, { parent });
      return { method: { authorization: "COGNITO_USER_POOLS", authorizerId: authorizer.id }, authorizerArgs };
    }
    case "token": {
      if (!ctx.authorizer) throw new Error("token auth on a REST API needs the authorizer function");
      const authorizerArgs: aws.apigateway.AuthorizerArgs = {
        restApi: api.id,
        name: ctx.names.tokenAuthorizer,
        type: "TOKEN",
        authorizerUri: ctx.authorizer.invokeArn,
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: ctx.authorizerCacheSeconds,
      };
      const authorizer = new aws.apigateway.Authorizer(`${name}-token`, authorizerArgs, { parent });
      allowApiGatewayInvoke(
        ctx,
        "authorizer",
        ctx.authorizer.functionName,
        pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`,
      );
      return { method: { authorization: "CUSTOM", authorizerId: authorizer.id }, authorizerArgs };
    }
  }
}

/**
 * SHA-256 of everything the deployment serves, as resolved inputs: any change to a method, an integration,
 * a response or the authorizer (its cache TTL included) gives a new value, and so a new deployment.
 */
function deploymentFingerprint(served: Readonly<Record<string, unknown>>): pulumi.Output<string> {
  return pulumi.output(served).apply((resolved) =>
    createHash("sha256")
      .update(JSON.stringify({ version: 2, served: resolved }))
      .digest("hex"),
  );
}
