/**
 * `api.auth` cognito: which fronts take it, the existing pool's ARN and app clients, and the issuer URL both
 * the program and the local stack build from the pool (docs/aws-semantics.md#cognito-user-pools).
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { cognitoIssuer, userPoolOf } from "../../config/cognito-settings";
import { problemsOf } from "./problems";

const ARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";

describe("config: api.auth cognito", () => {
  it("creates the stack's own pool by default: no ARN, no client ids", () => {
    const { api } = validateStackConfig({ api: { auth: "cognito" } });
    expect([api.auth, api.userPoolArn, api.userPoolClientIds]).to.deep.equal(["cognito", undefined, []]);
  });

  it("takes an existing pool with its app clients on http-api, and the pool alone on rest-api", () => {
    const http = validateStackConfig({ api: { auth: "cognito", userPoolArn: ARN, userPoolClientIds: ["1example23456789"] } }).api;
    expect([http.userPoolArn, http.userPoolClientIds]).to.deep.equal([ARN, ["1example23456789"]]);
    expect(validateStackConfig({ api: { front: "rest-api", auth: "cognito", userPoolArn: ARN } }).api.userPoolArn).to.equal(ARN);
  });

  for (const [name, api, problem] of [
    [
      "alb",
      { front: "alb", auth: "cognito" },
      "`api.auth` cognito needs `api.front` http-api, rest-api, websocket or appsync (an ALB's authenticate-cognito action signs browsers in with redirects and cookies; it does not check bearer tokens), got alb",
    ],
    [
      "an ARN that is not a user pool's",
      { auth: "cognito", userPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:identitypool/x", userPoolClientIds: ["a"] },
      '`api.userPoolArn` must be a Cognito user pool ARN, arn:aws:cognito-idp:<region>:<12-digit account>:userpool/<region>_<id>, got "arn:aws:cognito-idp:eu-west-1:123456789012:identitypool/x"',
    ],
    [
      "a pool id of another Region than its ARN",
      { auth: "cognito", userPoolArn: ARN.replace("userpool/eu-west-1", "userpool/us-east-1"), userPoolClientIds: ["a"] },
      "`api.userPoolArn` names pool id us-east-1_AbC123xyZ in Region eu-west-1: a pool id starts with its own Region, got arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123xyZ",
    ],
    [
      "an existing pool on http-api without its clients",
      { auth: "cognito", userPoolArn: ARN },
      "`api.userPoolArn` on `api.front` http-api needs `api.userPoolClientIds` (the app clients whose tokens the JWT authorizer accepts: their `aud` or `client_id`)",
    ],
    [
      "client ids on rest-api",
      { front: "rest-api", auth: "cognito", userPoolArn: ARN, userPoolClientIds: ["a"] },
      "`api.userPoolClientIds` cannot apply to `api.front` rest-api: a COGNITO_USER_POOLS authorizer accepts the ID token of any app client of the pool; remove it, or use `api.front` http-api, whose JWT authorizer checks the client",
    ],
    [
      "client ids without a pool",
      { auth: "cognito", userPoolClientIds: ["a"] },
      "`api.userPoolClientIds` needs `api.userPoolArn` (the existing pool they belong to); without both the stack creates its own pool and client",
    ],
    [
      "a bad client id",
      { auth: "cognito", userPoolArn: ARN, userPoolClientIds: ["has space"] },
      '`api.userPoolClientIds[0]` must be an app client id, 1 to 128 letters, digits, `_` or `+`, got "has space"',
    ],
    ["a pool with another auth", { auth: "token", userPoolArn: ARN }, "`api.userPoolArn` applies only to `api.auth` cognito, got token"],
  ] as const) {
    it(`refuses ${name}`, () => {
      expect(problemsOf({ api })).to.deep.equal([problem]);
    });
  }

  it("builds the issuer from the pool's Region and id", () => {
    const pool = userPoolOf(ARN)!;
    expect([pool, cognitoIssuer(pool.region, pool.poolId)]).to.deep.equal([
      { region: "eu-west-1", poolId: "eu-west-1_AbC123xyZ" },
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
    ]);
  });
});
