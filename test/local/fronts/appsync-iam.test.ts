/**
 * `api.auth` iam on the appsync front, through the local stack's real port with a real HTTP client doing GraphQL
 * POSTs signed by the AWS SDK's SigV4 signer: AppSync's AWS_IAM mode takes requests signed for the service
 * `appsync` ("Configuring authorization and authentication to secure your GraphQL APIs",
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html); missing or invalid credentials are
 * HTTP 401 `UnauthorizedException` ("How do I troubleshoot Unauthorized errors when running GraphQL requests in
 * AWS AppSync?", https://repost.aws/knowledge-center/aws-appsync-graphql-request-unauth-error). The credential
 * scope's service is checked on every front: a request signed for `execute-api` is refused by AppSync, one
 * signed for `appsync` by API Gateway ("Credential should be scoped to correct service: 'execute-api'. ").
 */
import { expect } from "chai";
import type { RunningLocalStack } from "../../../local/stack";
import { post, PUT, stored, storedData, unauthorized } from "./appsync-support";
import { RECORDS, send, signedHeaders, startWithApi } from "./support";

const IAM = { accessKeyId: "AKIALOCALINGEST00000", secretAccessKey: "local-ingest-secret-access-key" };
const NO_CREDENTIAL = "Valid authorization header not provided.";
const NOT_AUTHORIZED = "You are not authorized to make this call.";
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

describe("local stack: the appsync front with api.auth iam (AWS_IAM: SigV4 for the service appsync)", function () {
  this.timeout(60_000);
  let stack: RunningLocalStack;
  let url: string;

  before(async () => {
    stack = await startWithApi({ front: "appsync", auth: "iam" });
    url = stack.status().api.graphqlUrl!;
  });
  after(async () => {
    if (stack) await stack.stop();
  });

  /** POSTs `putRecords` of `records`, signed for `service` with `credentials` (unsigned when there are none). */
  async function put(records: unknown[], credentials?: typeof IAM, service: "appsync" | "execute-api" = "appsync") {
    const body = { query: PUT, variables: { records } };
    const headers = credentials ? await signedHeaders(stack.url, "/graphql", JSON.stringify(body), credentials, service) : {};
    return post(url, body, headers);
  }

  it("stores the records of a request signed for appsync with the local credentials (security-authz.html, AWS_IAM)", async () => {
    const [status, answer] = await put([{ data: '{"signed":"appsync"}', partitionKey: "iam" }, { data: "[1,2]" }], IAM);
    expect([status, answer.errors, answer.data?.putRecords?.failedRecordCount]).to.deep.equal([200, undefined, 0]);
    expect(await storedData(stack, answer)).to.deep.equal(['{"signed":"appsync"}', "[1,2]"]);
  });

  for (const [name, credentials, service, message] of [
    ["an unsigned request", undefined, "appsync", NO_CREDENTIAL],
    ["a request signed for execute-api (API Gateway's service), not appsync", IAM, "execute-api", NOT_AUTHORIZED],
    ["a signature made with another secret", { ...IAM, secretAccessKey: "not-the-local-secret" }, "appsync", NOT_AUTHORIZED],
    ["an access key that is not the local one", { ...IAM, accessKeyId: "AKIAOTHER00000000000" }, "appsync", NOT_AUTHORIZED],
  ] as const) {
    it(`refuses ${name} with HTTP 401 UnauthorizedException and writes nothing (aws-appsync-graphql-request-unauth-error)`, async () => {
      const before = (await stored(stack)).length;
      expect(await put([{ data: '{"refused":true}' }], credentials, service)).to.deep.equal(unauthorized(message));
      expect((await stored(stack)).length).to.equal(before);
    });
  }

  it("refuses a signed request whose body was changed after signing", async () => {
    const signedBody = JSON.stringify({ query: PUT, variables: { records: [{ data: "1" }] } });
    const headers = await signedHeaders(stack.url, "/graphql", signedBody, IAM, "appsync");
    const before = (await stored(stack)).length;
    expect(await post(url, { query: PUT, variables: { records: [{ data: "2" }] } }, headers)).to.deep.equal(unauthorized(NOT_AUTHORIZED));
    expect((await stored(stack)).length).to.equal(before);
  });
});

for (const [front, extraHeaders, body] of [
  ["http-api", {}, JSON.stringify({ message: "Credential should be scoped to correct service: 'execute-api'. " })],
  [
    "rest-api",
    { "x-api-key": "local-api-key-0123456789abcdef" },
    JSON.stringify({ error: { code: "FORBIDDEN", message: "Credential should be scoped to correct service: 'execute-api'. " } }),
  ],
] as const) {
  describe(`local stack: the ${front} front with api.auth iam insists on the service execute-api`, function () {
    this.timeout(60_000);
    let stack: RunningLocalStack;
    before(async () => {
      stack = await startWithApi({ front, auth: "iam" });
    });
    after(async () => {
      if (stack) await stack.stop();
    });

    it("refuses a request signed for appsync with 403 and the gateway's scope message, and writes nothing", async () => {
      const before = (await stored(stack)).length;
      const headers = await signedHeaders(stack.url, "/records", RECORDS, IAM, "appsync");
      const response = await send(stack.url, { method: "POST", path: "/records", headers: { ...headers, ...extraHeaders } });
      expect([response.status, await response.text()]).to.deep.equal([403, body]);
      expect((await stored(stack)).length).to.equal(before);
    });

    it("refuses a body changed after signing with the signature mismatch (x-amz-content-sha256 is not taken on trust)", async () => {
      const headers = await signedHeaders(stack.url, "/records", RECORDS, IAM);
      const response = await send(
        stack.url,
        { method: "POST", path: "/records", headers: { ...headers, ...extraHeaders } },
        RECORDS.replace('"k"', '"x"'),
      );
      expect([response.status, await response.text()]).to.deep.equal([
        403,
        body.replace(/Credential should be scoped[^"]*/, SIGNATURE_MISMATCH),
      ]);
    });
  });
}
