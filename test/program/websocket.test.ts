/**
 * The websocket front (`api.front` websocket) under mocks: the WEBSOCKET API routed on `$request.body.action`,
 * `$connect` authorized per `api.auth`, every route a proxy integration on the ingest function, the stage's
 * throttling and access logs, the Lambda permissions, and `execute-api:ManageConnections` on this stage's
 * connections only. API Gateway developer guide ("Control and manage access to WebSocket APIs", "Use
 * @connections commands in your backend service").
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runStack, type ProgramRun, type RecordedResource } from "./harness";

const R = "eu-west-1";
const A = "123456789012";
const EXEC = `arn:aws:execute-api:${R}:${A}:api-websocket-id`;
const fnArn = (fn: string) => `arn:aws:lambda:${R}:${A}:function:kinesis-ingest-dev-${fn}`;
const invokeArn = (fn: string) => `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/${fnArn(fn)}/invocations`;
const ROUTE = "aws:apigatewayv2/route:Route";

function websocket(auth: string, extra: Record<string, unknown> = {}): Promise<ProgramRun> {
  const api = { front: "websocket", auth, rateLimit: 50, burstLimit: 100, ...extra };
  return runStack({ ...readStackFile("dev"), api }, { stack: "dev" });
}

const route = (resources: readonly RecordedResource[], name: string) => named(resources, ROUTE, name).inputs;
const statements = (r: RecordedResource) => (JSON.parse(r.inputs.policy as string) as { Statement: unknown[] }).Statement;

describe("program: the websocket front", function () {
  this.timeout(60_000);

  it("creates a WEBSOCKET API whose routes are selected by the message's action", async () => {
    const { resources, outputs } = await websocket("token");
    expect(named(resources, "aws:apigatewayv2/api:Api", "api-websocket").inputs).to.deep.equal({
      name: "kinesis-ingest-dev",
      protocolType: "WEBSOCKET",
      routeSelectionExpression: "$request.body.action",
      description: "Ingestion front: putRecords messages write to the Kinesis stream",
    });
    expect(outputs.apiUrl).to.equal(`wss://api-websocket-id.execute-api.${R}.amazonaws.com/ingest`);
  });

  it("routes $connect, $disconnect and putRecords to the ingest function through one proxy integration", async () => {
    const { resources } = await websocket("none");
    expect(ofType(resources, "aws:apigatewayv2/integration:Integration").map((r) => r.inputs)).to.deep.equal([
      { apiId: "api-websocket-id", integrationType: "AWS_PROXY", integrationUri: invokeArn("ingest"), integrationMethod: "POST" },
    ]);
    expect(ofType(resources, ROUTE).map((r) => [r.name, r.inputs.routeKey, r.inputs.target])).to.deep.equal([
      ["api-connect", "$connect", "integrations/api-ingest-id"],
      ["api-disconnect", "$disconnect", "integrations/api-ingest-id"],
      ["api-put-records", "putRecords", "integrations/api-ingest-id"],
    ]);
    // Only $connect is authorized: the others carry no authorization of their own.
    for (const name of ["api-disconnect", "api-put-records"]) expect(route(resources, name)).to.not.have.property("authorizationType");
  });

  it("token: a REQUEST authorizer on $connect with no identity source (header or ?token=), invocable from this API only", async () => {
    const { resources } = await websocket("token");
    expect(named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-token").inputs).to.deep.equal({
      apiId: "api-websocket-id",
      name: "kinesis-ingest-dev-token",
      authorizerType: "REQUEST",
      authorizerUri: invokeArn("authorizer"),
    });
    expect(route(resources, "api-connect")).to.include({ authorizationType: "CUSTOM", authorizerId: "api-token-id" });
    expect(named(resources, "aws:lambda/permission:Permission", "api-invoke-authorizer").inputs).to.deep.equal({
      action: "lambda:InvokeFunction",
      function: "kinesis-ingest-dev-authorizer",
      principal: "apigateway.amazonaws.com",
      sourceArn: `${EXEC}/authorizers/api-token-id`,
    });
  });

  for (const [auth, type] of [
    ["iam", "AWS_IAM"],
    ["none", "NONE"],
  ] as const) {
    it(`${auth}: $connect is ${type}, with no authorizer and no authorizer function`, async () => {
      const { resources } = await websocket(auth);
      expect(route(resources, "api-connect")).to.deep.equal({
        apiId: "api-websocket-id",
        routeKey: "$connect",
        target: "integrations/api-ingest-id",
        authorizationType: type,
      });
      expect(ofType(resources, "aws:apigatewayv2/authorizer:Authorizer")).to.deep.equal([]);
      expect(resources.filter((r) => r.name.startsWith("api-authorizer"))).to.deep.equal([]);
    });
  }

  it("throttles every route on the stage and writes JSON access logs with the connection and event type", async () => {
    const { resources } = await websocket("none", { accessLogs: true });
    const stage = named(resources, "aws:apigatewayv2/stage:Stage", "api-stage").inputs;
    expect(stage).to.deep.include({
      apiId: "api-websocket-id",
      name: "ingest",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 100, detailedMetricsEnabled: true },
    });
    const logs = stage.accessLogSettings as { destinationArn: string; format: string };
    expect(logs.destinationArn).to.equal(`arn:aws:logs:${R}:${A}:log-group:/aws/apigateway/kinesis-ingest-dev/access`);
    expect(JSON.parse(logs.format)).to.include({ connectionId: "$context.connectionId", eventType: "$context.eventType" });
    expect(named(resources, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs.name).to.equal(
      "/aws/apigateway/kinesis-ingest-dev/access",
    );
  });

  it("creates the account's CloudWatch role only when asked, and no access logs when they are off", async () => {
    const withRole = await websocket("none", { accessLogs: true, createApiGatewayAccountRole: true });
    expect(ofType(withRole.resources, "aws:apigateway/account:Account")).to.have.length(1);
    const off = await websocket("none", { accessLogs: false });
    expect(named(off.resources, "aws:apigatewayv2/stage:Stage", "api-stage").inputs).to.not.have.property("accessLogSettings");
    expect(ofType(off.resources, "aws:apigateway/account:Account")).to.deep.equal([]);
  });

  it("lets API Gateway invoke the ingest function from each of the stage's three routes only", async () => {
    const { resources } = await websocket("none");
    const permissions = ofType(resources, "aws:lambda/permission:Permission").filter(
      (r) => r.inputs.function === "kinesis-ingest-dev-ingest",
    );
    expect(permissions.map((r) => r.inputs.sourceArn)).to.deep.equal([
      `${EXEC}/ingest/$connect`,
      `${EXEC}/ingest/$disconnect`,
      `${EXEC}/ingest/putRecords`,
    ]);
    for (const p of permissions) expect(p.inputs).to.include({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
  });

  it("lets the ingest function answer on this stage's connections, and nothing else", async () => {
    const { resources } = await websocket("token");
    const manage = named(resources, "aws:iam/rolePolicy:RolePolicy", "api-manage-connections");
    expect(manage.inputs.role).to.equal("api-ingest-role-id");
    expect(statements(manage)).to.deep.equal([
      {
        Sid: "AnswerConnections",
        Effect: "Allow",
        Action: ["execute-api:ManageConnections"],
        Resource: [`${EXEC}/ingest/POST/@connections/*`],
      },
    ]);
    const granted = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
      JSON.stringify(statements(r)).includes("execute-api:ManageConnections"),
    );
    expect(granted.map((r) => r.name)).to.deep.equal(["api-manage-connections"]);
  });

  it("other fronts grant no ManageConnections", async () => {
    const { resources } = await runStack({ ...readStackFile("dev"), api: { front: "http-api", auth: "token" } }, { stack: "dev" });
    expect(JSON.stringify(ofType(resources, "aws:iam/rolePolicy:RolePolicy").map(statements))).to.not.include("ManageConnections");
  });

  for (const [auth, extra, issuer, audience] of [
    ["jwt", { jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest", "batch"] }, "https://issuer.example.com", "ingest,batch"],
    [
      "cognito",
      { userPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ", userPoolClientIds: ["client1"] },
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
      "client1",
    ],
  ] as const) {
    it(`${auth}: the same REQUEST authorizer on $connect, its function checking JWTs of the issuer (a WebSocket API has no JWT authorizer type)`, async () => {
      const { resources } = await websocket(auth, extra);
      expect(named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-token").inputs).to.include({ authorizerType: "REQUEST" });
      expect(route(resources, "api-connect")).to.include({ authorizationType: "CUSTOM", authorizerId: "api-token-id" });
      const fn = named(resources, "aws:lambda/function:Function", "api-authorizer-function").inputs;
      expect(fn.environment).to.deep.equal({ variables: { JWT_ISSUER: issuer, JWT_AUDIENCE: audience } });
      expect(fn.description).to.equal("JWT authorizer of the websocket");
      // No token secret to read: the role holds only its logs and X-Ray.
      const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.startsWith("api-authorizer"));
      expect(JSON.stringify(policies.map((r) => r.inputs.policy))).to.not.include("secretsmanager");
    });
  }

  it("cognito with the stack's own pool: the authorizer's issuer is the pool's, its audience the stack's app client", async () => {
    const { resources } = await websocket("cognito");
    expect(ofType(resources, "aws:cognito/userPool:UserPool")).to.have.length(1);
    const env = (
      named(resources, "aws:lambda/function:Function", "api-authorizer-function").inputs.environment as {
        variables: Record<string, string>;
      }
    ).variables;
    expect(env.JWT_ISSUER).to.match(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_[0-9A-Za-z]+$/);
    expect(env.JWT_AUDIENCE).to.equal("api-user-pool-client-id");
  });
});
