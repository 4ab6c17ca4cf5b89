/** What the doctor tests share: mocked SDK clients (aws-sdk-client-mock), a plan from raw values, AWS's error answers. */
import { ACMClient } from "@aws-sdk/client-acm";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KinesisClient, ResourceNotFoundException as KinesisNotFound } from "@aws-sdk/client-kinesis";
import { LambdaClient, ResourceNotFoundException as LambdaNotFound } from "@aws-sdk/client-lambda";
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
  };
  const mocks = {
    lambda: mockClient(clients.lambda),
    apiGateway: mockClient(clients.apiGateway),
    ec2: mockClient(clients.ec2),
    acm: mockClient(clients.acm),
    kinesis: mockClient(clients.kinesis),
    sqs: mockClient(clients.sqs),
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
export const queueNotFound = () => new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} });

/** What IAM answers a caller without the permission, as the SDK raises it. */
export function accessDenied(action: string): Error {
  return Object.assign(new Error(`User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ${action}`), {
    name: "AccessDeniedException",
  });
}
