/**
 * The plan of the fan-out consumers: each target the program creates (SQS queue with SQS-managed SSE and the
 * 1 MiB SendMessageBatch message size, SNS topic on alias/aws/sns, a custom EventBridge bus), named within its
 * service's rules, with its alarm, and the function's one least-privilege statement on it (SQS
 * SendMessageBatch, SNS PublishBatch and "Key management", EventBridge PutEvents pages); existing targets by
 * `targetArn`; the default bus.
 */
import { expect } from "chai";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { named, ofType, runProgram, runStack, type RecordedResource } from "./harness";

type Statement = { Sid: string; Action: string[]; Resource: string[] };

function statementsOf(resources: readonly RecordedResource[], consumer: string): Statement[] {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`);
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

/** The statements beyond the ones every consumer has (stream, on-failure queue, logs, X-Ray). */
function targetStatements(resources: readonly RecordedResource[], consumer: string): Statement[] {
  const common = new Set(["ReadStream", "SendToOnFailureQueue", "WriteOwnLogs", "XRayTraces"]);
  return statementsOf(resources, consumer).filter((s) => !common.has(s.Sid));
}

/** The variables beyond the one every consumer has (its on-failure queue's URL: test/program/poison-records.test.ts). */
function variablesOf(resources: readonly RecordedResource[], consumer: string): Record<string, string> {
  const fn = named(resources, "aws:lambda/function:Function", `consumer-${consumer}-fn-function`);
  const { ON_FAILURE_QUEUE_URL: queueUrl, ...variables } = (fn.inputs.environment as { variables: Record<string, string> }).variables;
  expect(queueUrl).to.equal(`https://sqs.eu-west-1.amazonaws.com/123456789012/kinesis-ingest-dev-${consumer}-dlq`);
  return variables;
}

const ACCOUNT = "123456789012";
const ALARMS = { observability: { alarmEmail: "ops@example.com" } };

describe("program: fan-out consumers (sqs, sns, eventbridge)", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await runProgram(
      {
        ...ALARMS,
        consumers: {
          queue: { handler: "sqs" },
          ordered: { handler: "sqs", fifo: true },
          topic: { handler: "sns" },
          bus: { handler: "eventbridge" },
        },
      },
      { stack: "dev" },
    );
  });

  it("names each kind's function after the consumer, without a config secret or a request timeout", () => {
    for (const consumer of ["queue", "topic", "bus"]) {
      const fn = named(resources, "aws:lambda/function:Function", `consumer-${consumer}-fn-function`);
      expect(fn.inputs.name).to.equal(`kinesis-ingest-dev-${consumer}`);
      expect(variablesOf(resources, consumer)).to.not.have.any.keys("CONFIG_SECRET_ID", "REQUEST_TIMEOUT_MS");
    }
    expect(ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => s.name)).to.deep.equal(["api-tokens-secret"]);
  });

  it("creates an SQS queue with SQS-managed SSE and the 1 MiB message size (SQS SendMessageBatch); FIFO ends .fifo", () => {
    const queue = named(resources, "aws:sqs/queue:Queue", "consumer-queue-target-queue");
    expect(queue.inputs).to.deep.include({
      name: "kinesis-ingest-dev-queue",
      maxMessageSize: 1_048_576,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
    });
    expect(queue.inputs.fifoQueue).to.equal(undefined);
    const fifo = named(resources, "aws:sqs/queue:Queue", "consumer-ordered-target-queue");
    expect(fifo.inputs).to.deep.include({ name: "kinesis-ingest-dev-ordered.fifo", fifoQueue: true });
    expect(variablesOf(resources, "queue")).to.deep.equal({
      TARGET_QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/kinesis-ingest-dev-queue`,
    });
    expect(variablesOf(resources, "ordered")).to.deep.equal({
      TARGET_QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/kinesis-ingest-dev-ordered.fifo`,
      FIFO: "true",
    });
  });

  it("grants the sqs function exactly sqs:SendMessage on its queue (SQS SendMessageBatch authorization)", () => {
    expect(targetStatements(resources, "queue")).to.deep.equal([
      {
        Sid: "SendToTargetQueue",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:kinesis-ingest-dev-queue`],
      },
    ]);
  });

  it("creates an SNS topic encrypted with alias/aws/sns and grants sns:Publish plus the key's data-key actions (SNS Key management)", () => {
    const topic = named(resources, "aws:sns/topic:Topic", "consumer-topic-target-topic");
    expect(topic.inputs).to.deep.equal({ name: "kinesis-ingest-dev-topic", kmsMasterKeyId: "alias/aws/sns" });
    expect(variablesOf(resources, "topic")).to.deep.equal({
      TARGET_TOPIC_ARN: `arn:aws:sns:eu-west-1:${ACCOUNT}:kinesis-ingest-dev-topic`,
    });
    const statements = targetStatements(resources, "topic");
    expect(statements.map((s) => [s.Sid, s.Action])).to.deep.equal([
      ["PublishToTargetTopic", ["sns:Publish"]],
      ["EncryptForTargetTopic", ["kms:GenerateDataKey", "kms:Decrypt"]],
    ]);
    expect(statements[0]!.Resource).to.deep.equal([`arn:aws:sns:eu-west-1:${ACCOUNT}:kinesis-ingest-dev-topic`]);
    expect(statements[1]!.Resource).to.have.length(1);
    expect(statements[1]!.Resource[0]).to.match(new RegExp(`^arn:aws:kms:eu-west-1:${ACCOUNT}:key/[0-9a-z]+-0000-4000-a000-000000000000$`));
  });

  it("creates a custom event bus and grants exactly events:PutEvents on it (EventBridge PutEvents)", () => {
    const bus = named(resources, "aws:cloudwatch/eventBus:EventBus", "consumer-bus-target-bus");
    expect(bus.inputs).to.deep.equal({ name: "kinesis-ingest-dev-bus" });
    expect(variablesOf(resources, "bus")).to.deep.equal({
      EVENT_BUS_NAME: "kinesis-ingest-dev-bus",
      EVENT_SOURCE: "kinesis-ingest.dev",
      EVENT_DETAIL_TYPE: "bus record",
    });
    expect(targetStatements(resources, "bus")).to.deep.equal([
      {
        Sid: "PutEventsOnTargetBus",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: [`arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/kinesis-ingest-dev-bus`],
      },
    ]);
  });

  it("alarms on the queue's oldest message age and the topic's failed notifications (SQS and SNS CloudWatch metrics)", () => {
    const alarm = (name: string) => named(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs;
    expect(alarm("consumer-queue-target-alarm")).to.deep.include({
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: "kinesis-ingest-dev-queue" },
      statistic: "Maximum",
      threshold: 3600,
    });
    expect(alarm("consumer-topic-target-alarm")).to.deep.include({
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      dimensions: { TopicName: "kinesis-ingest-dev-topic" },
      statistic: "Sum",
      threshold: 0,
    });
    const alarmTopic = `arn:aws:sns:eu-west-1:${ACCOUNT}:kinesis-ingest-dev-alarms`;
    expect(alarm("consumer-queue-target-alarm").alarmActions).to.deep.equal([alarmTopic]);
    expect(alarm("consumer-topic-target-alarm").alarmActions).to.deep.equal([alarmTopic]);
    expect(
      ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("consumer-bus-target")),
    ).to.deep.equal([]);
  });

  it("passes the policy pack", async () => {
    const run = await runStack({
      ...ALARMS,
      consumers: { queue: { handler: "sqs" }, topic: { handler: "sns" }, bus: { handler: "eventbridge" } },
    });
    expect(await evaluatePolicies(run.resources, policies)).to.deep.equal([]);
  });
});

describe("program: fan-out consumers with existing targets", () => {
  it("creates no target and grants the one action on the targetArn; the queue URL comes from the ARN", async () => {
    const queueArn = "arn:aws:sqs:eu-west-1:210987654321:orders.fifo";
    const topicArn = "arn:aws:sns:eu-west-1:210987654321:orders";
    const busArn = "arn:aws:events:eu-west-1:210987654321:event-bus/orders";
    const resources = await runProgram({
      consumers: {
        queue: { handler: "sqs", targetArn: queueArn, fifo: true },
        topic: { handler: "sns", targetArn: topicArn },
        bus: { handler: "eventbridge", targetArn: busArn, source: "shop.orders", detailType: "Order placed" },
      },
    });
    expect(ofType(resources, "aws:sqs/queue:Queue").map((q) => q.name)).to.deep.equal([
      "consumer-queue-dlq",
      "consumer-topic-dlq",
      "consumer-bus-dlq",
    ]);
    expect(ofType(resources, "aws:sns/topic:Topic")).to.deep.equal([]);
    expect(ofType(resources, "aws:cloudwatch/eventBus:EventBus")).to.deep.equal([]);
    expect(variablesOf(resources, "queue")).to.deep.equal({
      TARGET_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/210987654321/orders.fifo",
      FIFO: "true",
    });
    expect(variablesOf(resources, "bus")).to.deep.equal({
      EVENT_BUS_NAME: busArn,
      EVENT_SOURCE: "shop.orders",
      EVENT_DETAIL_TYPE: "Order placed",
    });
    expect(targetStatements(resources, "queue").map((s) => [s.Action, s.Resource])).to.deep.equal([[["sqs:SendMessage"], [queueArn]]]);
    expect(targetStatements(resources, "topic").map((s) => [s.Action, s.Resource])).to.deep.equal([[["sns:Publish"], [topicArn]]]);
    expect(targetStatements(resources, "bus").map((s) => [s.Action, s.Resource])).to.deep.equal([[["events:PutEvents"], [busArn]]]);
  });

  it("eventBus: default puts events on the account's default bus, with no bus resource", async () => {
    const resources = await runProgram({ consumers: { bus: { handler: "eventbridge", eventBus: "default" } } });
    expect(ofType(resources, "aws:cloudwatch/eventBus:EventBus")).to.deep.equal([]);
    expect(variablesOf(resources, "bus").EVENT_BUS_NAME).to.equal("default");
    expect(targetStatements(resources, "bus")[0]!.Resource).to.deep.equal([`arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`]);
  });
});
