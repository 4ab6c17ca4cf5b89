/**
 * The appsync front (`api.front` appsync) under mocks: a GraphQL API with the shared schema, `putRecords` on the
 * ingest function through an AWS_LAMBDA data source whose role may invoke that function only, `health` on a NONE
 * data source, each `api.auth` as AppSync's mode with the block it requires, the API key of `none`, and the keys
 * that mean nothing to AppSync refused before planning ("Configuring authorization and authentication to secure
 * your GraphQL APIs", "Direct Lambda resolvers", "CreateApiKey").
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { INGEST_SCHEMA, PUT_RECORDS_RESPONSE_TEMPLATE } from "../../handlers/lib/appsync-schema";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { problemsOf } from "../config/problems";
import { named, ofType, runStack, type ProgramRun } from "./harness";

const R = "eu-west-1";
const A = "123456789012";
const API = "aws:appsync/graphQLApi:GraphQLApi";
const NOW = Date.parse("2026-03-01T12:34:56Z");
const fnArn = (fn: string) => `arn:aws:lambda:${R}:${A}:function:kinesis-ingest-dev-${fn}`;

function appsync(auth: string, extra: Record<string, unknown> = {}): Promise<ProgramRun> {
  return runStack({ ...readStackFile("dev"), api: { front: "appsync", auth, ...extra } }, { stack: "dev", now: () => NOW });
}

const graphqlApi = (run: ProgramRun) => named(run.resources, API, "api-graphql").inputs;

describe("program: the appsync front", function () {
  this.timeout(60_000);

  it("creates a GraphQL API with the shared schema; apiUrl is its GraphQL endpoint", async () => {
    const run = await appsync("iam");
    expect(graphqlApi(run)).to.deep.equal({ name: "kinesis-ingest-dev", schema: INGEST_SCHEMA, authenticationType: "AWS_IAM" });
    expect(run.outputs.apiUrl).to.equal(`https://api-graphql-id.appsync-api.${R}.amazonaws.com/graphql`);
    expect(run.outputs.apiKey).to.equal(undefined);
  });

  it("resolves Mutation.putRecords with the ingest function (direct request, the error-raising response template)", async () => {
    const { resources } = await appsync("iam");
    expect(named(resources, "aws:appsync/dataSource:DataSource", "api-ingest-source").inputs).to.deep.equal({
      apiId: "api-graphql-id",
      name: "ingest",
      type: "AWS_LAMBDA",
      serviceRoleArn: `arn:aws:iam::${A}:role/api-appsync-ingest-role-a1b2c3d`,
      lambdaConfig: { functionArn: fnArn("ingest") },
    });
    const resolver = named(resources, "aws:appsync/resolver:Resolver", "api-put-records").inputs;
    expect(resolver).to.deep.equal({
      apiId: "api-graphql-id",
      type: "Mutation",
      field: "putRecords",
      kind: "UNIT",
      dataSource: "ingest",
      responseTemplate: PUT_RECORDS_RESPONSE_TEMPLATE,
    });
    expect(named(resources, "aws:appsync/resolver:Resolver", "api-health").inputs).to.include({ type: "Query", field: "health" });
    expect(named(resources, "aws:appsync/dataSource:DataSource", "api-health-source").inputs).to.include({ type: "NONE" });
  });

  it("lets AppSync assume the data source role, which may invoke the ingest function and nothing else", async () => {
    const { resources } = await appsync("iam");
    const role = named(resources, "aws:iam/role:Role", "api-appsync-ingest-role").inputs;
    expect(JSON.parse(role.assumeRolePolicy as string).Statement).to.deep.equal([
      { Effect: "Allow", Principal: { Service: "appsync.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", "api-appsync-invoke-ingest").inputs;
    expect(JSON.parse(policy.policy as string).Statement).to.deep.equal([
      { Sid: "InvokeIngest", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fnArn("ingest")] },
    ]);
    // No API Gateway on this front: no invoke permission for apigateway.amazonaws.com, no access logs.
    const permissions = ofType(resources, "aws:lambda/permission:Permission");
    expect(permissions.filter((p) => p.inputs.principal === "apigateway.amazonaws.com")).to.deep.equal([]);
    expect(resources.filter((r) => r.name === "api-access-logs")).to.deep.equal([]);
  });

  it("token: an AWS_LAMBDA authorizer on the authorizer function, cached per api.authorizerCacheSeconds, invocable from this API only", async () => {
    const run = await appsync("token", { authorizerCacheSeconds: 60 });
    expect(graphqlApi(run)).to.deep.include({
      authenticationType: "AWS_LAMBDA",
      lambdaAuthorizerConfig: { authorizerUri: fnArn("authorizer"), authorizerResultTtlInSeconds: 60 },
    });
    expect(named(run.resources, "aws:lambda/permission:Permission", "api-invoke-authorizer").inputs).to.deep.equal({
      action: "lambda:InvokeFunction",
      function: "kinesis-ingest-dev-authorizer",
      principal: "appsync.amazonaws.com",
      sourceArn: `arn:aws:appsync:${R}:${A}:apis/api-graphql-id`,
    });
  });

  it("jwt: OPENID_CONNECT on api.jwtIssuer, the audiences as an exact client id pattern", async () => {
    const run = await appsync("jwt", { jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest", "ingest.v2"] });
    expect(graphqlApi(run)).to.deep.include({
      authenticationType: "OPENID_CONNECT",
      openidConnectConfig: { issuer: "https://issuer.example.com", clientId: "^(ingest|ingest\\.v2)$" },
    });
    expect(ofType(run.resources, "aws:lambda/function:Function").map((f) => f.name)).to.not.include("api-authorizer-function");
  });

  it("cognito: AMAZON_COGNITO_USER_POOLS on the stack's pool, its app client only; an existing pool with no clients listed takes any", async () => {
    const own = graphqlApi(await appsync("cognito"));
    expect(own.authenticationType).to.equal("AMAZON_COGNITO_USER_POOLS");
    expect(own.userPoolConfig).to.deep.include({ awsRegion: R, defaultAction: "ALLOW", appIdClientRegex: "^(api-user-pool-client-id)$" });
    expect((own.userPoolConfig as { userPoolId: string }).userPoolId).to.match(/^eu-west-1_[0-9a-z]+$/);
    const pool = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";
    const existing = graphqlApi(await appsync("cognito", { userPoolArn: pool }));
    expect(existing.userPoolConfig).to.deep.equal({ userPoolId: "eu-west-1_AbC123xyZ", awsRegion: R, defaultAction: "ALLOW" });
  });

  it("none: API_KEY with a key valid 365 days from the plan (on the hour), its value the secret apiKey output", async () => {
    let keyOptions: unknown;
    const run = await runStack(
      { ...readStackFile("dev"), api: { front: "appsync", auth: "none" } },
      { stack: "dev", now: () => NOW, onResource: (args) => void (args.name === "api-key" && (keyOptions = args.opts)) },
    );
    expect(graphqlApi(run).authenticationType).to.equal("API_KEY");
    const key = named(run.resources, "aws:appsync/apiKey:ApiKey", "api-key");
    expect(key.inputs).to.deep.include({ apiId: "api-graphql-id", expires: "2027-03-01T12:00:00Z" });
    // Later deploys leave the expiry alone: rotation is a replacement of the key (README, "API keys").
    expect(keyOptions).to.deep.include({ ignoreChanges: ["expires"] });
    expect(run.outputs.apiKey).to.match(/^da2-[0-9a-z]{26}$/);
  });

  it("violates no policy of the pack in any auth mode", async () => {
    for (const [auth, extra] of [
      ["none", {}],
      ["token", {}],
      ["cognito", {}],
      ["jwt", { jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest"] }],
    ] as const)
      expect(await evaluatePolicies((await appsync(auth, extra)).resources, policies), auth).to.deep.equal([]);
  });

  it("refuses the keys AppSync has no use for, naming the fronts they apply to", () => {
    const problems = problemsOf({ api: { front: "appsync", auth: "iam", rateLimit: 10, burstLimit: 20, accessLogs: true, dailyQuota: 5 } });
    for (const key of ["rateLimit", "burstLimit"])
      expect(problems).to.include(
        `\`api.${key}\` does not apply to \`api.front\` appsync; it applies to the API Gateway fronts (http-api, rest-api, websocket): AppSync has no per-API throttling, only the account's request-token rate. Remove it`,
      );
    expect(problems.join("\n")).to.include("`api.accessLogs` does not apply to `api.front` appsync");
    expect(problems.join("\n")).to.include("`api.dailyQuota` needs `api.front` rest-api");
    expect(problemsOf({ api: { front: "appsync", auth: "none", createApiGatewayAccountRole: true } }).join("\n")).to.include(
      "`api.createApiGatewayAccountRole` applies only to `api.front` rest-api or websocket",
    );
    expect(problemsOf({ api: { front: "appsync", auth: "iam", certificateArn: "x" } }).join("\n")).to.include(
      "`api.certificateArn` applies only to `api.front` alb, got appsync",
    );
  });

  it("accepts every auth mode, and refuses an unknown front naming appsync among the allowed ones", () => {
    for (const api of [
      { auth: "none" },
      { auth: "token" },
      { auth: "iam" },
      { auth: "cognito" },
      { auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest"] },
    ])
      expect(problemsOf({ api: { front: "appsync", ...api } }), api.auth).to.deep.equal([]);
    expect(problemsOf({ api: { front: "graphql" } }).join("\n")).to.include("one of http-api, rest-api, alb, websocket, appsync");
  });
});
