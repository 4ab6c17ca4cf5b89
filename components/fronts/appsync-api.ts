/**
 * AppSync GraphQL front (`api.front` appsync): the schema of handlers/lib/appsync-schema.ts, `Mutation.putRecords`
 * resolved by the ingest function (an AWS_LAMBDA data source, a direct Lambda resolver with the response template
 * that raises the contract's errors), `Query.health` answered by AppSync itself (a NONE data source), and the
 * stack's auth as AppSync's default authorization mode:
 *
 * | api.auth | AppSync mode              | what it needs                                                        |
 * |----------|---------------------------|----------------------------------------------------------------------|
 * | token    | AWS_LAMBDA                | the authorizer function (handlers/authorizer.ts), invocable by AppSync |
 * | iam      | AWS_IAM                   | nothing: callers sign for `appsync` with `appsync:GraphQL` allowed     |
 * | jwt      | OPENID_CONNECT            | `api.jwtIssuer`; `api.jwtAudience` as the client id pattern            |
 * | cognito  | AMAZON_COGNITO_USER_POOLS | the stack's pool (or `api.userPoolArn`), its app clients as the pattern |
 * | none     | API_KEY                   | an API key (the `apiKey` output), valid 365 days (semantics/appsync.ts) |
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { userPoolOf } from "../../config/cognito-settings";
import {
  HEALTH_REQUEST_TEMPLATE,
  HEALTH_RESPONSE_TEMPLATE,
  INGEST_SCHEMA,
  PUT_RECORDS_FIELD,
  PUT_RECORDS_RESPONSE_TEMPLATE,
} from "../../handlers/lib/appsync-schema";
import { APPSYNC_API_KEY_VALIDITY_DAYS } from "../../semantics/appsync";
import { allow, policyDocument } from "../iam";
import type { FrontContext, FrontResult } from "./types";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function createAppSyncApi(ctx: FrontContext): FrontResult {
  const { name, parent, ingest } = ctx;
  const opts = { parent };
  const api = new aws.appsync.GraphQLApi(`${name}-graphql`, { name: ctx.names.api, schema: INGEST_SCHEMA, ...authorization(ctx) }, opts);
  if (ctx.auth === "token") allowAuthorizer(ctx, api);

  // AppSync calls the function with this role: it may invoke the ingest function and nothing else.
  const role = new aws.iam.Role(
    `${name}-appsync-ingest-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "appsync.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    opts,
  );
  const invoke = new aws.iam.RolePolicy(
    `${name}-appsync-invoke-ingest`,
    { role: role.id, policy: policyDocument([allow("InvokeIngest", ["lambda:InvokeFunction"], [ingest.arn])]) },
    opts,
  );
  // Data source names are GraphQL-style identifiers ([_A-Za-z][_0-9A-Za-z]*), unique within the API.
  const ingestSource = new aws.appsync.DataSource(
    `${name}-ingest-source`,
    { apiId: api.id, name: "ingest", type: "AWS_LAMBDA", serviceRoleArn: role.arn, lambdaConfig: { functionArn: ingest.arn } },
    { parent, dependsOn: [invoke] },
  );
  new aws.appsync.Resolver(
    `${name}-put-records`,
    {
      apiId: api.id,
      type: "Mutation",
      field: PUT_RECORDS_FIELD,
      kind: "UNIT",
      dataSource: ingestSource.name,
      // No request template: AppSync hands the function its direct Lambda resolver event.
      responseTemplate: PUT_RECORDS_RESPONSE_TEMPLATE,
    },
    opts,
  );
  const healthSource = new aws.appsync.DataSource(`${name}-health-source`, { apiId: api.id, name: "health", type: "NONE" }, opts);
  new aws.appsync.Resolver(
    `${name}-health`,
    {
      apiId: api.id,
      type: "Query",
      field: "health",
      kind: "UNIT",
      dataSource: healthSource.name,
      requestTemplate: HEALTH_REQUEST_TEMPLATE,
      responseTemplate: HEALTH_RESPONSE_TEMPLATE,
    },
    opts,
  );
  const apiKey = ctx.auth === "none" ? createApiKey(ctx, api) : undefined;
  return { url: api.uris.apply((uris) => uris.GRAPHQL ?? ""), apiKey };
}

type AuthorizationInputs = Pick<
  aws.appsync.GraphQLApiArgs,
  "authenticationType" | "lambdaAuthorizerConfig" | "openidConnectConfig" | "userPoolConfig"
>;

/** The stack's auth as AppSync's default mode, with the configuration block that mode requires. */
function authorization(ctx: FrontContext): AuthorizationInputs {
  switch (ctx.auth) {
    case "none":
      return { authenticationType: "API_KEY" };
    case "iam":
      return { authenticationType: "AWS_IAM" };
    case "token":
      if (!ctx.authorizer) throw new Error("token auth on AppSync needs the authorizer function");
      return {
        authenticationType: "AWS_LAMBDA",
        lambdaAuthorizerConfig: { authorizerUri: ctx.authorizer.arn, authorizerResultTtlInSeconds: ctx.authorizerCacheSeconds },
      };
    case "jwt":
      if (!ctx.jwtIssuer) throw new Error("jwt auth needs api.jwtIssuer (the validator requires it)");
      // AppSync checks a token's client (`aud`, or `client_id`) against one pattern: every audience, exactly.
      return { authenticationType: "OPENID_CONNECT", openidConnectConfig: { issuer: ctx.jwtIssuer, clientId: exactly(ctx.jwtAudience) } };
    case "cognito": {
      if (!ctx.cognito) throw new Error("cognito auth needs the user pool");
      const pool = pulumi.output(ctx.cognito.arn).apply((arn) => {
        const of = userPoolOf(arn);
        if (!of) throw new Error(`not a user pool ARN: ${arn}`);
        return of;
      });
      const clients = pulumi.output(ctx.cognito.clientIds);
      return {
        authenticationType: "AMAZON_COGNITO_USER_POOLS",
        userPoolConfig: {
          userPoolId: pool.poolId,
          awsRegion: pool.region,
          // ALLOW: a signed-in user of the pool may call every field (DENY would need per-field directives).
          defaultAction: "ALLOW",
          // Only the pool's listed app clients; none listed (an existing pool) means any client of the pool.
          appIdClientRegex: clients.apply((ids) => (ids.length === 0 ? undefined : exactly(ids))),
        },
      };
    }
  }
}

/** A regular expression matching exactly the given strings. */
function exactly(values: readonly string[]): string {
  return `^(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`;
}

/** AppSync invokes the authorizer with a resource-based permission, from this API only. */
function allowAuthorizer(ctx: FrontContext, api: aws.appsync.GraphQLApi): void {
  new aws.lambda.Permission(
    `${ctx.name}-invoke-authorizer`,
    { action: "lambda:InvokeFunction", function: ctx.authorizer!.functionName, principal: "appsync.amazonaws.com", sourceArn: api.arn },
    { parent: ctx.parent },
  );
}

/**
 * `none`: the API key callers send as `x-api-key`, valid for AppSync's longest, 365 days from the first deploy
 * (on the hour, as AppSync rounds it). Later deploys leave the expiry alone (`ignoreChanges`), so a plan is the
 * same every hour; to rotate, replace the key (`pulumi up --replace <its URN>`): a new value in the `apiKey`
 * output, valid another 365 days, and the old key deleted once the new one exists.
 */
function createApiKey(ctx: FrontContext, api: aws.appsync.GraphQLApi): pulumi.Output<string> {
  const now = (ctx.now ?? Date.now)();
  const expires = new Date(Math.floor((now + APPSYNC_API_KEY_VALIDITY_DAYS.max * DAY_MS) / HOUR_MS) * HOUR_MS);
  const key = new aws.appsync.ApiKey(
    `${ctx.name}-key`,
    { apiId: api.id, description: "kinesis-ingest producers (api.auth none)", expires: expires.toISOString().replace(".000Z", "Z") },
    { parent: ctx.parent, ignoreChanges: ["expires"] },
  );
  return pulumi.secret(key.key);
}
