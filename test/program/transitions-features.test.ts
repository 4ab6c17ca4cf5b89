/**
 * The inputs this round added to a stack file, each changed alone through `synth --against` (synth/against.ts):
 * what the next `pulumi up` does to each resource (create, update in place, replace, delete) and whether data
 * is lost or records re-read (docs/day-2.md, README "Changing a stack").
 */
import { expect } from "chai";
import { BASE, summary, transition, verdictOf, withConsumer, withSection } from "./transitions-support";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const FLOW = { handler: "stepfunctions", definition: "./test/fixtures/stepfunctions/pass.asl.json" };

describe("synth --against: this round's stack file inputs", function () {
  this.timeout(120_000);

  it("consumer layers and kmsKeyArn update the function in place (and its policy for the key)", async () => {
    const layers = await transition(
      BASE,
      withConsumer(BASE, "forwarder", { layers: ["arn:aws:lambda:eu-west-1:123456789012:layer:insights:21"] }),
    );
    expect(summary(layers)).to.deep.equal(["update consumer-forwarder-fn-function"]);
    expect(verdictOf(layers, "consumer-forwarder-fn-function")).to.deep.equal(["update", ["layers"], false, false]);
    const kms = await transition(BASE, withConsumer(BASE, "forwarder", { kmsKeyArn: KEY }));
    expect(verdictOf(kms, "consumer-forwarder-fn-function")).to.deep.equal(["update", ["kmsKeyArn"], false, false]);
    expect(verdictOf(kms, "consumer-forwarder-fn-policy")).to.deep.equal(["update", ["policy"], false, false]);
  });

  it("a consumer parameter creates the parameter and updates the function's environment; api.kmsKeyArn updates the ingest and authorizer functions", async () => {
    const parameters = await transition(BASE, withConsumer(BASE, "forwarder", { parameters: { MODE: { value: "fast", type: "String" } } }));
    expect(summary(parameters)).to.have.members(["create consumer-forwarder-parameters-MODE", "update consumer-forwarder-fn-function"]);
    const api = await transition(BASE, withSection(BASE, "api", { kmsKeyArn: KEY }));
    for (const fn of ["api-ingest-function", "api-authorizer-function"])
      expect(verdictOf(api, fn)).to.deep.equal(["update", ["kmsKeyArn"], false, false]);
    expect(api.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("stream: maxRecordSizeKiB and warmThroughputMiBps update the stream in place, keeping its records; autoscaling only adds the scaler", async () => {
    const size = await transition(BASE, withSection(BASE, "stream", { maxRecordSizeKiB: 2048 }));
    expect(verdictOf(size, "stream-stream")).to.deep.equal(["update", ["maxRecordSizeInKib"], false, false]);
    expect(verdictOf(size, "api-ingest-function")).to.deep.equal(["update", ["environment"], false, false]);
    const onDemand = withSection(BASE, "stream", { mode: "on-demand", shards: undefined });
    const warm = await transition(onDemand, withSection(onDemand, "stream", { warmThroughputMiBps: 10 }));
    expect(verdictOf(warm, "stream-stream")).to.deep.equal(["update", ["warmThroughputMibPs"], false, false]);
    const scaling = await transition(BASE, withSection(BASE, "stream", { autoscaling: { maxShards: 4 } }));
    expect(scaling.every((c) => c.action === "create")).to.equal(true);
    expect(summary(scaling)).to.include("create stream-scaler-fn-function");
  });

  it("auth token to cognito: the pool, client and authorizer created, the route updated, the token authorizer's resources deleted; nothing holding data lost", async () => {
    const changes = await transition(BASE, withSection(BASE, "api", { auth: "cognito" }));
    expect(summary(changes)).to.include.members([
      "create api-user-pool",
      "create api-user-pool-client",
      "create api-cognito",
      "delete api-authorizer-function",
    ]);
    expect(verdictOf(changes, "api-post-records")).to.deep.equal(["update", ["authorizationType"], false, false]);
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("front http-api to websocket: a new WebSocket API and stage replace the HTTP API's, no data lost", async () => {
    const changes = await transition(BASE, withSection(BASE, "api", { front: "websocket" }));
    expect(summary(changes)).to.include.members(["create api-websocket", "create api-put-records"]);
    expect(verdictOf(changes, "api-stage")[0]).to.equal("replace");
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("websocket auth token to jwt: the same $connect authorizer and function, its environment and role policy updated in place", async () => {
    const tokenFront = withSection(BASE, "api", { front: "websocket" });
    const jwt = { front: "websocket", auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["producers"] };
    const changes = await transition(tokenFront, withSection(BASE, "api", jwt));
    expect(verdictOf(changes, "api-authorizer-function")).to.deep.equal(["update", ["description", "environment"], false, false]);
    expect(summary(changes).filter((c) => c.endsWith(" api-token") || c.endsWith(" api-connect"))).to.deep.equal([]);
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("stepfunctions workflowType STANDARD to EXPRESS replaces the state machine (its type forces it), delete-first under its fixed name", async () => {
    const standard = withConsumer(BASE, "flow", FLOW);
    const changes = await transition(standard, withConsumer(BASE, "flow", { ...FLOW, workflowType: "EXPRESS" }));
    expect(verdictOf(changes, "consumer-flow-state-machine")).to.deep.equal(["replace", ["type"], false, false]);
    expect(verdictOf(changes, "consumer-flow-fn-function")).to.deep.equal(["update", ["environment"], false, false]);
  });

  it("contributorInsights creates its rules and updates the ingest function and dashboard; lifecycle.protect changes no AWS resource", async () => {
    const insights = await transition(BASE, withSection(BASE, "observability", { contributorInsights: true }));
    expect(summary(insights).filter((s) => s.startsWith("create")).length).to.equal(5);
    expect(verdictOf(insights, "api-ingest-function")).to.deep.equal(["update", ["environment"], false, false]);
    expect(await transition(BASE, { ...BASE, lifecycle: { protect: true } })).to.deep.equal([]);
  });

  it("observability.canary creates the canary and its own resources; a new schedule updates it in place", async () => {
    const on = withSection(BASE, "observability", { canary: {} });
    const created = await transition(BASE, on);
    expect(summary(created)).to.include("create canary-synthetics");
    expect(created.some((c) => c.dataLoss || c.rereads)).to.equal(false);
    const schedule = await transition(on, withSection(BASE, "observability", { canary: { scheduleMinutes: 15 } }));
    expect(verdictOf(schedule, "canary-synthetics")).to.deep.equal(["update", ["schedule"], false, false]);
  });

  it("the canary's threshold updates its alarm in place; removing the canary deletes its resources, and no consumer re-reads", async () => {
    const on = withSection(BASE, "observability", { canary: {} });
    const threshold = await transition(on, withSection(BASE, "observability", { canary: { successPercentAlarm: 75 } }));
    expect(summary(threshold)).to.deep.equal(["update canary-success"]);
    const off = await transition(on, BASE);
    expect(summary(off)).to.include("delete canary-synthetics");
    expect(off.some((c) => c.rereads)).to.equal(false);
  });

  it("dropCanaryRecords updates the consumer's mapping in place (its filter criteria): it keeps its position", async () => {
    const on = withSection(BASE, "observability", { canary: {} });
    const changes = await transition(on, withConsumer(on, "forwarder", { dropCanaryRecords: true }));
    expect(verdictOf(changes, "consumer-forwarder-mapping")).to.deep.equal(["update", ["filterCriteria"], false, false]);
  });
});
