/**
 * `api.auth` cognito under Pulumi mocks: the stack's own user pool (data-bearing: retained, protected on
 * `prod`) and app client, or an existing pool; an HTTP API JWT authorizer whose issuer is the pool's and
 * whose audiences are its app clients; a REST COGNITO_USER_POOLS authorizer on `POST /records`
 * ("Control access to HTTP APIs with JWT authorizers", "Integrate a REST API with an Amazon Cognito user pool").
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runStack, type ProgramRun } from "./harness";

const ARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";
const POOL = "aws:cognito/userPool:UserPool";
const CLIENT = "aws:cognito/userPoolClient:UserPoolClient";

function run(api: Record<string, unknown>, stack = "dev"): Promise<ProgramRun> {
  return runStack({ ...readStackFile(stack), api }, { stack });
}

describe("program: api.auth cognito", () => {
  it("http-api: creates a pool and a public SRP client, and a JWT authorizer on the pool's issuer with the client as audience", async () => {
    const { resources } = await run({ front: "http-api", auth: "cognito" });
    const pool = named(resources, POOL, "api-user-pool");
    expect(pool.inputs).to.include({ name: "kinesis-ingest-dev", deletionProtection: "ACTIVE", mfaConfiguration: "OPTIONAL" });
    expect(pool.inputs.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: true });
    expect(pool.options).to.include({ retainOnDelete: true, protect: false });
    const client = named(resources, CLIENT, "api-user-pool-client");
    expect(client.inputs).to.include({ name: "kinesis-ingest-dev-producers", userPoolId: "api-user-pool-id", generateSecret: false });
    expect(client.inputs.explicitAuthFlows).to.deep.equal(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    const authorizer = named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-cognito").inputs;
    const jwt = authorizer.jwtConfiguration as { issuer: string; audiences: string[] };
    expect([authorizer.authorizerType, jwt.audiences]).to.deep.equal(["JWT", ["api-user-pool-client-id"]]);
    expect(jwt.issuer).to.match(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_[0-9A-Za-z]+$/);
    expect(named(resources, "aws:apigatewayv2/route:Route", "api-post-records").inputs).to.include({
      authorizationType: "JWT",
      authorizerId: "api-cognito-id",
    });
  });

  it("prod: the pool is protected as well as retained (lifecycle.protect)", async () => {
    const { resources } = await run({ front: "http-api", auth: "cognito" }, "prod");
    expect(named(resources, POOL, "api-user-pool").options).to.include({ retainOnDelete: true, protect: true });
  });

  it("an existing pool: no pool or client created; the issuer and audiences from the config", async () => {
    const { resources } = await run({ front: "http-api", auth: "cognito", userPoolArn: ARN, userPoolClientIds: ["clienta1", "clientb2"] });
    expect([ofType(resources, POOL).length, ofType(resources, CLIENT).length]).to.deep.equal([0, 0]);
    expect(named(resources, "aws:apigatewayv2/authorizer:Authorizer", "api-cognito").inputs.jwtConfiguration).to.deep.equal({
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
      audiences: ["clienta1", "clientb2"],
    });
  });

  it("rest-api: a COGNITO_USER_POOLS authorizer with the pool as provider on POST /records", async () => {
    const { resources } = await run({ front: "rest-api", auth: "cognito", userPoolArn: ARN });
    expect(named(resources, "aws:apigateway/authorizer:Authorizer", "api-cognito").inputs).to.deep.include({
      name: "kinesis-ingest-dev-cognito",
      type: "COGNITO_USER_POOLS",
      providerArns: [ARN],
      identitySource: "method.request.header.Authorization",
    });
    expect(named(resources, "aws:apigateway/method:Method", "api-post-records").inputs).to.include({
      authorization: "COGNITO_USER_POOLS",
      authorizerId: "api-cognito-id",
      apiKeyRequired: true,
    });
  });
});
