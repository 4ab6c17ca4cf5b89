/** The SDK clients doctor calls in the stack's region, with the usual credential chain. */
import { ACMClient } from "@aws-sdk/client-acm";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { DoctorClients } from "./types";

/** One client per service in `region`. */
export function doctorClients(region: string): DoctorClients {
  return {
    lambda: new LambdaClient({ region }),
    apiGateway: new APIGatewayClient({ region }),
    ec2: new EC2Client({ region }),
    acm: new ACMClient({ region }),
    kinesis: new KinesisClient({ region }),
    sqs: new SQSClient({ region }),
    sns: new SNSClient({ region }),
    eventBridge: new EventBridgeClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
    logs: new CloudWatchLogsClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
    iam: new IAMClient({ region }),
  };
}

/** Closes every client's connections. */
export function destroyClients(clients: DoctorClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
