/**
 * `api.auth` jwt and cognito on the appsync front, through the local stack's real port with a real HTTP client
 * doing GraphQL POSTs with tokens minted by the local issuer (`POST /_local/tokens`). AppSync's OPENID_CONNECT
 * mode checks the issuer, the signature and the client (`clientId`, a pattern matched against the token's `aud`:
 * "OpenIDConnectConfig", https://docs.aws.amazon.com/appsync/latest/APIReference/API_OpenIDConnectConfig.html);
 * AMAZON_COGNITO_USER_POOLS takes the pool's ID tokens (client in `aud`) and access tokens (client in
 * `client_id`) of the app clients `appIdClientRegex` matches ("UserPoolConfig",
 * https://docs.aws.amazon.com/appsync/latest/APIReference/API_UserPoolConfig.html). The token goes bare in
 * `Authorization`, without `Bearer `; a missing, invalid or expired one is HTTP 401 `UnauthorizedException`
 * ("How do I troubleshoot Unauthorized errors when running GraphQL requests in AWS AppSync?",
 * https://repost.aws/knowledge-center/aws-appsync-graphql-request-unauth-error). Refused requests write nothing.
 */
import { expect } from "chai";
import type { RunningLocalStack } from "../../../local/stack";
import { post, PUT, stored, storedData, unauthorized } from "./appsync-support";
import { startWithApi } from "./support";

const NO_CREDENTIAL = "Valid authorization header not provided.";
const NOT_A_JWT = "Unable to parse JWT token.";
const NOT_AUTHORIZED = "You are not authorized to make this call.";
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

/** Starts the stack around `body`, which gets it, its GraphQL URL and a minter of its tokens. */
function withAppSync(api: Record<string, unknown>, body: (s: () => { stack: RunningLocalStack; url: string }) => void): void {
  let stack: RunningLocalStack;
  before(async () => {
    stack = await startWithApi({ front: "appsync", ...api });
  });
  after(async () => {
    if (stack) await stack.stop();
  });
  body(() => ({ stack, url: stack.status().api.graphqlUrl! }));
}

async function mint(stack: RunningLocalStack, options: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${stack.url}/_local/tokens`, { method: "POST", body: JSON.stringify(options) });
  return ((await response.json()) as { token: string }).token;
}

/** The token with its signature replaced: the right shape, signed by nobody. */
const forge = (token: string) => `${token.slice(0, token.lastIndexOf(".") + 1)}${Buffer.from("not the signature").toString("base64url")}`;

/** Refusals both JWT modes share: each writes nothing and gets AppSync's 401. */
function refusals(s: () => { stack: RunningLocalStack; url: string }, otherClients: [string, Record<string, unknown>][]): void {
  const cases: [string, () => Promise<Record<string, string>>, string][] = [
    ["no Authorization header", async () => ({}), NO_CREDENTIAL],
    ...otherClients.map(([label, options]): [string, () => Promise<Record<string, string>>, string] => [
      label,
      async () => ({ authorization: await mint(s().stack, options) }),
      NOT_AUTHORIZED,
    ]),
    ["an expired token", async () => ({ authorization: await mint(s().stack, { expiresInSeconds: -60 }) }), NOT_AUTHORIZED],
    ["a token whose signature is not the issuer's", async () => ({ authorization: forge(await mint(s().stack, {})) }), NOT_AUTHORIZED],
    [
      "a valid token after `Bearer ` (AppSync takes it bare)",
      async () => ({ authorization: `Bearer ${await mint(s().stack, {})}` }),
      NOT_A_JWT,
    ],
    ["something that is not a JWT", async () => ({ authorization: "not-a-jwt" }), NOT_A_JWT],
  ];
  for (const [name, headers, message] of cases)
    it(`refuses ${name} with HTTP 401 UnauthorizedException "${message}" and writes nothing`, async () => {
      const before = (await stored(s().stack)).length;
      const answer = await post(s().url, { query: PUT, variables: { records: [{ data: '{"refused":true}' }] } }, await headers());
      expect(answer).to.deep.equal(unauthorized(message));
      expect((await stored(s().stack)).length).to.equal(before);
    });
}

describe("local stack: the appsync front with api.auth jwt (OPENID_CONNECT on the local issuer)", function () {
  this.timeout(60_000);
  withAppSync({ auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["producers", "batch"] }, (s) => {
    it("stores the records of a request with a token of the issuer for any of the audiences (OpenIDConnectConfig clientId)", async () => {
      for (const audience of ["producers", "batch"]) {
        const token = await mint(s().stack, { audience });
        expect([claimsOf(token).iss, claimsOf(token).aud]).to.deep.equal(["https://issuer.example.com", audience]);
        const records = [{ data: `{"aud":"${audience}"}`, partitionKey: audience }];
        const [status, answer] = await post(s().url, { query: PUT, variables: { records } }, { authorization: token });
        expect([status, answer.errors, answer.data?.putRecords?.failedRecordCount]).to.deep.equal([200, undefined, 0]);
        expect(await storedData(s().stack, answer)).to.deep.equal([`{"aud":"${audience}"}`]);
      }
    });

    refusals(s, [["another audience's token", { audience: "someone-else" }]]);
  });
});

describe("local stack: the appsync front with api.auth cognito (AMAZON_COGNITO_USER_POOLS on the local pool)", function () {
  this.timeout(60_000);
  withAppSync({ auth: "cognito" }, (s) => {
    for (const tokenUse of ["id", "access"] as const)
      it(`stores the records of a request with the pool's ${tokenUse} token of the app client (UserPoolConfig appIdClientRegex)`, async () => {
        const token = await mint(s().stack, { tokenUse, groups: ["producers"] });
        const claims = claimsOf(token);
        // The client is in `aud` on an ID token, in `client_id` on an access token: appIdClientRegex reads either.
        expect([claims.token_use, claims.aud ?? claims.client_id]).to.deep.equal([tokenUse, "localingestproducers000000"]);
        const records = [{ data: `{"token_use":"${tokenUse}"}` }];
        const [status, answer] = await post(s().url, { query: PUT, variables: { records } }, { authorization: token });
        expect([status, answer.errors, answer.data?.putRecords?.failedRecordCount]).to.deep.equal([200, undefined, 0]);
        expect(await storedData(s().stack, answer)).to.deep.equal([`{"token_use":"${tokenUse}"}`]);
      });

    refusals(s, [
      ["an access token of another app client (client_id)", { tokenUse: "access", clientId: "someotherclient" }],
      ["an ID token of another app client (aud)", { tokenUse: "id", clientId: "someotherclient" }],
    ]);
  });
});

describe("local stack: the appsync front with api.auth cognito on an existing pool and no userPoolClientIds", function () {
  this.timeout(60_000);
  const userPoolArn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";
  withAppSync({ auth: "cognito", userPoolArn }, (s) => {
    it("stores the records of any app client of the pool: no appIdClientRegex is set (UserPoolConfig)", async () => {
      const token = await mint(s().stack, { tokenUse: "access", clientId: "anyclientofthepool" });
      expect(claimsOf(token).iss).to.equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ");
      const [status, answer] = await post(
        s().url,
        { query: PUT, variables: { records: [{ data: '{"any":1}' }] } },
        { authorization: token },
      );
      expect([status, answer.errors, answer.data?.putRecords?.failedRecordCount]).to.deep.equal([200, undefined, 0]);
    });

    it("still refuses a token signed by someone else", async () => {
      const answer = await post(
        s().url,
        { query: PUT, variables: { records: [{ data: "{}" }] } },
        { authorization: forge(await mint(s().stack, {})) },
      );
      expect(answer).to.deep.equal(unauthorized(NOT_AUTHORIZED));
    });
  });
});
