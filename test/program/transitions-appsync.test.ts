/**
 * The appsync front's transitions through `npm run synth -- --against`: switching a stack to it and back, and
 * changing its auth mode, reported as the creates, deletes and in-place updates the provider plans; and a
 * replacement row for every resource type it brings (synth/replacement-inputs.ts).
 */
import { expect } from "chai";
import { REPLACEMENT_INPUTS } from "../../synth/replacement-inputs";
import { runProgram } from "./harness";
import { BASE, changeOf, transition, verdictOf, withSection } from "./transitions-support";

const APPSYNC = withSection(BASE, "api", { front: "appsync", auth: "token" });

describe("synth --against: the appsync front", function () {
  this.timeout(120_000);

  it("http-api to appsync: the HTTP API deleted, the GraphQL API and its resolvers created, the authorizer function updated in place", async () => {
    const changes = await transition(BASE, APPSYNC);
    expect(verdictOf(changes, "api-http")).to.deep.equal(["delete", [], false, false]);
    for (const name of ["api-graphql", "api-ingest-source", "api-put-records", "api-health", "api-appsync-ingest-role"])
      expect(changeOf(changes, name).action, name).to.equal("create");
    // The same authorizer function serves AppSync: only its description (which names the front) changes.
    expect(verdictOf(changes, "api-authorizer-function")).to.deep.equal(["update", ["description"], false, false]);
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("appsync back to http-api: the GraphQL API and everything hanging off it deleted, nothing lost", async () => {
    const changes = await transition(APPSYNC, BASE);
    for (const name of ["api-graphql", "api-ingest-source", "api-put-records"])
      expect(changeOf(changes, name).action, name).to.equal("delete");
    expect(changeOf(changes, "api-http").action).to.equal("create");
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("token to none: the API updated in place (its authentication mode), the API key created, the authorizer function deleted", async () => {
    const changes = await transition(APPSYNC, withSection(BASE, "api", { front: "appsync", auth: "none" }));
    const [action, inputs] = verdictOf(changes, "api-graphql");
    expect(action).to.equal("update");
    expect(inputs).to.include("authenticationType");
    expect(changeOf(changes, "api-key").action).to.equal("create");
    expect(verdictOf(changes, "api-authorizer-function")).to.deep.equal(["delete", [], false, false]);
  });

  it("has a replacement row for every resource type of every auth mode", async () => {
    const types = new Set<string>();
    for (const auth of [{ auth: "none" }, { auth: "token" }, { auth: "iam" }, { auth: "cognito" }]) {
      const resources = await runProgram(withSection(BASE, "api", { front: "appsync", ...auth }), { stack: "dev" });
      for (const r of resources) if (r.custom && r.type.startsWith("aws:appsync/")) types.add(r.type);
    }
    expect([...types].sort()).to.deep.equal([
      "aws:appsync/apiKey:ApiKey",
      "aws:appsync/dataSource:DataSource",
      "aws:appsync/graphQLApi:GraphQLApi",
      "aws:appsync/resolver:Resolver",
    ]);
    for (const type of types) expect(REPLACEMENT_INPUTS[type]?.source, type).to.match(/^appsync\/.*\.go$/);
  });
});
