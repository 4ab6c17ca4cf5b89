/**
 * What the account must already hold for `pulumi up` to work, beyond its existing: the API Gateway CloudWatch
 * role the account setting names must exist and trust API Gateway, and the default VPC the ALB goes into
 * must have default subnets in two Availability Zones.
 */
import { expect } from "chai";
import { GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetRoleCommand, NoSuchEntityException } from "@aws-sdk/client-iam";
import { checkAlbNetwork } from "../../doctor/alb-network";
import { checkApiGatewayRole } from "../../doctor/api-gateway-role";
import { accessDenied, apiGatewayRole, mockedClients, planOf } from "./support";

const ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/apigw-logs";
const FIX =
  "set `api.createApiGatewayAccountRole: true` (the stack creates and sets the role), or `api.accessLogs: false`, or set an existing role that trusts apigateway.amazonaws.com: " +
  "aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN> --region eu-west-1";

describe("doctor: the API Gateway account's CloudWatch role exists and trusts API Gateway (API Gateway guide: Set up CloudWatch logging for REST APIs; IAM API GetRole)", () => {
  const rest = planOf({ api: { front: "rest-api" } });

  it("fails for a stale role ARN: the setting names a role that was deleted (GetRole NoSuchEntity), by its name without the path", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE_ARN });
    mocks.iam
      .on(GetRoleCommand, { RoleName: "apigw-logs" })
      .rejects(new NoSuchEntityException({ message: "The role with name apigw-logs cannot be found.", $metadata: {} }));
    expect(await checkApiGatewayRole(rest, clients)).to.deep.equal([
      {
        check: "api gateway cloudwatch role",
        status: "fail",
        detail: `the account's role ${ROLE_ARN} does not exist (deleted after it was set): REST stage logging fails`,
        fix: FIX,
      },
    ]);
  });

  it("fails for a role that does not trust apigateway.amazonaws.com (API Gateway cannot assume it)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE_ARN });
    mocks.iam.on(GetRoleCommand).resolves({ Role: apiGatewayRole("apigw-logs", "lambda.amazonaws.com") });
    const [row] = await checkApiGatewayRole(rest, clients);
    expect([row?.status, row?.detail]).to.deep.equal([
      "fail",
      `the account's role ${ROLE_ARN} does not trust apigateway.amazonaws.com: API Gateway cannot assume it to write logs`,
    ]);
  });

  it("accepts a trust policy naming the service in a list and the action as a list", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE_ARN });
    const trust = {
      Statement: [
        { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "apigateway.amazonaws.com"] }, Action: ["sts:AssumeRole"] },
      ],
    };
    mocks.iam
      .on(GetRoleCommand)
      .resolves({ Role: { ...apiGatewayRole("apigw-logs"), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) } });
    expect((await checkApiGatewayRole(rest, clients))[0]?.status).to.equal("pass");
  });

  it("reports GetRole refused as an error row naming iam:GetRole", async () => {
    const { clients, mocks } = mockedClients();
    mocks.apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE_ARN });
    mocks.iam.on(GetRoleCommand).rejects(accessDenied("iam:GetRole"));
    const [row] = await checkApiGatewayRole(rest, clients);
    expect([row?.status, row?.fix]).to.deep.equal(["error", "allow iam:GetRole for the caller (doctor only reads)"]);
  });
});

describe("doctor: the default VPC's default subnets span two Availability Zones (ELB API CreateLoadBalancer: Subnets; EC2 DescribeSubnets default-for-az)", () => {
  const alb = planOf({ api: { front: "alb", auth: "none" } });
  const subnet = (SubnetId: string, AvailabilityZone: string) => ({ SubnetId, AvailabilityZone, VpcId: "vpc-default", DefaultForAz: true });

  function defaultVpcWith(subnets: ReturnType<typeof subnet>[]) {
    const { clients, mocks } = mockedClients();
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: "vpc-default", IsDefault: true }] });
    mocks.ec2
      .on(DescribeSubnetsCommand, {
        Filters: [
          { Name: "vpc-id", Values: ["vpc-default"] },
          { Name: "default-for-az", Values: ["true"] },
        ],
      })
      .resolves({ Subnets: subnets });
    return clients;
  }

  it("fails when the default subnets are in one zone (the others deleted), with the command that recreates them", async () => {
    const [row] = await checkAlbNetwork(alb, defaultVpcWith([subnet("subnet-0a0a0a0a", "eu-west-1a")]));
    expect(row).to.deep.equal({
      check: "alb network",
      status: "fail",
      detail:
        "no `api.subnetIds`: the ALB goes in the default VPC vpc-default, whose default subnets span 1 Availability Zone (eu-west-1a); an ALB needs subnets in at least 2",
      fix: "create the missing default subnets (aws ec2 create-default-subnet --availability-zone <zone> --region eu-west-1), or set `api.subnetIds` (subnets in ≥ 2 Availability Zones) and `api.vpcId`",
    });
  });

  it("fails when the default VPC has no default subnet at all", async () => {
    const [row] = await checkAlbNetwork(alb, defaultVpcWith([]));
    expect([row?.status, row?.detail]).to.deep.equal([
      "fail",
      "no `api.subnetIds`: the ALB goes in the default VPC vpc-default, whose default subnets span 0 Availability Zones; an ALB needs subnets in at least 2",
    ]);
  });

  it("passes with default subnets in three zones", async () => {
    const clients = defaultVpcWith([
      subnet("subnet-0a0a0a0a", "eu-west-1a"),
      subnet("subnet-0b0b0b0b", "eu-west-1b"),
      subnet("subnet-0c0c0c0c", "eu-west-1c"),
    ]);
    const [row] = await checkAlbNetwork(alb, clients);
    expect([row?.status, row?.detail]).to.deep.equal([
      "pass",
      "no `api.subnetIds`: the ALB goes in the default VPC vpc-default, its default subnets in eu-west-1a, eu-west-1b, eu-west-1c",
    ]);
  });
});
