/**
 * What `pulumi up` would have broken or left unsafe, planned under mocks: REST redeployment on any served
 * change (API Gateway guide, "Deploying a REST API": changes take effect when deployed), optional access logs
 * and the account CloudWatch role (API Gateway guide, "Set up CloudWatch logging for REST APIs"), HTTPS on the
 * ALB (ELB guide, "Create an HTTPS listener"; "Redirect actions"), a configured VPC, a destroyable log bucket,
 * the replay mapping's own fan-out consumer (Kinesis API reference, SubscribeToShard), mapping metrics (Lambda
 * API reference, EventSourceMappingMetricsConfig) and the ingest budget per front.
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { checkedNames } from "../../config/name-checks";
import { named, ofType, runCommittedStack, runStack } from "./harness";

type Raw = Record<string, unknown>;
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const withApi = (stack: "dev" | "prod", api: Raw): Raw => ({
  ...readStackFile(stack),
  api: { ...(readStackFile(stack).api as Raw), ...api },
});

async function restTrigger(api: Raw): Promise<unknown> {
  const { resources } = await runStack(withApi("prod", api), { stack: "prod" });
  return (named(resources, "aws:apigateway/deployment:Deployment", "api-deployment").inputs.triggers as Raw).redeployment;
}

describe("program: deploy fixes", () => {
  describe("REST deployment triggers", () => {
    it("changing authorizerCacheSeconds changes the trigger (a cached TTL is served by the deployment)", async () => {
      const [a, b, again] = [
        await restTrigger({ authorizerCacheSeconds: 300 }),
        await restTrigger({ authorizerCacheSeconds: 60 }),
        await restTrigger({ authorizerCacheSeconds: 300 }),
      ];
      expect(a).to.be.a("string").with.length(64);
      expect(a).to.not.equal(b);
      expect(again).to.equal(a);
    });

    it("changing the auth mode (method authorization) changes it; stage-only settings (throttling) do not", async () => {
      const token = await restTrigger({});
      expect(await restTrigger({ auth: "iam" })).to.not.equal(token);
      expect(await restTrigger({ rateLimit: 10, burstLimit: 20 })).to.equal(token);
    });
  });

  describe("API Gateway access logs and the account role", () => {
    it("accessLogs false: no access log group and no access log settings, on both API Gateway fronts", async () => {
      for (const [stack, type] of [
        ["prod", "aws:apigateway/stage:Stage"],
        ["dev", "aws:apigatewayv2/stage:Stage"],
      ] as const) {
        const { resources } = await runStack(withApi(stack, { accessLogs: false }), { stack });
        expect(ofType(resources, "aws:cloudwatch/logGroup:LogGroup").map((r) => r.name)).to.not.include("api-access-logs");
        expect(named(resources, type, "api-stage").inputs).to.not.have.property("accessLogSettings");
      }
    });

    it("prod as committed owns no account role (an account-wide setting) and keeps its access logs", async () => {
      const { resources } = await runCommittedStack("prod");
      expect(ofType(resources, "aws:apigateway/account:Account")).to.deep.equal([]);
      expect(named(resources, "aws:apigateway/stage:Stage", "api-stage").inputs).to.have.property("accessLogSettings");
    });

    it("createApiGatewayAccountRole: a role API Gateway assumes, log-group-scoped write actions, and the account setting", async () => {
      const { resources } = await runStack(withApi("prod", { createApiGatewayAccountRole: true }), { stack: "prod" });
      const role = named(resources, "aws:iam/role:Role", "api-cloudwatch-role");
      expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
      });
      expect(
        JSON.parse(named(resources, "aws:iam/rolePolicy:RolePolicy", "api-cloudwatch-policy").inputs.policy as string).Statement,
      ).to.deep.equal([
        {
          Sid: "PushToCloudWatchLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:*"],
        },
      ]);
      expect(named(resources, "aws:apigateway/account:Account", "api-account").inputs).to.deep.equal({
        cloudwatchRoleArn: "arn:aws:iam::123456789012:role/api-cloudwatch-role-a1b2c3d",
      });
    });
  });

  describe("ALB front", () => {
    it("with a certificate: HTTPS on 443 with a TLS 1.3 policy, 80 redirects with HTTP_301, both open in the security group, an https URL", async () => {
      const { resources, outputs } = await runStack(withApi("dev", { front: "alb", auth: "token", certificateArn: CERT }), {
        stack: "dev",
      });
      const listeners = ofType(resources, "aws:lb/listener:Listener").map((r) => r.inputs);
      expect(listeners.map((l) => [l.port, l.protocol, l.certificateArn, l.sslPolicy])).to.deep.equal([
        [443, "HTTPS", CERT, "ELBSecurityPolicy-TLS13-1-2-2021-06"],
        [80, "HTTP", undefined, undefined],
      ]);
      expect(listeners[1]!.defaultActions).to.deep.equal([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
      const ingress = named(resources, "aws:ec2/securityGroup:SecurityGroup", "api-alb-sg").inputs.ingress as Raw[];
      expect(ingress.map((i) => i.fromPort)).to.deep.equal([443, 80]);
      expect(named(resources, "aws:lb/listenerRule:ListenerRule", "api-post-records").inputs.listenerArn).to.equal(
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/api-alb/a1b2c3d4e5f6g7h8/api-alb-https-id",
      );
      expect(outputs.apiUrl).to.equal("https://api-alb-a1b2c3d4e5.eu-west-1.elb.amazonaws.com");
    });

    it("with subnetIds and vpcId: the load balancer and its security group use them", async () => {
      const subnetIds = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
      const { resources } = await runStack(withApi("dev", { front: "alb", auth: "none", subnetIds, vpcId: "vpc-0a1b2c3d" }), {
        stack: "dev",
      });
      expect(named(resources, "awsx:lb:ApplicationLoadBalancer", "api-alb").inputs.subnetIds).to.deep.equal(subnetIds);
      expect(named(resources, "aws:ec2/securityGroup:SecurityGroup", "api-alb-sg").inputs.vpcId).to.equal("vpc-0a1b2c3d");
    });

    it("the access log bucket is force-destroyed: `pulumi destroy` would otherwise fail on its log objects", async () => {
      const { resources } = await runStack(withApi("dev", { front: "alb", auth: "none" }), { stack: "dev" });
      expect(named(resources, "aws:s3/bucket:Bucket", "api-alb-logs").inputs.forceDestroy).to.equal(true);
    });
  });

  describe("ingest budget per front", () => {
    for (const [front, auth, timeout, deadline] of [
      ["http-api", "token", 30, "27000"],
      ["rest-api", "token", 29, "26000"],
      ["alb", "none", 30, "27000"],
    ] as const) {
      it(`${front}: function timeout ${timeout} s, INGEST_DEADLINE_MS ${deadline}`, async () => {
        const { resources } = await runStack(withApi("dev", { front, auth }), { stack: "dev" });
        const fn = named(resources, "aws:lambda/function:Function", "api-ingest-function").inputs;
        expect([fn.timeout, (fn.environment as { variables: Raw }).variables.INGEST_DEADLINE_MS]).to.deep.equal([timeout, deadline]);
      });
    }
  });

  describe("enhanced fan-out replay", () => {
    it("the replay mapping subscribes through its own registered consumer, which the function may read", async () => {
      const raw = { ...readStackFile("dev"), stream: { fanOutConsumers: ["efo"] } } as Raw;
      const consumers = raw.consumers as Record<string, Raw>;
      raw.consumers = { forwarder: { ...consumers.forwarder, fanOutConsumer: "efo", replayFrom: "2026-03-01T06:00:00Z" } };
      const { resources } = await runStack(raw, { stack: "dev", now: () => Date.parse("2026-03-01T12:00:00Z") });
      expect(ofType(resources, "aws:kinesis/streamConsumer:StreamConsumer").map((r) => r.inputs.name)).to.deep.equal(["efo", "efo-replay"]);
      const stream = "arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-dev";
      expect(
        named(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "consumer-forwarder-mapping").inputs.eventSourceArn,
      ).to.equal(`${stream}/consumer/efo:1700000000`);
      expect(
        named(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "consumer-forwarder-replay-mapping").inputs.eventSourceArn,
      ).to.equal(`${stream}/consumer/efo-replay:1700000000`);
      const policy = JSON.parse(
        named(resources, "aws:iam/rolePolicy:RolePolicy", "consumer-forwarder-fn-policy").inputs.policy as string,
      ) as { Statement: Raw[] };
      expect(policy.Statement.find((s) => s.Sid === "ReadFanOutConsumer")?.Resource).to.deep.equal([
        `${stream}/consumer/efo:1700000000`,
        `${stream}/consumer/efo-replay:1700000000`,
      ]);
    });
  });

  describe("dashboard", () => {
    it("shows each mapping's EventCount metrics by its UUID", async () => {
      const { resources } = await runCommittedStack("dev");
      const body = JSON.parse(
        named(resources, "aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard").inputs.dashboardBody as string,
      ) as { widgets: { properties: { title: string; metrics: unknown[] } }[] };
      const widget = body.widgets.find((w) => w.properties.title === "Consumer forwarder mapping events");
      const uuid = "consumer-forwarder-mapping-0000-4000-a000-000000000000";
      expect(widget?.properties.metrics).to.deep.equal(
        [
          "PolledEventCount",
          "FilteredOutEventCount",
          "FailedInvokeEventCount",
          "DroppedEventCount",
          "OnFailureDestinationDeliveredEventCount",
        ].map((metric) => ["AWS/Lambda", metric, "EventSourceMappingUUID", uuid, { stat: "Sum" }]),
      );
    });
  });

  describe("names the validator checks are the names the program creates", () => {
    for (const stack of ["dev", "prod"] as const) {
      it(`${stack}: every auto-named role, secret, alarm and bucket is one config/name-checks.ts computes`, async () => {
        const { resources } = await runCommittedStack(stack);
        const raw = readStackFile(stack) as { api: Raw; consumers: Record<string, Raw> };
        const predicted = checkedNames({
          stack,
          front: raw.api.front as "rest-api",
          auth: raw.api.auth as "token",
          createApiGatewayAccountRole: false,
          fanOutConsumers: [],
          consumers: Object.entries(raw.consumers).map(([name, c]) => ({ name, handler: c.handler as string })),
        })
          .filter((n) => n.autoNamed)
          .map((n) => `${n.name}-a1b2c3d`)
          .sort();
        const created = resources
          .filter((r) =>
            [
              "aws:iam/role:Role",
              "aws:secretsmanager/secret:Secret",
              "aws:cloudwatch/metricAlarm:MetricAlarm",
              "aws:s3/bucket:Bucket",
            ].includes(r.type),
          )
          .map((r) => (r.outputs as { name?: string; bucket?: string }).name ?? (r.outputs as { bucket: string }).bucket)
          .sort();
        expect(created).to.deep.equal(predicted);
      });
    }
  });
});
