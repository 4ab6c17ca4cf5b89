/**
 * The ingestion front, for each front and each auth mode it supports: routes, integration, authorizer,
 * throttling, usage plan and the Lambda permissions, compared input by input. API Gateway developer guide
 * ("HTTP API Lambda authorizers", "REST API TOKEN authorizers", "Usage plans"); ELB guide ("Lambda functions
 * as targets").
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { unsupportedAuth } from "../../config/api-settings";
import { named, ofType, runCommittedStack, runStack, type ProgramRun, type RecordedResource } from "./harness";

const R = "eu-west-1";
const A = "123456789012";
const fnArn = (fn: string) => `arn:aws:lambda:${R}:${A}:function:kinesis-ingest-dev-${fn}`;
const invokeArn = (fn: string) => `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/${fnArn(fn)}/invocations`;
const NOT_FOUND = '{"error":{"code":"NOT_FOUND","message":"Routes: POST /records, GET /health."}}';
const types = (resources: readonly RecordedResource[], prefix: string) =>
  resources.filter((r) => r.type.startsWith(prefix)).map((r) => r.type);

function devWithApi(api: Record<string, unknown>): Record<string, unknown> {
  return { ...readStackFile("dev"), api };
}

describe("program: API fronts", () => {
  describe("HTTP API", () => {
    const HTTP = "https://api-http-id.execute-api.eu-west-1.amazonaws.com";
    const EXEC = `arn:aws:execute-api:${R}:${A}:api-http-id`;

    async function httpApi(auth: string, extra: Record<string, unknown> = {}): Promise<ProgramRun> {
      return runStack(devWithApi({ front: "http-api", auth, rateLimit: 50, burstLimit: 100, authorizerCacheSeconds: 60, ...extra }), {
        stack: "dev",
      });
    }

    function route(resources: readonly RecordedResource[], name: string): Record<string, unknown> {
      return named(resources, "aws:apigatewayv2/route:Route", name).inputs;
    }

    it("token: a REQUEST authorizer with simple responses on POST /records; GET /health open", async () => {
      const { resources, outputs } = await httpApi("token");
      expect(named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-token").inputs).to.deep.equal({
        apiId: "api-http-id",
        name: "kinesis-ingest-dev-token",
        authorizerType: "REQUEST",
        authorizerUri: invokeArn("authorizer"),
        authorizerPayloadFormatVersion: "2.0",
        enableSimpleResponses: true,
        identitySources: ["$request.header.Authorization"],
        authorizerResultTtlInSeconds: 60,
      });
      expect(route(resources, "api-post-records")).to.deep.equal({
        apiId: "api-http-id",
        routeKey: "POST /records",
        target: "integrations/api-ingest-id",
        authorizationType: "CUSTOM",
        authorizerId: "api-token-id",
      });
      expect(route(resources, "api-get-health")).to.deep.equal({
        apiId: "api-http-id",
        routeKey: "GET /health",
        target: "integrations/api-ingest-id",
        authorizationType: "NONE",
      });
      expect(named(resources, "aws:lambda/permission:Permission", "api-invoke-authorizer").inputs).to.deep.equal({
        action: "lambda:InvokeFunction",
        function: "kinesis-ingest-dev-authorizer",
        principal: "apigateway.amazonaws.com",
        sourceArn: `${EXEC}/authorizers/api-token-id`,
      });
      expect(outputs.apiUrl).to.equal(HTTP);
    });

    it("routes both paths to the ingest function through one proxy integration, each with its own permission", async () => {
      const { resources } = await httpApi("token");
      expect(ofType(resources, "aws:apigatewayv2/integration:Integration").map((r) => r.inputs)).to.deep.equal([
        {
          apiId: "api-http-id",
          integrationType: "AWS_PROXY",
          integrationUri: fnArn("ingest"),
          payloadFormatVersion: "2.0",
        },
      ]);
      expect(
        ofType(resources, "aws:apigatewayv2/route:Route")
          .map((r) => r.inputs.routeKey)
          .sort(),
      ).to.deep.equal(["GET /health", "POST /records"]);
      for (const [name, path] of [
        ["api-invoke-records", "POST/records"],
        ["api-invoke-health", "GET/health"],
      ] as const) {
        expect(named(resources, "aws:lambda/permission:Permission", name).inputs).to.deep.equal({
          action: "lambda:InvokeFunction",
          function: "kinesis-ingest-dev-ingest",
          principal: "apigateway.amazonaws.com",
          sourceArn: `${EXEC}/*/${path}`,
        });
      }
    });

    it("the $default stage throttles at the stack's rate and burst and writes JSON access logs", async () => {
      const { resources } = await httpApi("token");
      const stage = named(resources, "aws:apigatewayv2/stage:Stage", "api-stage").inputs;
      expect(stage.defaultRouteSettings).to.deep.equal({
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        detailedMetricsEnabled: true,
      });
      expect([stage.name, stage.autoDeploy]).to.deep.equal(["$default", true]);
      const accessLog = stage.accessLogSettings as { destinationArn: string; format: string };
      expect(accessLog.destinationArn).to.equal(`arn:aws:logs:${R}:${A}:log-group:/aws/apigateway/kinesis-ingest-dev/access`);
      expect(Object.keys(JSON.parse(accessLog.format) as object)).to.include.members([
        "requestId",
        "status",
        "routeKey",
        "authorizerError",
      ]);
      expect(named(resources, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs.retentionInDays).to.equal(7);
    });

    it("iam: AWS_IAM on POST /records, no authorizer and no authorizer function", async () => {
      const { resources } = await httpApi("iam");
      expect(route(resources, "api-post-records")).to.deep.include({ authorizationType: "AWS_IAM" });
      expect(route(resources, "api-post-records")).to.not.have.property("authorizerId");
      expect(ofType(resources, "aws:apigatewayv2/authorizer:Authorizer")).to.deep.equal([]);
      expect(ofType(resources, "aws:lambda/function:Function").map((r) => r.inputs.name)).to.not.include("kinesis-ingest-dev-authorizer");
    });

    it("jwt: a JWT authorizer with the configured issuer and audiences", async () => {
      const { resources } = await httpApi("jwt", { jwtIssuer: "https://auth.example.com/", jwtAudience: ["ingest-api", "ops"] });
      expect(named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt").inputs).to.deep.equal({
        apiId: "api-http-id",
        name: "kinesis-ingest-dev-jwt",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: "https://auth.example.com/", audiences: ["ingest-api", "ops"] },
      });
      expect(route(resources, "api-post-records")).to.deep.include({ authorizationType: "JWT", authorizerId: "api-jwt-id" });
    });

    it("none: POST /records open, no token secret created", async () => {
      const { resources, outputs } = await httpApi("none");
      expect(route(resources, "api-post-records")).to.deep.include({ authorizationType: "NONE" });
      expect(ofType(resources, "aws:apigatewayv2/authorizer:Authorizer")).to.deep.equal([]);
      expect(ofType(resources, "kinesis-ingest:secrets:ConfigSecret").map((r) => r.name)).to.deep.equal(["forwarder-config"]);
      expect(outputs.secretArns).to.not.have.property("apiTokens");
    });
  });

  describe("REST API (prod stack)", () => {
    const EXEC = `arn:aws:execute-api:${R}:${A}:api-rest-id`;
    let prod: ProgramRun;
    before(async () => (prod = await runCommittedStack("prod")));

    it("token: a TOKEN authorizer cached 300 s on POST /records, which also requires the API key", () => {
      const { resources } = prod;
      expect(named(resources, "aws:apigateway/authorizer:Authorizer", "api-token").inputs).to.deep.equal({
        restApi: "api-rest-id",
        name: "kinesis-ingest-prod-token",
        type: "TOKEN",
        authorizerUri: `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/arn:aws:lambda:${R}:${A}:function:kinesis-ingest-prod-authorizer/invocations`,
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: 300,
      });
      expect(named(resources, "aws:apigateway/method:Method", "api-post-records").inputs).to.deep.equal({
        restApi: "api-rest-id",
        resourceId: "api-records-id",
        httpMethod: "POST",
        authorization: "CUSTOM",
        authorizerId: "api-token-id",
        apiKeyRequired: true,
      });
      expect(named(resources, "aws:lambda/permission:Permission", "api-invoke-authorizer").inputs.sourceArn).to.equal(
        `${EXEC}/authorizers/api-token-id`,
      );
    });

    it("proxies POST /records to the ingest function and answers GET /health with a MOCK integration", () => {
      const { resources } = prod;
      expect(named(resources, "aws:apigateway/integration:Integration", "api-post-records-ingest").inputs).to.deep.equal({
        restApi: "api-rest-id",
        resourceId: "api-records-id",
        httpMethod: "POST",
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/arn:aws:lambda:${R}:${A}:function:kinesis-ingest-prod-ingest/invocations`,
      });
      expect(named(resources, "aws:apigateway/integration:Integration", "api-get-health-mock").inputs).to.deep.include({
        type: "MOCK",
        httpMethod: "GET",
      });
      expect(
        named(resources, "aws:apigateway/integrationResponse:IntegrationResponse", "api-get-health-200").inputs.responseTemplates,
      ).to.deep.equal({ "application/json": '{"status":"ok"}' });
      expect(named(resources, "aws:lambda/permission:Permission", "api-invoke-records").inputs).to.deep.equal({
        action: "lambda:InvokeFunction",
        function: "kinesis-ingest-prod-ingest",
        principal: "apigateway.amazonaws.com",
        sourceArn: `${EXEC}/*/POST/records`,
      });
    });

    it("throttles every method at 2000/s with a 4000 burst and meters producers with a 50M daily quota", () => {
      const { resources } = prod;
      expect(named(resources, "aws:apigateway/methodSettings:MethodSettings", "api-throttling").inputs).to.deep.equal({
        restApi: "api-rest-id",
        stageName: "v1",
        methodPath: "*/*",
        settings: { throttlingRateLimit: 2000, throttlingBurstLimit: 4000, metricsEnabled: true },
      });
      expect(named(resources, "aws:apigateway/usagePlan:UsagePlan", "api-usage-plan").inputs).to.deep.equal({
        name: "kinesis-ingest-prod-producers",
        description: "Producers of the ingestion API",
        apiStages: [{ apiId: "api-rest-id", stage: "v1" }],
        throttleSettings: { rateLimit: 2000, burstLimit: 4000 },
        quotaSettings: { limit: 50_000_000, period: "DAY" },
      });
      expect(named(resources, "aws:apigateway/usagePlanKey:UsagePlanKey", "api-usage-plan-key").inputs).to.deep.equal({
        keyId: "api-api-key-id",
        keyType: "API_KEY",
        usagePlanId: "api-usage-plan-id",
      });
    });

    it("traces the stage with X-Ray, logs access as JSON and exports the URL and the key", () => {
      const stage = named(prod.resources, "aws:apigateway/stage:Stage", "api-stage").inputs;
      expect([stage.stageName, stage.deployment, stage.xrayTracingEnabled]).to.deep.equal(["v1", "api-deployment-id", true]);
      expect(prod.outputs.apiUrl).to.equal("https://api-rest-id.execute-api.eu-west-1.amazonaws.com/v1");
      expect(prod.outputs.apiKey).to.equal("a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0");
    });

    it("puts the gateway's own answers in the contract's error shape (Gateway response types for API Gateway; $context.error.messageString)", () => {
      const responses = ofType(prod.resources, "aws:apigateway/response:Response").map((r) => r.inputs);
      const template = (code: string) => ({ "application/json": `{"error":{"code":"${code}","message":$context.error.messageString}}` });
      const expected = [
        ["UNAUTHORIZED", "401", "UNAUTHORIZED"],
        ["ACCESS_DENIED", "403", "FORBIDDEN"],
        ["MISSING_AUTHENTICATION_TOKEN", "404", "NOT_FOUND"],
        ["INVALID_SIGNATURE", "403", "FORBIDDEN"],
        ["EXPIRED_TOKEN", "403", "FORBIDDEN"],
        ["INVALID_API_KEY", "403", "FORBIDDEN"],
        ["THROTTLED", "429", "THROTTLED"],
        ["QUOTA_EXCEEDED", "429", "QUOTA_EXCEEDED"],
        ["REQUEST_TOO_LARGE", "413", "REQUEST_TOO_LARGE"],
        ["AUTHORIZER_FAILURE", "500", "INTERNAL_ERROR"],
        ["AUTHORIZER_CONFIGURATION_ERROR", "500", "INTERNAL_ERROR"],
      ].map(([responseType, statusCode, code]): Record<string, unknown> => ({
        restApiId: "api-rest-id",
        responseType,
        statusCode,
        responseTemplates: template(code!),
      }));
      // DEFAULT_4XX/5XX keep no status: one there would replace the status of every other 4XX/5XX answer.
      expected.push(
        { restApiId: "api-rest-id", responseType: "DEFAULT_4XX", responseTemplates: template("BAD_REQUEST") },
        { restApiId: "api-rest-id", responseType: "DEFAULT_5XX", responseTemplates: template("INTERNAL_ERROR") },
      );
      expect(responses).to.deep.equal(expected);
    });

    it("iam: AWS_IAM, no authorizer; a zero daily quota sets no quota", async () => {
      const raw = { ...readStackFile("prod"), api: { front: "rest-api", auth: "iam", rateLimit: 10, burstLimit: 20 } };
      const { resources } = await runStack(raw, { stack: "prod" });
      expect(named(resources, "aws:apigateway/method:Method", "api-post-records").inputs).to.deep.include({ authorization: "AWS_IAM" });
      expect(ofType(resources, "aws:apigateway/authorizer:Authorizer")).to.deep.equal([]);
      expect(named(resources, "aws:apigateway/usagePlan:UsagePlan", "api-usage-plan").inputs).to.not.have.property("quotaSettings");
      // With iam, MISSING_AUTHENTICATION_TOKEN also means "not signed": it keeps its 403.
      expect(named(resources, "aws:apigateway/response:Response", "api-response-missing-authentication-token").inputs).to.deep.include({
        statusCode: "403",
        responseTemplates: { "application/json": '{"error":{"code":"FORBIDDEN","message":$context.error.messageString}}' },
      });
    });

    it("none: POST /records needs only the API key", async () => {
      const raw = { ...readStackFile("prod"), api: { front: "rest-api", auth: "none" } };
      const { resources } = await runStack(raw, { stack: "prod" });
      expect(named(resources, "aws:apigateway/method:Method", "api-post-records").inputs).to.deep.include({
        authorization: "NONE",
        apiKeyRequired: true,
      });
      expect(ofType(resources, "aws:apigateway/authorizer:Authorizer")).to.deep.equal([]);
    });
  });

  describe("Application Load Balancer", () => {
    const TG = `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/api-alb/a1b2c3d4e5f6g7h8`;
    // The program's own listener (test/program/harness.ts gives listeners their ARN).
    const LISTENER = `arn:aws:elasticloadbalancing:${R}:${A}:listener/app/api-alb/a1b2c3d4e5f6g7h8/api-alb-http-id`;

    it("builds an awsx load balancer in the default VPC with a Lambda target group and a 404 default", async () => {
      const { resources, outputs } = await runStack(devWithApi({ front: "alb", auth: "none" }), { stack: "dev" });
      const alb = named(resources, "awsx:lb:ApplicationLoadBalancer", "api-alb");
      expect(alb.custom).to.equal(false);
      expect(alb.inputs).to.deep.include({
        // the default subnets of synth/mocks.ts
        subnetIds: ["subnet-03m0a9lgak3otvf3e", "subnet-01621qzjb4wy0022j", "subnet-04iauwcf6pwa9bjo6"],
        securityGroups: ["api-alb-sg-id"],
        dropInvalidHeaderFields: true,
        defaultTargetGroup: { targetType: "lambda", lambdaMultiValueHeadersEnabled: false },
        listeners: [],
      });
      expect(named(resources, "aws:lb/listener:Listener", "api-alb-http").inputs).to.deep.equal({
        loadBalancerArn: `arn:aws:elasticloadbalancing:${R}:${A}:loadbalancer/app/api-alb/a1b2c3d4e5f6g7h8`,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          { type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "404", messageBody: NOT_FOUND } },
        ],
      });
      expect(named(resources, "aws:ec2/securityGroup:SecurityGroup", "api-alb-sg").inputs).to.deep.include({
        vpcId: "vpc-0a1b2c3d4e5f60718",
        ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        egress: [],
      });
      expect(outputs.apiUrl).to.equal(`http://api-alb-a1b2c3d4e5.${R}.elb.amazonaws.com`);
    });

    it("lets the target group invoke the ingest function and routes POST /records to it; GET /health is answered by the listener", async () => {
      const { resources } = await runStack(devWithApi({ front: "alb", auth: "none" }), { stack: "dev" });
      expect(named(resources, "aws:lambda/permission:Permission", "api-invoke-alb").inputs).to.deep.equal({
        action: "lambda:InvokeFunction",
        function: "kinesis-ingest-dev-ingest",
        principal: "elasticloadbalancing.amazonaws.com",
        sourceArn: TG,
      });
      expect(named(resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "api-ingest-target").inputs).to.deep.equal({
        targetGroupArn: TG,
        targetId: fnArn("ingest"),
      });
      expect(named(resources, "aws:lb/listenerRule:ListenerRule", "api-post-records").inputs).to.deep.equal({
        listenerArn: LISTENER,
        priority: 10,
        conditions: [{ pathPattern: { values: ["/records"] } }, { httpRequestMethod: { values: ["POST"] } }],
        actions: [{ type: "forward", targetGroupArn: TG }],
      });
      expect(named(resources, "aws:lb/listenerRule:ListenerRule", "api-get-health").inputs).to.deep.equal({
        listenerArn: LISTENER,
        priority: 20,
        conditions: [{ pathPattern: { values: ["/health"] } }, { httpRequestMethod: { values: ["GET"] } }],
        actions: [
          { type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "200", messageBody: '{"status":"ok"}' } },
        ],
      });
      expect(types(resources, "aws:apigateway")).to.deep.equal([]);
    });

    it("writes access logs to a private, SSE-S3 bucket that only ELB log delivery may write to (service principal, and the Region's ELB account for Regions before August 2022)", async () => {
      const { resources } = await runStack(devWithApi({ front: "alb", auth: "none" }), { stack: "dev" });
      expect(named(resources, "awsx:lb:ApplicationLoadBalancer", "api-alb").inputs.accessLogs).to.deep.equal({
        bucket: "api-alb-logs-id",
        prefix: "alb",
        enabled: true,
      });
      const policy = JSON.parse(named(resources, "aws:s3/bucketPolicy:BucketPolicy", "api-alb-logs").inputs.policy as string) as {
        Statement: unknown[];
      };
      expect(policy.Statement).to.deep.equal([
        {
          Sid: "AlbAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::api-alb-logs-a1b2c3d/alb/*",
        },
        {
          Sid: "AlbAccessLogDeliveryByRegionAccount",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::127311923021:root" },
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::api-alb-logs-a1b2c3d/alb/*",
        },
      ]);
      expect(named(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "api-alb-logs").inputs).to.deep.include({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    });

    it("token: checked inside the ingest handler, which gets TOKEN_SECRET_ID; no authorizer function", async () => {
      const { resources } = await runStack(devWithApi({ front: "alb", auth: "token", allowPlaintext: true }), { stack: "dev" });
      expect(named(resources, "aws:lambda/function:Function", "api-ingest-function").inputs.environment).to.deep.equal({
        variables: {
          STREAM_NAME: "kinesis-ingest-dev",
          INGEST_DEADLINE_MS: "27000",
          MAX_RECORD_SIZE_KIB: "1024",
          TOKEN_SECRET_ID: `arn:aws:secretsmanager:${R}:${A}:secret:api-tokens-secret-a1b2c3d-a1b2c3`,
        },
      });
      expect(ofType(resources, "aws:lambda/function:Function").map((r) => r.inputs.name)).to.deep.equal([
        "kinesis-ingest-dev-ingest",
        "kinesis-ingest-dev-forwarder",
        "kinesis-ingest-dev-s3-archive",
      ]);
    });

    it("none: the ingest handler gets only STREAM_NAME", async () => {
      const { resources } = await runStack(devWithApi({ front: "alb", auth: "none" }), { stack: "dev" });
      expect(named(resources, "aws:lambda/function:Function", "api-ingest-function").inputs.environment).to.deep.equal({
        variables: {
          STREAM_NAME: "kinesis-ingest-dev",
          INGEST_DEADLINE_MS: "27000",
          MAX_RECORD_SIZE_KIB: "1024",
        },
      });
    });
  });

  describe("impossible combinations", () => {
    const cases: [string, string, string | undefined][] = [
      [
        "rest-api",
        "jwt",
        "`api.auth` jwt needs `api.front` http-api, websocket or appsync (only HTTP APIs have a native JWT authorizer; a WebSocket API checks JWTs in its $connect authorizer; AppSync has OPENID_CONNECT), got rest-api",
      ],
      [
        "alb",
        "jwt",
        "`api.auth` jwt needs `api.front` http-api, websocket or appsync (only HTTP APIs have a native JWT authorizer; a WebSocket API checks JWTs in its $connect authorizer; AppSync has OPENID_CONNECT), got alb",
      ],
      ["alb", "iam", "`api.auth` iam needs `api.front` http-api or rest-api (an ALB cannot check SigV4 signatures), got alb"],
      ["http-api", "jwt", undefined],
      ["http-api", "iam", undefined],
      ["rest-api", "iam", undefined],
      ["rest-api", "token", undefined],
      ["alb", "token", undefined],
      ["alb", "none", undefined],
      ["http-api", "token", undefined],
      ["websocket", "jwt", undefined],
      ["websocket", "cognito", undefined],
    ];
    for (const [front, auth, message] of cases) {
      it(`${front} + ${auth}: ${message === undefined ? "supported" : "rejected"}`, () => {
        expect(unsupportedAuth(front as "alb", auth as "jwt")).to.equal(message);
      });
    }

    it("the program rejects them before creating any resource, with the validator's message", async () => {
      let error: unknown;
      const registered: string[] = [];
      try {
        const run = await runStack(devWithApi({ front: "alb", auth: "iam" }), { stack: "dev" });
        registered.push(...run.resources.map((r) => r.name));
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain(
        "`api.auth` iam needs `api.front` http-api or rest-api (an ALB cannot check SigV4 signatures), got alb",
      );
      expect(registered).to.deep.equal([]);
    });
  });
});
