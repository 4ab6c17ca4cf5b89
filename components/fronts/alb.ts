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
  // The routing rules attach to the first listener: the HTTPS one when there is a certificate.
  const listeners = https
    ? [
        { port: 443, protocol: "HTTPS", certificateArn: ctx.certificateArn, sslPolicy: TLS_POLICY, defaultActions: notFound },
        {
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        },
      ]
    : [{ port: 80, protocol: "HTTP", defaultActions: notFound }];

  const logs = accessLogBucket(ctx);
  const alb = new awsx.lb.ApplicationLoadBalancer(
    `${name}-alb`,
    {
      subnetIds: network.subnetIds,
      securityGroups: [securityGroup.id],
      dropInvalidHeaderFields: true,
      accessLogs: { bucket: logs.bucket.id, prefix: "alb", enabled: true },
      defaultTargetGroup: { targetType: "lambda", lambdaMultiValueHeadersEnabled: false },
      listeners,
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

  const listenerArn = alb.listeners.apply((listeners) => {
    if (!listeners || listeners.length === 0) throw new Error("the load balancer has no listener");
    return listeners[0].arn;
  });
  new aws.lb.ListenerRule(
    `${name}-post-records`,
    {
      listenerArn,
      priority: 10,
      conditions: [{ pathPattern: { values: ["/records"] } }, { httpRequestMethod: { values: ["POST"] } }],
      actions: [{ type: "forward", targetGroupArn }],
    },
    opts,
  );
  new aws.lb.ListenerRule(
    `${name}-get-health`,
    {
      listenerArn,
      priority: 20,
      conditions: [{ pathPattern: { values: ["/health"] } }, { httpRequestMethod: { values: ["GET"] } }],
      actions: [
        { type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "200", messageBody: HEALTH_BODY } },
      ],
    },
    opts,
  );

  return { url: pulumi.interpolate`${https ? "https" : "http"}://${alb.loadBalancer.dnsName}` };
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

function accessLogBucket(ctx: FrontContext): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
  const { name, parent } = ctx;
  const opts = { parent };
  // The stack owns the bucket and its logs expire anyway: without forceDestroy, `pulumi destroy` fails on a non-empty bucket.
  const bucket = new aws.s3.Bucket(`${name}-alb-logs`, { forceDestroy: true }, opts);
  new aws.s3.BucketPublicAccessBlock(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  // ALB access logs support only SSE-S3 encryption.
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: "alb/" }, expiration: { days: ctx.logRetentionDays } }],
    },
    opts,
  );
  // ELB guide, "Enable access logs": Regions launched before August 2022 deliver as the Region's ELB account,
  // later ones as the log delivery service principal; grant both so the stack works in either kind.
  const elbAccount = aws.elb.getServiceAccountOutput({}, { parent });
  const logObjects = pulumi.interpolate`${bucket.arn}/alb/*`;
  const policy = new aws.s3.BucketPolicy(
    `${name}-alb-logs`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AlbAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: logObjects,
          },
          {
            Sid: "AlbAccessLogDeliveryByRegionAccount",
            Effect: "Allow",
            Principal: { AWS: elbAccount.arn },
            Action: "s3:PutObject",
            Resource: logObjects,
          },
        ],
      }),
    },
    opts,
  );
  return { bucket, policy };
}
