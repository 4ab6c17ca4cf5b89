/** What the doctor tests share: mocked SDK clients (aws-sdk-client-mock), a plan from raw values, AWS's error answers. */
import { ACMClient } from "@aws-sdk/client-acm";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient, ResourceNotFoundException as DynamoDBNotFound } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient, ResourceNotFoundException as EventBridgeNotFound } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { KinesisClient, ResourceNotFoundException as KinesisNotFound } from "@aws-sdk/client-kinesis";
import { LambdaClient, ResourceNotFoundException as LambdaNotFound } from "@aws-sdk/client-lambda";
import { SNSClient } from "@aws-sdk/client-sns";
import { QueueDoesNotExist, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { validateStackConfig } from "../../config";
import type { RawObject } from "../../config/rules";
import { doctorPlan } from "../../doctor/plan";
import type { DoctorClients, DoctorPlan } from "../../doctor/types";

const REGION = "eu-west-1";

/** Real clients with every command answered by a mock. */
export function mockedClients() {
  const clients: DoctorClients = {
    lambda: new LambdaClient({ region: REGION }),
    apiGateway: new APIGatewayClient({ region: REGION }),
    ec2: new EC2Client({ region: REGION }),
    acm: new ACMClient({ region: REGION }),
    kinesis: new KinesisClient({ region: REGION }),
    sqs: new SQSClient({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    eventBridge: new EventBridgeClient({ region: REGION }),
    dynamodb: new DynamoDBClient({ region: REGION }),
    logs: new CloudWatchLogsClient({ region: REGION }),
    cloudwatch: new CloudWatchClient({ region: REGION }),
    iam: new IAMClient({ region: REGION }),
  };
  const mocks = {
    lambda: mockClient(clients.lambda),
    apiGateway: mockClient(clients.apiGateway),
    ec2: mockClient(clients.ec2),
    acm: mockClient(clients.acm),
    kinesis: mockClient(clients.kinesis),
    sqs: mockClient(clients.sqs),
    sns: mockClient(clients.sns),
    eventBridge: mockClient(clients.eventBridge),
    dynamodb: mockClient(clients.dynamodb),
    logs: mockClient(clients.logs),
    cloudwatch: mockClient(clients.cloudwatch),
    iam: mockClient(clients.iam),
  };
  return { clients, mocks };
}

/** The plan of `raw` for stack `dev`, with `front` merged into its `api` keys (`api.accessLogs`, `api.certificateArn`, …). */
export function planOf(raw: RawObject, front: RawObject = {}, stack = "dev", deployed = false): DoctorPlan {
  const api = typeof raw.api === "object" && raw.api !== null ? raw.api : {};
  return doctorPlan(stack, REGION, validateStackConfig({ ...raw, api: { ...api, ...front } }), deployed);
}

export const lambdaNotFound = () => new LambdaNotFound({ message: "Function not found", $metadata: {} });
export const kinesisNotFound = () => new KinesisNotFound({ message: "Stream not found", $metadata: {} });
export const tableNotFound = () => new DynamoDBNotFound({ message: "Requested resource not found", $metadata: {} });
export const busNotFound = () => new EventBridgeNotFound({ message: "Event bus orders does not exist.", $metadata: {} });
export const queueNotFound = () => new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} });

/** What IAM answers a caller without the permission, as the SDK raises it. */
export function accessDenied(action: string): Error {
  return Object.assign(new Error(`User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ${action}`), {
    name: "AccessDeniedException",
  });
}

/** An IAM role as GetRole returns it, its trust policy URL-encoded, trusting `service`. */
export function apiGatewayRole(name: string, service = "apigateway.amazonaws.com") {
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] };
  return {
    RoleName: name,
    Path: "/",
    RoleId: "AROAEXAMPLEROLEID0001",
    Arn: `arn:aws:iam::123456789012:role/${name}`,
    CreateDate: new Date("2026-01-01T00:00:00Z"),
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
  };
}
