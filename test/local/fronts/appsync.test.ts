/**
 * The appsync front through the local stack's real port with a real HTTP client doing GraphQL POSTs, as AppSync
 * answers: `putRecords` with one result per record and the records in the stream with their data unchanged
 * (`data` as AWSJSON, `dataBase64` byte for byte), an invalid request a GraphQL error with the contract's code
 * and nothing written, the Lambda authorizer (`token`) and the API key (`none`) refusing with HTTP 401
 * `UnauthorizedException`, `health` answered without the function.
 */
import { expect } from "chai";
import type { RunningLocalStack } from "../../../local/stack";
import { post, PUT, stored } from "./appsync-support";
import { startWithApi, TOKEN } from "./support";

describe("local stack: the appsync front (GraphQL over HTTP)", function () {
  this.timeout(60_000);

  describe("auth token: the Lambda authorizer on the Authorization header", () => {
    let stack: RunningLocalStack;
    let url: string;
    const auth = { authorization: `Bearer ${TOKEN}` };

    before(async () => {
      stack = await startWithApi({ front: "appsync", auth: "token" });
      url = stack.status().api.graphqlUrl!;
    });
    after(async () => {
      if (stack) await stack.stop();
    });

    it("names the endpoint in /_local/status as api.graphqlUrl: http://<host>:<port>/graphql", async () => {
      const status = (await (await fetch(`${stack.url}/_local/status`)).json()) as { api: { front: string; graphqlUrl: string } };
      expect(status.api).to.include({ front: "appsync", graphqlUrl: `${stack.url}/graphql` });
    });

    it("writes the records and answers one result per record; the stream holds the data unchanged", async () => {
      const binary = Buffer.from([0, 1, 2, 250, 255]);
      const records = [
        { data: '{"n":1,"text":"héllo"}', partitionKey: "k-1" },
        { dataBase64: binary.toString("base64"), partitionKey: null },
        { data: "[1,2,3]" },
      ];
      const [status, answer] = await post(url, { query: PUT, variables: { records } }, auth);
      expect([status, answer.errors]).to.deep.equal([200, undefined]);
      const result = answer.data!.putRecords!;
      expect([result.failedRecordCount, result.records.length]).to.deep.equal([0, 3]);
      for (const r of result.records)
        expect(r).to.include({ errorCode: null, errorMessage: null }).and.have.property("sequenceNumber").that.is.a("string");
      const bySequence = new Map((await stored(stack)).map((r) => [r.sequenceNumber, r.data]));
      const data = result.records.map((r) => bySequence.get(r.sequenceNumber!));
      expect([data[0]!.toString("utf8"), data[1], data[2]!.toString("utf8")]).to.deep.equal(['{"n":1,"text":"héllo"}', binary, "[1,2,3]"]);
    });

    it("refuses an invalid request with a GraphQL error carrying the contract's code and details, and writes nothing", async () => {
      const before = (await stored(stack)).length;
      const records = [{ data: '{"ok":1}' }, { partitionKey: "no data" }, { data: "1", dataBase64: "AA==" }];
      const [status, answer] = await post(url, { query: PUT, variables: { records } }, auth);
      expect([status, answer.data]).to.deep.equal([200, null]);
      const [error] = answer.errors!;
      expect(error)
        .to.include({ errorType: "INVALID_REQUEST" })
        .and.deep.include({ path: ["putRecords"] });
      expect(error!.message).to.match(/^records\[1\] needs "data".*Nothing was written\.$/);
      expect(error!.errorInfo!.details).to.have.length(2);
      expect((await stored(stack)).length).to.equal(before);
    });

    it("refuses a request without the Authorization header or with a wrong token: HTTP 401 UnauthorizedException", async () => {
      const before = (await stored(stack)).length;
      const records = [{ data: "1" }];
      for (const headers of [{}, { authorization: "Bearer wrong-token-0000000000" }] as Record<string, string>[]) {
        const [status, answer] = await post(url, { query: PUT, variables: { records } }, headers);
        expect([status, answer.errors?.[0]?.errorType]).to.deep.equal([401, "UnauthorizedException"]);
      }
      expect((await stored(stack)).length).to.equal(before);
    });

    it("answers Query.health without the function, and a query the schema does not have with a validation error", async () => {
      expect(await post(url, { query: "{ health }" }, auth)).to.deep.equal([200, { data: { health: "ok" } }]);
      const [status, answer] = await post(url, { query: "{ nothing }" }, auth);
      expect([status, answer.errors?.[0]?.errorType]).to.deep.equal([400, "ValidationError"]);
      const [, badJson] = await post(url, { query: PUT, variables: { records: [{ data: "{not json" }] } }, auth);
      expect(badJson.errors?.[0]?.message).to.include("AWSJSON must be valid JSON text");
    });
  });

  describe("auth none: AppSync's API key", () => {
    let stack: RunningLocalStack;

    before(async () => {
      stack = await startWithApi({ front: "appsync", auth: "none" });
    });
    after(async () => {
      if (stack) await stack.stop();
    });

    it("admits the key of /_local/status as x-api-key, and refuses none or another with 401", async () => {
      const { graphqlUrl, apiKey } = stack.status().api;
      const records = [{ data: '{"key":true}' }];
      const [status, answer] = await post(graphqlUrl!, { query: PUT, variables: { records } }, { "x-api-key": apiKey! });
      expect([status, answer.data?.putRecords?.failedRecordCount]).to.deep.equal([200, 0]);
      for (const headers of [{}, { "x-api-key": "da2-someoneelseskey000000000" }] as Record<string, string>[]) {
        const [refused, body] = await post(graphqlUrl!, { query: PUT, variables: { records } }, headers);
        expect([refused, body.errors?.[0]?.errorType]).to.deep.equal([401, "UnauthorizedException"]);
      }
    });
  });
});
