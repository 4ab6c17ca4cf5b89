/**
 * Each preflight check against the account's answers (aws-sdk-client-mock): pass, the failure it exists
 * for with its fix, skipped where it does not apply, and access denied reported as an error row.
 */
import { expect } from "chai";
import { DescribeCertificateCommand, ResourceNotFoundException as AcmNotFound } from "@aws-sdk/client-acm";
import { GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeLimitsCommand, DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetAccountSettingsCommand, GetFunctionCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { checkAlbNetwork } from "../../doctor/alb-network";
import { checkApiGatewayRole } from "../../doctor/api-gateway-role";
import { checkCertificate } from "../../doctor/certificate";
import { checkConcurrency } from "../../doctor/concurrency";
import { checkNamesTaken } from "../../doctor/names-taken";
import { checkShardQuota } from "../../doctor/shard-quota";
import { accessDenied, apiGatewayRole, kinesisNotFound, lambdaNotFound, mockedClients, planOf, queueNotFound } from "./support";

const forwarder = (extra: Record<string, unknown> = {}) => ({ forwarder: { handler: "forwarder", ...extra } });
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab";

describe("doctor: lambda concurrency (Lambda guide: Configuring reserved concurrency; API GetAccountSettings)", () => {
  const plan = planOf({
    consumers: { ...forwarder({ reservedConcurrency: 40 }), archiver: { handler: "forwarder", reservedConcurrency: 10 } },
  });

  it("passes when the unreserved concurrency minus the 100 Lambda keeps covers the stack's reservations", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 150 } });
    mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(lambdaNotFound());
    expect(await checkConcurrency(plan, clients)).to.deep.equal([
      {
        check: "lambda concurrency",
        status: "pass",
        fix: "",
        detail:
          "the stack reserves 50 (`consumers.forwarder.reservedConcurrency` 40, `consumers.archiver.reservedConcurrency` 10); the account's quota is 1000, 150 unreserved, of which 100 must stay unreserved",
      },
    ]);
  });

  it("fails when the quota is too low (a new account's 10), naming the keys and the quota request", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 } });
    mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(lambdaNotFound());
    expect(await checkConcurrency(plan, clients)).to.deep.equal([
      {
        check: "lambda concurrency",
        status: "fail",
        detail:
          "the stack reserves 50 (`consumers.forwarder.reservedConcurrency` 40, `consumers.archiver.reservedConcurrency` 10); the account's quota is 10, 10 unreserved, of which 100 must stay unreserved: 0 can be reserved",
        fix: "lower or remove `consumers.forwarder.reservedConcurrency`, `consumers.archiver.reservedConcurrency`, or raise the quota: aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 150 --region eu-west-1",
      },
    ]);
  });

  it("counts what the stack's functions already reserve as its own (an update replaces it)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 110 } });
    mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(lambdaNotFound());
    mocks.lambda
      .on(GetFunctionConcurrencyCommand, { FunctionName: "kinesis-ingest-dev-forwarder" })
      .resolves({ ReservedConcurrentExecutions: 40 });
    const [row] = await checkConcurrency(plan, clients);
    expect([row?.status, row?.detail]).to.deep.equal([
      "pass",
      "the stack reserves 50 (`consumers.forwarder.reservedConcurrency` 40, `consumers.archiver.reservedConcurrency` 10); the account's quota is 1000, 110 unreserved (+40 the stack's functions already reserve), of which 100 must stay unreserved",
    ]);
  });

  it("is skipped when no function reserves concurrency", async () => {
    const { clients } = mockedClients();
    expect(await checkConcurrency(planOf({ consumers: forwarder() }), clients)).to.deep.equal([
      { check: "lambda concurrency", status: "skipped", detail: "no function of the stack reserves concurrency", fix: "" },
    ]);
  });

  it("reports access denied as an error row naming the action", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetAccountSettingsCommand).rejects(accessDenied("lambda:GetAccountSettings"));
    expect(await checkConcurrency(plan, clients)).to.deep.equal([
      {
        check: "lambda concurrency",
        status: "error",
        detail:
          "lambda:GetAccountSettings failed: AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: lambda:GetAccountSettings",
        fix: "allow lambda:GetAccountSettings for the caller (doctor only reads)",
      },
    ]);
  });
});

describe("doctor: api gateway cloudwatch role (API Gateway guide: Set up CloudWatch logging for REST APIs)", () => {
  const rest = { api: { front: "rest-api" } };

  it("passes when the account has a role that exists and trusts apigateway.amazonaws.com", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: "arn:aws:iam::123456789012:role/apigw-logs" });
    mocks.iam.on(GetRoleCommand, { RoleName: "apigw-logs" }).resolves({ Role: apiGatewayRole("apigw-logs") });
    expect(await checkApiGatewayRole(planOf(rest), clients)).to.deep.equal([
      {
        check: "api gateway cloudwatch role",
        status: "pass",
        detail: "the account's role is arn:aws:iam::123456789012:role/apigw-logs, trusted by apigateway.amazonaws.com",
        fix: "",
      },
    ]);
  });

  it("fails when the role is missing, with the keys and the command that set it", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({});
    expect(await checkApiGatewayRole(planOf(rest), clients)).to.deep.equal([
      {
        check: "api gateway cloudwatch role",
        status: "fail",
        detail: "no API Gateway CloudWatch role is set in eu-west-1: creating the REST stage with access logs would fail",
        fix: "set `api.createApiGatewayAccountRole: true` (the stack creates and sets the role), or `api.accessLogs: false`, or set an existing role that trusts apigateway.amazonaws.com: aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN> --region eu-west-1",
      },
    ]);
  });

  it("is skipped off the REST front, without access logs, and when the stack creates the role: no call is made", async () => {
    const { clients, mocks } = mockedClients();
    const rows = [
      ...(await checkApiGatewayRole(planOf({}), clients)),
      ...(await checkApiGatewayRole(planOf(rest, { accessLogs: false }), clients)),
      ...(await checkApiGatewayRole(planOf(rest, { createApiGatewayAccountRole: true }), clients)),
    ];
    expect(rows.map((r) => [r.status, r.detail])).to.deep.equal([
      ["skipped", "`api.front` is http-api: only a REST stage needs the account's role"],
      ["skipped", "`api.accessLogs` is false: the stage writes no access logs"],
      ["skipped", "`api.createApiGatewayAccountRole` is true: the stack sets the role itself"],
    ]);
    expect(mocks.apiGateway.calls()).to.have.length(0);
  });

  it("reports access denied as an error row", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).rejects(accessDenied("apigateway:GET"));
    const [row] = await checkApiGatewayRole(planOf(rest), clients);
    expect([row?.status, row?.fix]).to.deep.equal(["error", "allow apigateway:GET (GetAccount) for the caller (doctor only reads)"]);
  });
});

describe("doctor: alb network (ELB API CreateLoadBalancer: subnets in at least two Availability Zones)", () => {
  const alb = { api: { front: "alb", auth: "none" } };
  const subnet = (SubnetId: string, AvailabilityZone: string, VpcId = "vpc-01010101") => ({ SubnetId, AvailabilityZone, VpcId });

  it("passes on the default VPC when no subnets are configured and its default subnets span two zones", async () => {
    const { clients, mocks } = mockedClients();
    mocks.ec2
      .on(DescribeVpcsCommand, { Filters: [{ Name: "isDefault", Values: ["true"] }] })
      .resolves({ Vpcs: [{ VpcId: "vpc-default", IsDefault: true }] });
    mocks.ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet("subnet-0a0a0a0a", "eu-west-1a", "vpc-default"), subnet("subnet-0b0b0b0b", "eu-west-1b", "vpc-default")],
    });
    expect(await checkAlbNetwork(planOf(alb), clients)).to.deep.equal([
      {
        check: "alb network",
        status: "pass",
        detail: "no `api.subnetIds`: the ALB goes in the default VPC vpc-default, its default subnets in eu-west-1a, eu-west-1b",
        fix: "",
      },
    ]);
  });

  it("fails when the region has no default VPC", async () => {
    const { clients, mocks } = mockedClients();
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    expect(await checkAlbNetwork(planOf(alb), clients)).to.deep.equal([
      {
        check: "alb network",
        status: "fail",
        detail: "no `api.subnetIds` and no default VPC in eu-west-1",
        fix: "set `api.subnetIds` (subnets in ≥ 2 Availability Zones) and `api.vpcId`, or create a default VPC: aws ec2 create-default-vpc --region eu-west-1",
      },
    ]);
  });

  it("checks configured subnets: in two zones passes; one zone, another VPC or a missing subnet fails", async () => {
    const { clients, mocks } = mockedClients();
    const front = (subnetIds: string[]) => ({ subnetIds, vpcId: "vpc-01010101" });
    mocks.ec2
      .on(DescribeSubnetsCommand, { SubnetIds: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"] })
      .resolves({ Subnets: [subnet("subnet-0a0a0a0a", "eu-west-1a"), subnet("subnet-0b0b0b0b", "eu-west-1b")] });
    mocks.ec2
      .on(DescribeSubnetsCommand, { SubnetIds: ["subnet-0a0a0a0a", "subnet-0a2a2a2a"] })
      .resolves({ Subnets: [subnet("subnet-0a0a0a0a", "eu-west-1a"), subnet("subnet-0a2a2a2a", "eu-west-1a")] });
    mocks.ec2
      .on(DescribeSubnetsCommand, { SubnetIds: ["subnet-0a0a0a0a", "subnet-0c0c0c0c"] })
      .resolves({ Subnets: [subnet("subnet-0a0a0a0a", "eu-west-1a"), subnet("subnet-0c0c0c0c", "eu-west-1b", "vpc-02020202")] });
    mocks.ec2
      .on(DescribeSubnetsCommand, { SubnetIds: ["subnet-0a0a0a0a", "subnet-0d0d0d0d"] })
      .rejects(Object.assign(new Error("The subnet ID 'subnet-0d0d0d0d' does not exist"), { name: "InvalidSubnetID.NotFound" }));
    const rows = [];
    for (const ids of [
      ["subnet-0a0a0a0a", "subnet-0b0b0b0b"],
      ["subnet-0a0a0a0a", "subnet-0a2a2a2a"],
      ["subnet-0a0a0a0a", "subnet-0c0c0c0c"],
      ["subnet-0a0a0a0a", "subnet-0d0d0d0d"],
    ]) {
      rows.push(...(await checkAlbNetwork(planOf(alb, front(ids)), clients)));
    }
    expect(rows.map((r) => [r.status, r.detail])).to.deep.equal([
      ["pass", "2 subnets in eu-west-1a, eu-west-1b"],
      ["fail", "`api.subnetIds` span 1 Availability Zone (eu-west-1a); an ALB needs subnets in at least 2"],
      ["fail", "`api.subnetIds`: subnet-0c0c0c0c is in vpc-02020202, not in `api.vpcId` vpc-01010101"],
      ["fail", "`api.subnetIds`: The subnet ID 'subnet-0d0d0d0d' does not exist"],
    ]);
    expect(rows[1]?.fix).to.equal("set `api.subnetIds` to existing subnets of `api.vpcId` in ≥ 2 Availability Zones");
  });

  it("is skipped off the ALB front", async () => {
    const { clients } = mockedClients();
    expect((await checkAlbNetwork(planOf({}), clients))[0]).to.deep.equal({
      check: "alb network",
      status: "skipped",
      detail: "`api.front` is http-api",
      fix: "",
    });
  });

  it("reports access denied as an error row", async () => {
    const { clients, mocks } = mockedClients();
    mocks.ec2
      .on(DescribeVpcsCommand)
      .rejects(Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation" }));
    const [row] = await checkAlbNetwork(planOf(alb), clients);
    expect([row?.status, row?.detail]).to.deep.equal([
      "error",
      "ec2:DescribeVpcs failed: UnauthorizedOperation: You are not authorized to perform this operation.",
    ]);
  });
});

describe("doctor: alb certificate (ACM API reference: CertificateDetail Status)", () => {
  const alb = { api: { front: "alb", auth: "none" } };

  it("passes for an ISSUED certificate", async () => {
    const { clients, mocks } = mockedClients();
    mocks.acm
      .on(DescribeCertificateCommand, { CertificateArn: CERT })
      .resolves({ Certificate: { DomainName: "ingest.example.com", Status: "ISSUED" } });
    expect(await checkCertificate(planOf(alb, { certificateArn: CERT }), clients)).to.deep.equal([
      { check: "alb certificate", status: "pass", detail: "ingest.example.com is ISSUED", fix: "" },
    ]);
  });

  it("fails for a certificate still PENDING_VALIDATION, pointing at its validation records", async () => {
    const { clients, mocks } = mockedClients();
    mocks.acm.on(DescribeCertificateCommand).resolves({ Certificate: { DomainName: "ingest.example.com", Status: "PENDING_VALIDATION" } });
    expect(await checkCertificate(planOf(alb, { certificateArn: CERT }), clients)).to.deep.equal([
      {
        check: "alb certificate",
        status: "fail",
        detail: "ingest.example.com is PENDING_VALIDATION, not ISSUED",
        fix: `complete its validation (the DNS records: aws acm describe-certificate --certificate-arn ${CERT} --region eu-west-1)`,
      },
    ]);
  });

  it("fails for a certificate that does not exist, or is in another region (no call made)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.acm.on(DescribeCertificateCommand).rejects(new AcmNotFound({ message: "Could not find certificate", $metadata: {} }));
    const other = CERT.replace("eu-west-1", "us-east-1");
    const rows = [
      ...(await checkCertificate(planOf(alb, { certificateArn: CERT }), clients)),
      ...(await checkCertificate(planOf(alb, { certificateArn: other }), clients)),
    ];
    expect(rows.map((r) => [r.status, r.detail])).to.deep.equal([
      ["fail", `\`api.certificateArn\` ${CERT}: Could not find certificate`],
      ["fail", "`api.certificateArn` is in us-east-1, the stack deploys to eu-west-1"],
    ]);
    expect(mocks.acm.calls()).to.have.length(1);
  });

  it("is skipped without a certificate ARN", async () => {
    const { clients } = mockedClients();
    expect((await checkCertificate(planOf(alb), clients))[0]?.status).to.equal("skipped");
  });
});

describe("doctor: kinesis shard quota (Kinesis API reference: DescribeLimits)", () => {
  it("passes with room for the stream's shards, counting an existing stream's own shards", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis
      .on(DescribeLimitsCommand)
      .resolves({ ShardLimit: 10, OpenShardCount: 9, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 });
    mocks.kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { OpenShardCount: 4 } as never });
    expect(await checkShardQuota(planOf({ stream: { shards: 4 } }), clients)).to.deep.equal([
      {
        check: "kinesis shard quota",
        status: "pass",
        detail: "the stream needs 4 shards; 9 of 10 are open in the account (4 of them already the stream's)",
        fix: "",
      },
    ]);
  });

  it("fails when the shard quota is too low", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis
      .on(DescribeLimitsCommand)
      .resolves({ ShardLimit: 200, OpenShardCount: 198, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 });
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    expect(await checkShardQuota(planOf({ stream: { shards: 4 } }), clients)).to.deep.equal([
      {
        check: "kinesis shard quota",
        status: "fail",
        detail: "the stream needs 4 shards; 198 of 200 are open in the account: room for 2",
        fix: 'lower `stream.shards` to at most 2, set `stream.mode: on-demand`, or request a higher shard quota (Service Quotas, Kinesis Data Streams "Shards per Region")',
      },
    ]);
  });

  it("on-demand: fails when the on-demand stream quota is used up", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis
      .on(DescribeLimitsCommand)
      .resolves({ ShardLimit: 200, OpenShardCount: 0, OnDemandStreamCount: 50, OnDemandStreamCountLimit: 50 });
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    const [row] = await checkShardQuota(planOf({ stream: { mode: "on-demand" } }), clients);
    expect([row?.status, row?.detail]).to.deep.equal(["fail", "50 of 50 on-demand streams in use: no room for kinesis-ingest-dev"]);
  });

  it("reports access denied as an error row", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis.on(DescribeLimitsCommand).rejects(accessDenied("kinesis:DescribeLimits"));
    const [row] = await checkShardQuota(planOf({}), clients);
    expect([row?.status, row?.fix]).to.deep.equal(["error", "allow kinesis:DescribeLimits for the caller (doctor only reads)"]);
  });
});

describe("doctor: names taken (Lambda GetFunction, SQS GetQueueUrl, Kinesis DescribeStreamSummary)", () => {
  it("one row per function, queue and stream name of config/names.ts; an existing one fails with rename-or-import", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetFunctionCommand).rejects(lambdaNotFound());
    mocks.lambda
      .on(GetFunctionCommand, { FunctionName: "kinesis-ingest-dev-forwarder" })
      .resolves({ Configuration: { FunctionName: "kinesis-ingest-dev-forwarder" } });
    mocks.sqs.on(GetQueueUrlCommand).rejects(queueNotFound());
    mocks.kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { StreamName: "kinesis-ingest-dev" } as never });
    const rows = await checkNamesTaken(planOf({ consumers: forwarder() }), clients);
    expect(rows.map((r) => [r.check, r.status])).to.deep.equal([
      ["function name kinesis-ingest-dev-ingest", "pass"],
      ["function name kinesis-ingest-dev-authorizer", "pass"],
      ["function name kinesis-ingest-dev-forwarder", "fail"],
      ["queue name kinesis-ingest-dev-forwarder-dlq", "pass"],
      ["stream name kinesis-ingest-dev", "fail"],
    ]);
    expect(rows[2]).to.deep.equal({
      check: "function name kinesis-ingest-dev-forwarder",
      status: "fail",
      detail: "exists: if it is not this stack's, `pulumi up` cannot create it",
      fix: "rename (another stack name, or consumer name in `consumers`) or import it: pulumi import aws:lambda/function:Function <resource name> kinesis-ingest-dev-forwarder",
    });
  });

  it("--deployed: the stack's own names existing pass", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetFunctionCommand).resolves({});
    mocks.sqs
      .on(GetQueueUrlCommand)
      .resolves({ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/kinesis-ingest-dev-forwarder-dlq" });
    mocks.kinesis.on(DescribeStreamSummaryCommand).resolves({});
    const rows = await checkNamesTaken(planOf({ consumers: forwarder() }, {}, "dev", true), clients);
    expect(rows.map((r) => [r.status, r.detail])).to.deep.equal(Array(5).fill(["pass", "exists (the deployed stack's own, --deployed)"]));
  });

  it("an ALB front with token auth has no authorizer function to check", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetFunctionCommand).rejects(lambdaNotFound());
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    const plan = planOf({ api: { front: "alb", auth: "token", allowPlaintext: true } });
    const rows = await checkNamesTaken(plan, clients);
    expect(rows.map((r) => r.check)).to.deep.equal(["function name kinesis-ingest-dev-ingest", "stream name kinesis-ingest-dev"]);
  });

  it("reports access denied per name as an error row", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetFunctionCommand).rejects(lambdaNotFound());
    mocks.sqs.on(GetQueueUrlCommand).rejects(accessDenied("sqs:getqueueurl"));
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    const rows = await checkNamesTaken(planOf({ consumers: forwarder() }), clients);
    expect(rows.find((r) => r.check.startsWith("queue"))).to.deep.include({
      status: "error",
      fix: "allow sqs:GetQueueUrl for the caller (doctor only reads)",
    });
  });
});
