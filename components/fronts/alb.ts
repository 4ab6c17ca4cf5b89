/**
 * Application Load Balancer front (built with `@pulumi/awsx`): the most requests per dollar, with ALB's
 * limits (1 MB request and response bodies, no gateway throttling or usage plans). The listener answers
 * `GET /health` itself, forwards `POST /records` to a Lambda target group holding the ingest function,
 * and returns 404 for anything else. Access logs go to an encrypted S3 bucket that expires them.
 * Auth: `none`, or `token` checked inside the ingest handler (it reads the token secret given by
 * `TOKEN_SECRET_ID`); `iam` and `jwt` are not available on an ALB and the config validator rejects them.
 * With `api.certificateArn` the listener is HTTPS on 443 (a TLS 1.3 security policy) and port 80 answers with
 * a permanent redirect to HTTPS; without one (allowed by the validator only with auth `none` or an explicit
 * `api.allowPlaintext`) it is plain HTTP on 80. The load balancer goes into `api.subnetIds` of `api.vpcId`, or
 * the region's default VPC and its default subnets. The log bucket is emptied on `pulumi destroy`: ALB log
 * objects would otherwise make its deletion fail.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_BODY, ALB_NOT_FOUND_BODY } from "../../handlers/lib/front-answers";
import { ALB_LOG_PREFIX, albAccessLogBucket } from "./alb-access-logs";
import type { FrontContext, FrontResult } from "./types";

/** The current ELB TLS policy: TLS 1.3 and 1.2 with forward secrecy (ELB guide, "Security policies"). */
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export function createAlbFront(ctx: FrontContext): FrontResult {
  const { name, parent, ingest } = ctx;
  const opts = { parent };
  const network = albNetwork(ctx);
  const https = ctx.certificateArn !== undefined;
  const ports = https ? [443, 80] : [80];
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-alb-sg`,
    {
      vpcId: network.vpcId,
      description: https
        ? "Public HTTPS (and HTTP, redirected) to the ingestion load balancer; Lambda targets need no egress"
        : "Public HTTP to the ingestion load balancer; Lambda targets need no egress",
      ingress: ports.map((port) => ({
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrBlocks: ["0.0.0.0/0"],
        ipv6CidrBlocks: ["::/0"],
      })),
      egress: [],
    },
    opts,
  );

  const notFound = [
    { type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "404", messageBody: ALB_NOT_FOUND_BODY } },
  ];
  const logs = albAccessLogBucket(ctx);
  const alb = new awsx.lb.ApplicationLoadBalancer(
    `${name}-alb`,
    {
      subnetIds: network.subnetIds,
      securityGroups: [securityGroup.id],
      dropInvalidHeaderFields: true,
      accessLogs: { bucket: logs.bucket.id, prefix: ALB_LOG_PREFIX, enabled: true },
      defaultTargetGroup: { targetType: "lambda", lambdaMultiValueHeadersEnabled: false },
      // The listeners are declared below, one per port: awsx names its own by position (`<name>-0`, `-1`).
      listeners: [],
    },
    { parent, dependsOn: [logs.policy] },
  );

  const targetGroupArn = alb.defaultTargetGroup.arn;
  const permission = new aws.lambda.Permission(
    `${name}-invoke-alb`,
    {
      action: "lambda:InvokeFunction",
      function: ingest.functionName,
      principal: "elasticloadbalancing.amazonaws.com",
      sourceArn: targetGroupArn,
    },
    opts,
  );
  new aws.lb.TargetGroupAttachment(
    `${name}-ingest-target`,
    {
      targetGroupArn,
      targetId: ingest.arn,
    },
    { parent, dependsOn: [permission] },
  );

  const listener = listenerFactory(ctx, alb);
  if (ctx.certificateArn === undefined) {
    const http = listener("http", { port: 80, protocol: "HTTP", defaultActions: notFound }, "0", []);
    routingRules(ctx, http.arn, targetGroupArn);
  } else {
    const tls = { certificateArn: ctx.certificateArn, sslPolicy: TLS_POLICY };
    const httpsListener = listener("https", { port: 443, protocol: "HTTPS", ...tls, defaultActions: notFound }, "0", []);
    const rules = routingRules(ctx, httpsListener.arn, targetGroupArn);
    // Port 80 turns into the redirect once HTTPS serves the routes; when it was the plaintext listener, its
    // update also waits for that (an in-place update: it stays the same listener on the same port).
    const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
    listener("http", { port: 80, protocol: "HTTP", defaultActions: redirect }, "1", [httpsListener, ...rules]);
  }

  return { url: pulumi.interpolate`${https ? "https" : "http"}://${alb.loadBalancer.dnsName}` };
}

type ListenerSettings = Omit<aws.lb.ListenerArgs, "loadBalancerArn">;

/**
 * Makes the load balancer's listener for one port (docs/day-2.md#alb-listeners): named by its protocol, so
 * the port-80 listener keeps its URN when a certificate is added or removed and is updated in place (port,
 * protocol, certificate and default actions all update; only the load balancer forces a new listener). A
 * create of a second listener on a port still in use fails (`DuplicateListener`). `awsxIndex` is the name awsx
 * gave the same listener before the program declared its own (`<alb>-<index>`, a child of the awsx component):
 * the alias keeps a deployed one instead of deleting it and creating it again on its own port. `after` orders
 * its create or update after what must exist first.
 */
function listenerFactory(ctx: FrontContext, alb: awsx.lb.ApplicationLoadBalancer) {
  return (protocol: "http" | "https", settings: ListenerSettings, awsxIndex: string, after: pulumi.Resource[]): aws.lb.Listener =>
    new aws.lb.Listener(
      `${ctx.name}-alb-${protocol}`,
      { loadBalancerArn: alb.loadBalancer.arn, ...settings },
      { parent: ctx.parent, aliases: [{ name: `${ctx.name}-alb-${awsxIndex}`, parent: alb }], dependsOn: after },
    );
}

/** `POST /records` forwarded to the ingest function, `GET /health` answered by the listener itself. */
function routingRules(ctx: FrontContext, listenerArn: pulumi.Input<string>, targetGroupArn: pulumi.Input<string>): aws.lb.ListenerRule[] {
  const opts = { parent: ctx.parent };
  return [
    new aws.lb.ListenerRule(
      `${ctx.name}-post-records`,
      {
        listenerArn,
        priority: 10,
        conditions: [{ pathPattern: { values: ["/records"] } }, { httpRequestMethod: { values: ["POST"] } }],
        actions: [{ type: "forward", targetGroupArn }],
      },
      opts,
    ),
    new aws.lb.ListenerRule(
      `${ctx.name}-get-health`,
      {
        listenerArn,
        priority: 20,
        conditions: [{ pathPattern: { values: ["/health"] } }, { httpRequestMethod: { values: ["GET"] } }],
        actions: [
          { type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "200", messageBody: HEALTH_BODY } },
        ],
      },
      opts,
    ),
  ];
}

/** The configured VPC and subnets, or the region's default VPC and its default subnets. */
function albNetwork(ctx: FrontContext): { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string[]> } {
  if (ctx.vpcId !== undefined && ctx.subnetIds !== undefined) return { vpcId: ctx.vpcId, subnetIds: [...ctx.subnetIds] };
  const opts = { parent: ctx.parent };
  const vpc = aws.ec2.getVpcOutput({ default: true }, opts);
  const subnets = aws.ec2.getSubnetsOutput(
    {
      filters: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "default-for-az", values: ["true"] },
      ],
    },
    opts,
  );
  return { vpcId: vpc.id, subnetIds: subnets.ids };
}
