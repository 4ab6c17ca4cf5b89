/**
 * The stack's own transitions through `npm run synth -- --against`: the stream's shards, mode and retention,
 * the front and its auth, `lifecycle.protect`; and the replacement table covering every resource type the
 * program can create, so that a new type gets its row (and its transition test) before it ships.
 */
import { expect } from "chai";
import { REPLACEMENT_INPUTS } from "../../synth/replacement-inputs";
import { runProgram } from "./harness";
import { BASE, changeOf, summary, transition, verdictOf, withConsumer, withSection } from "./transitions-support";

const STREAM = "stream-stream";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-a000-000000000000";

describe("synth --against: the stream", function () {
  this.timeout(120_000);

  it("shards changed: updated in place (resharding keeps the records)", async () => {
    const changes = await transition(BASE, withSection(BASE, "stream", { shards: 2 }));
    expect(summary(changes)).to.deep.equal([`update ${STREAM}`]);
    expect(verdictOf(changes, STREAM)).to.deep.equal(["update", ["shardCount"], false, false]);
  });

  it("mode changed to on-demand: updated in place", async () => {
    const changes = await transition(BASE, withSection(BASE, "stream", { mode: "on-demand", shards: undefined }));
    expect(verdictOf(changes, STREAM)).to.deep.equal(["update", ["shardCount", "streamModeDetails"], false, false]);
  });

  it("retention raised: updated in place; lowered: older records are trimmed at once, which loses data", async () => {
    const week = withSection(BASE, "stream", { retentionHours: 168 });
    expect(verdictOf(await transition(BASE, week), STREAM)).to.deep.equal(["update", ["retentionPeriod"], false, false]);
    const lowered = await transition(week, BASE);
    expect(verdictOf(lowered, STREAM)).to.deep.equal(["update", ["retentionPeriod"], true, false]);
    expect(changeOf(lowered, STREAM).why).to.contain("the retention drops from 168 to 24 hours: older records are trimmed at once");
  });

  it("nothing changed, or only lifecycle.protect (state only, no resource changes): no change", async () => {
    expect(await transition(BASE, BASE)).to.deep.equal([]);
    expect(await transition(BASE, withSection(BASE, "lifecycle", { protect: true }))).to.deep.equal([]);
  });
});

describe("synth --against: the front and its auth", function () {
  this.timeout(120_000);

  it("http-api to rest-api: the HTTP API deleted, the REST API created; the invoke permissions may be replaced", async () => {
    const changes = await transition(BASE, withSection(BASE, "api", { front: "rest-api" }));
    expect(verdictOf(changes, "api-http")).to.deep.equal(["delete", [], false, false]);
    expect(verdictOf(changes, "api-rest")).to.deep.equal(["create", [], false, false]);
    // Their sourceArn is the new API's: unknown until it exists, and it forces a new permission.
    expect(verdictOf(changes, "api-invoke-records")).to.deep.equal(["replace", ["sourceArn"], false, false]);
    expect(changeOf(changes, "api-invoke-records").why).to.equal(
      "may be replaced (sourceArn comes from api-rest, which this change creates, unknown until then)",
    );
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("http-api to alb: the load balancer created (awsx), the API and its authorizer function deleted", async () => {
    const changes = await transition(BASE, withSection(BASE, "api", { front: "alb", certificateArn: CERTIFICATE }));
    expect(verdictOf(changes, "api-alb", "ApplicationLoadBalancer")).to.deep.equal(["create", [], false, false]);
    expect(verdictOf(changes, "api-authorizer-function")).to.deep.equal(["delete", [], false, false]);
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("a certificate added to a plaintext alb: port 80's listener updated in place, the 443 listener created, the security group replaced", async () => {
    const plaintext = withSection(BASE, "api", { front: "alb", auth: "none", allowPlaintext: true });
    const changes = await transition(plaintext, withSection(BASE, "api", { front: "alb", auth: "none", certificateArn: CERTIFICATE }));
    expect(changeOf(changes, "api-alb-http").action).to.equal("update");
    expect(changeOf(changes, "api-alb-https").action).to.equal("create");
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
    expect(verdictOf(changes, "api-alb-sg")).to.deep.equal(["replace", ["description"], false, false]);
  });

  it("auth token to none, iam, jwt: the authorizer and its function deleted, the route updated", async () => {
    for (const auth of [
      { auth: "none" },
      { auth: "iam" },
      { auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest"] },
    ]) {
      const changes = await transition(BASE, withSection(BASE, "api", auth));
      expect(verdictOf(changes, "api-authorizer-function"), auth.auth).to.deep.equal(["delete", [], false, false]);
      expect(changeOf(changes, "api-post-records").action, auth.auth).to.equal("update");
      expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
    }
  });
});

describe("synth --against: the replacement table", function () {
  this.timeout(120_000);

  it("has a row for every resource type the program creates, with the provider file it was read from", async () => {
    const variants = [
      BASE,
      withConsumer(withSection(BASE, "observability", { alarmEmail: "ops@example.com" }), "forwarder", {
        fanOutConsumer: "efo",
        replayFrom: "2026-03-01T06:00:00Z",
        idempotency: "dynamodb",
      }),
      withConsumer(withSection(BASE, "api", { front: "rest-api", createApiGatewayAccountRole: true }), "events", {
        handler: "eventbridge",
      }),
      withSection(BASE, "api", { front: "alb", certificateArn: CERTIFICATE }),
      withSection(BASE, "api", { front: "websocket", auth: "token", createApiGatewayAccountRole: true }),
      withSection(BASE, "api", { auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["ingest"] }),
      // The features that bring their own resource types: Cognito, autoscaling, Contributor Insights, parameters, Step Functions.
      withConsumer(
        withSection(
          withSection(withSection(BASE, "api", { auth: "cognito" }), "stream", { autoscaling: { maxShards: 4 } }),
          "observability",
          {
            contributorInsights: true,
          },
        ),
        "flow",
        {
          handler: "stepfunctions",
          definition: "./test/fixtures/stepfunctions/pass.asl.json",
          parameters: { MODE: { value: "fast", type: "String" } },
        },
      ),
    ];
    const types = new Set<string>();
    for (const raw of variants) {
      const resources = await runProgram(raw, { stack: "dev", now: () => Date.parse("2026-03-01T12:00:00Z") });
      for (const r of resources) if (r.custom || r.type.startsWith("awsx:")) types.add(r.type);
    }
    expect([...types].filter((type) => !Object.hasOwn(REPLACEMENT_INPUTS, type))).to.deep.equal([]);
    expect(types.size).to.be.greaterThan(40);
    for (const [type, row] of Object.entries(REPLACEMENT_INPUTS)) expect(row.source, type).to.match(/\.go$|^@pulumi\//);
  });
});
