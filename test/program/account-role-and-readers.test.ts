/**
 * Two plan rules of day 2: the Region-wide API Gateway CloudWatch role the stack may own is retained, never
 * deleted or reset by the stack; and the iterator-age alarms watch what each reader emits. Also the program
 * refuses a stack whose Region, or whose fan-out target's Region, it cannot write for (config/region-rules.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, ofType, runProgram, runStack, type RecordedResource } from "./harness";

type Raw = Record<string, unknown>;
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

function withApi(stack: "dev" | "prod", api: Raw): Raw {
  const raw = readStackFile(stack);
  return { ...raw, api: { ...(raw.api as Raw), ...api } };
}

describe("API Gateway account role: retained, never deleted or reset by the stack (CloudFormation AWS::ApiGateway::Account; Terraform AWS provider v6 upgrade guide: destroying aws_api_gateway_account resets the account settings)", () => {
  it("the role, its policy and the account setting are retained on delete (pulumi destroy, or createApiGatewayAccountRole turned off), not protected, not replaced delete-first", async () => {
    const resources = await runProgram(withApi("prod", { createApiGatewayAccountRole: true }), { stack: "prod" });
    const retained = { protect: false, retainOnDelete: true, deleteBeforeReplace: false };
    for (const [type, name] of [
      ["aws:iam/role:Role", "api-cloudwatch-role"],
      ["aws:iam/rolePolicy:RolePolicy", "api-cloudwatch-policy"],
      ["aws:apigateway/account:Account", "api-account"],
    ]) {
      expect([name, named(resources, type!, name!).options]).to.deep.equal([name, retained]);
    }
  });
});

describe("iterator age per reader (Kinesis guide: Monitor the Kinesis Data Streams service with Amazon CloudWatch; Lambda guide: Types of metrics for Lambda functions, IteratorAge)", () => {
  const efo = (consumers: Record<string, Raw>, fanOutConsumers: string[]): Raw => ({
    stream: { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers },
    consumers,
    observability: { iteratorAgeAlarmMs: 120_000 },
  });
  const metrics = (resources: readonly RecordedResource[]) =>
    ofType(resources, ALARM)
      .filter((a) => String(a.inputs.metricName).includes("IteratorAge"))
      .map((a) => [a.name, a.inputs.namespace, a.inputs.metricName, a.inputs.dimensions]);

  it("every consumer reads through enhanced fan-out: an alarm on each function's IteratorAge, none on GetRecords.IteratorAgeMilliseconds, which SubscribeToShard readers do not emit", async () => {
    const consumers = {
      forwarder: { handler: "forwarder", targetUrl: "https://example.com/in", fanOutConsumer: "forwarder-efo" },
      queue: { handler: "sqs", fanOutConsumer: "queue-efo" },
    };
    const resources = await runProgram(efo(consumers, ["forwarder-efo", "queue-efo"]), { stack: "dev" });
    expect(metrics(resources)).to.deep.equal([
      ["consumer-forwarder-iterator-age", "AWS/Lambda", "IteratorAge", { FunctionName: "kinesis-ingest-dev-forwarder" }],
      ["consumer-queue-iterator-age", "AWS/Lambda", "IteratorAge", { FunctionName: "kinesis-ingest-dev-queue" }],
    ]);
    expect(named(resources, ALARM, "consumer-queue-iterator-age").inputs).to.deep.include({ statistic: "Maximum", threshold: 120_000 });
  });

  it("a shared-throughput reader beside them: the stream's GetRecords alarm stays, as before", async () => {
    const consumers = {
      forwarder: { handler: "forwarder", targetUrl: "https://example.com/in", fanOutConsumer: "forwarder-efo" },
      queue: { handler: "sqs" },
    };
    const resources = await runProgram(efo(consumers, ["forwarder-efo"]), { stack: "dev" });
    expect(metrics(resources).map(([name, , metric]) => [name, metric])).to.deep.equal([
      ["stream-iterator-age", "GetRecords.IteratorAgeMilliseconds"],
      ["consumer-forwarder-iterator-age", "IteratorAge"],
      ["consumer-queue-iterator-age", "IteratorAge"],
    ]);
  });
});

describe("the program refuses what it cannot write ARNs for (IAM User Guide: ARNs, partition; SDK for JavaScript: Set the AWS Region)", () => {
  async function runError(raw: Raw, region: string): Promise<string> {
    try {
      await runStack(raw, { stack: "dev", region });
    } catch (error) {
      expect(error).to.be.instanceOf(pulumi.RunError);
      return (error as Error).message;
    }
    throw new Error("the program planned");
  }

  it("a stack in aws-cn: refused before any resource, naming the Region and its partition", async () => {
    expect(await runError(readStackFile("dev"), "cn-north-1")).to.contain(
      "the stack's Region `aws:region` cn-north-1 is in partition aws-cn: kinesis-ingest deploys to the aws partition only",
    );
  });

  it("a fan-out targetArn in another Region: refused, naming both Regions", async () => {
    const raw = { ...readStackFile("dev"), consumers: { out: { handler: "sns", targetArn: "arn:aws:sns:us-east-1:123456789012:orders" } } };
    expect(await runError(raw, "eu-west-1")).to.contain(
      "`consumers.out.targetArn` is in Region us-east-1, and the stack deploys to eu-west-1",
    );
  });
});
