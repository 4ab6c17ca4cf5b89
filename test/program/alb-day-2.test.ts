/**
 * The ALB front on day 2: its access log bucket in every Region (ELB guide, "Enable access logs for your
 * Application Load Balancer"; the provider's `elb/service_account_data_source.go`, which knows the Regions
 * before August 2022 only), the bucket policy's order, and a certificate added to a plaintext ALB, planned
 * twice under mocks (the provider's `elbv2/listener.go`: only `load_balancer_arn` forces a new listener;
 * `listener_rule.go`: `listener_arn` forces a new rule).
 */
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runStack, type RecordedResource } from "./harness";

type Raw = Record<string, unknown>;

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab";
const SERVICE_ACCOUNT = "aws:elb/getServiceAccount:getServiceAccount";
/** The Regions `aws.elb.getServiceAccount` answers for (the provider's `accountIDPerRegionMap`, commercial ones). */
const PROVIDER_ELB_REGIONS = new Set(
  "us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2 ap-southeast-3 ca-central-1 eu-central-1 eu-north-1 eu-south-1 eu-west-1 eu-west-2 eu-west-3 me-south-1 sa-east-1".split(
    " ",
  ),
);
const SINCE_AUGUST_2022 = ["eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "me-central-1", "il-central-1", "ca-west-1"];

function albStack(api: Raw): Raw {
  const dev = readStackFile("dev");
  return { ...dev, api: { ...(dev.api as Raw), front: "alb", auth: "none", ...api } };
}

/** Runs the ALB stack in `region` with the provider's answer to getServiceAccount, counting the calls. */
async function inRegion(region: string) {
  let serviceAccountCalls = 0;
  const run = await runStack(albStack({}), {
    stack: "dev",
    region,
    call: (args) => {
      if (args.token !== SERVICE_ACCOUNT) return undefined;
      serviceAccountCalls += 1;
      if (!PROVIDER_ELB_REGIONS.has(region)) throw new Error(`unsupported AWS Region: ${region}`);
      return undefined;
    },
  });
  const policy = JSON.parse(named(run.resources, "aws:s3/bucketPolicy:BucketPolicy", "api-alb-logs").inputs.policy as string) as {
    Statement: { Sid: string; Principal: unknown; Resource: string }[];
  };
  return { statements: policy.Statement, serviceAccountCalls };
}

/** Each resource's options as the program constructed it, by `type::name`, and the names of resources by object. */
function optionsRecorder() {
  const options = new Map<string, pulumi.CustomResourceOptions>();
  const names = new Map<pulumi.Resource, string>();
  return {
    options,
    names,
    onResource: (args: pulumi.ResourceTransformationArgs) => {
      options.set(`${args.type}::${args.name}`, args.opts);
      names.set(args.resource, args.name);
    },
    dependsOn(type: string, name: string): string[] {
      const on = options.get(`${type}::${name}`)?.dependsOn;
      return (Array.isArray(on) ? on : on ? [on] : []).map((r) => names.get(r as pulumi.Resource) ?? "?");
    },
    aliases(type: string, name: string): [unknown, string][] {
      const aliases = (options.get(`${type}::${name}`)?.aliases ?? []) as { name?: string; parent?: pulumi.Resource }[];
      // @pulumi/aws adds a type alias of its own (`aws:elasticloadbalancingv2/listener:Listener`): only named ones are the program's.
      return aliases.filter((a) => a.name !== undefined).map((a) => [a.name, a.parent ? (names.get(a.parent) ?? "?") : "-"]);
    },
  };
}

const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";

function listeners(resources: readonly RecordedResource[]) {
  return ofType(resources, LISTENER).map((r) => ({ name: r.name, urn: r.urn, port: r.inputs.port, inputs: r.inputs }));
}

describe("ALB front: day 2", () => {
  describe("access logs in Regions opened since August 2022 (ELB guide: Enable access logs for your Application Load Balancer, bucket policies)", () => {
    for (const region of SINCE_AUGUST_2022) {
      it(`${region}: only logdelivery.elasticloadbalancing.amazonaws.com may write; aws.elb.getServiceAccount, which fails there, is not called`, async () => {
        const { statements, serviceAccountCalls } = await inRegion(region);
        expect(serviceAccountCalls).to.equal(0);
        expect(statements).to.deep.equal([
          {
            Sid: "AlbAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::api-alb-logs-a1b2c3d/alb/*",
          },
        ]);
      });
    }

    it("eu-west-1, a Region before August 2022: the service principal and the Region's ELB account, as before", async () => {
      const { statements, serviceAccountCalls } = await inRegion("eu-west-1");
      expect(serviceAccountCalls).to.equal(1);
      expect(statements.map((s) => [s.Sid, s.Principal])).to.deep.equal([
        ["AlbAccessLogDelivery", { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }],
        ["AlbAccessLogDeliveryByRegionAccount", { AWS: "arn:aws:iam::127311923021:root" }],
      ]);
    });
  });

  it("the log bucket's policy is put after its public access block, as the archive bucket's (S3 refuses a policy while the block changes)", async () => {
    const recorder = optionsRecorder();
    await runStack(albStack({}), { stack: "dev", onResource: recorder.onResource });
    expect(recorder.dependsOn("aws:s3/bucketPolicy:BucketPolicy", "api-alb-logs")).to.deep.equal(["api-alb-logs"]);
    const block = recorder.options.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::api-alb-logs");
    expect(block).to.not.equal(undefined);
  });

  describe("adding certificateArn to a plaintext ALB applies without a listener conflict (ELB guide: Listeners for your Application Load Balancers; provider elbv2/listener.go)", () => {
    let plaintext: RecordedResource[];
    let https: RecordedResource[];
    const recorders = { plaintext: optionsRecorder(), https: optionsRecorder() };
    before(async () => {
      plaintext = (await runStack(albStack({}), { stack: "dev", onResource: recorders.plaintext.onResource })).resources;
      https = (await runStack(albStack({ certificateArn: CERT }), { stack: "dev", onResource: recorders.https.onResource })).resources;
    });

    it("the port-80 listener keeps its URN; the HTTPS listener is the only new one; no plan has two listeners on one port", () => {
      const before80 = listeners(plaintext);
      const after = listeners(https);
      expect(before80.map((l) => [l.name, l.port])).to.deep.equal([["api-alb-http", 80]]);
      expect(after.map((l) => [l.name, l.port])).to.deep.equal([
        ["api-alb-https", 443],
        ["api-alb-http", 80],
      ]);
      expect(after.find((l) => l.port === 80)?.urn).to.equal(before80[0]?.urn);
      expect(new Set(after.map((l) => l.port)).size).to.equal(after.length);
      const created = after.filter((l) => !before80.some((b) => b.urn === l.urn));
      expect(created.map((l) => l.port)).to.deep.equal([443]);
    });

    it("the port-80 listener changes from the 404 default to the HTTPS redirect in place: its load balancer, the one input that forces a new listener, is the same", () => {
      const [was] = listeners(plaintext);
      const now = listeners(https).find((l) => l.port === 80)!;
      expect(now.inputs.loadBalancerArn).to.equal(was?.inputs.loadBalancerArn);
      expect([was?.inputs.defaultActions, now.inputs.defaultActions]).to.deep.equal([
        [
          {
            type: "fixed-response",
            fixedResponse: {
              contentType: "application/json",
              statusCode: "404",
              messageBody: '{"error":{"code":"NOT_FOUND","message":"Routes: POST /records, GET /health."}}',
            },
          },
        ],
        [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      ]);
    });

    it("the routing rules move to the HTTPS listener (a new rule each: priorities are per listener, so they do not collide), and port 80 redirects only after they exist", () => {
      const arn = (run: RecordedResource[], listener: string) => named(run, LISTENER, listener).outputs.arn as string;
      for (const rule of ["api-post-records", "api-get-health"]) {
        expect(named(https, RULE, rule).urn).to.equal(named(plaintext, RULE, rule).urn);
        expect(named(plaintext, RULE, rule).inputs.listenerArn)
          .to.equal(arn(plaintext, "api-alb-http"))
          .and.match(/api-alb-http-id$/);
        expect(named(https, RULE, rule).inputs.listenerArn)
          .to.equal(arn(https, "api-alb-https"))
          .and.match(/api-alb-https-id$/);
      }
      expect(recorders.https.dependsOn(LISTENER, "api-alb-http")).to.deep.equal(["api-alb-https", "api-post-records", "api-get-health"]);
      expect(recorders.plaintext.dependsOn(LISTENER, "api-alb-http")).to.deep.equal([]);
    });

    it("a stack deployed before keeps its listeners: each is aliased to the name awsx gave it inside the load balancer (`api-alb-<index>`)", () => {
      expect(recorders.plaintext.aliases(LISTENER, "api-alb-http")).to.deep.equal([["api-alb-0", "api-alb"]]);
      expect(recorders.https.aliases(LISTENER, "api-alb-https")).to.deep.equal([["api-alb-0", "api-alb"]]);
      expect(recorders.https.aliases(LISTENER, "api-alb-http")).to.deep.equal([["api-alb-1", "api-alb"]]);
      expect(named(https, "awsx:lb:ApplicationLoadBalancer", "api-alb").inputs.listeners).to.deep.equal([]);
    });
  });
});
