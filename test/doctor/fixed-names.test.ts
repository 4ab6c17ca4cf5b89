/**
 * Every fixed name the plan creates is checked for being taken, one check per kind: tables (DynamoDB
 * DescribeTable), fan-out queues (SQS GetQueueUrl), topics (SNS ListTopics), event buses (EventBridge
 * DescribeEventBus), log groups (CloudWatch Logs DescribeLogGroups), enhanced fan-out consumers (Kinesis
 * ListStreamConsumers), the dashboard (CloudWatch GetDashboard). Secrets are auto-named: nothing to check.
 */
import { expect } from "chai";
import { DashboardNotFoundError, GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DescribeEventBusCommand } from "@aws-sdk/client-eventbridge";
import { DescribeStreamSummaryCommand, ListStreamConsumersCommand } from "@aws-sdk/client-kinesis";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { checkBusesTaken } from "../../doctor/buses-taken";
import { checkDashboardTaken } from "../../doctor/dashboards-taken";
import { checkFanOutConsumersTaken } from "../../doctor/fan-out-consumers-taken";
import { checkLogGroupsTaken } from "../../doctor/log-groups-taken";
import { checkNamesTaken } from "../../doctor/names-taken";
import { checkTablesTaken } from "../../doctor/tables-taken";
import { checkTopicsTaken } from "../../doctor/topics-taken";
import { accessDenied, busNotFound, kinesisNotFound, lambdaNotFound, mockedClients, planOf, queueNotFound, tableNotFound } from "./support";

const A = "123456789012";
const STREAM_ARN = `arn:aws:kinesis:eu-west-1:${A}:stream/kinesis-ingest-dev`;
/** A stack with a fixed name of every kind: tables, a fan-out queue, topic and bus, the alarm topic, registered consumers. */
const EVERY_KIND = planOf({
  stream: { fanOutConsumers: ["orders-efo"] },
  observability: { alarmEmail: "oncall@example.com" },
  consumers: {
    forwarder: {
      handler: "forwarder",
      targetUrl: "https://example.com/in",
      tables: { totals: { partitionKey: "id" } },
      idempotency: "dynamodb",
      fanOutConsumer: "orders-efo",
      replayFrom: "2026-01-01T00:00:00Z",
    },
    queue: { handler: "sqs" },
    topic: { handler: "sns", fifo: true },
    bus: { handler: "eventbridge" },
    // Neither the account's default bus nor an existing target is created: no name to check.
    defaultbus: { handler: "eventbridge", eventBus: "default" },
    existing: { handler: "sqs", targetArn: `arn:aws:sqs:eu-west-1:${A}:elsewhere` },
  },
});
const rows = (results: { check: string; status: string }[]) => results.map((r) => [r.check, r.status]);

describe("doctor: every fixed name the plan creates is checked for being taken", () => {
  it("tables: each consumer table and idempotency table (DynamoDB API DescribeTable: ResourceNotFoundException is free)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.dynamodb.on(DescribeTableCommand).rejects(tableNotFound());
    mocks.dynamodb.on(DescribeTableCommand, { TableName: "kinesis-ingest-dev-forwarder-totals" }).resolves({ Table: {} });
    const results = await checkTablesTaken(EVERY_KIND, clients);
    expect(rows(results)).to.deep.equal([
      ["table name kinesis-ingest-dev-forwarder-totals", "fail"],
      ["table name kinesis-ingest-dev-forwarder.idempotency", "pass"],
    ]);
    expect(results[0]?.fix).to.equal(
      "rename (another stack name, or consumer name in `consumers`) or import it: pulumi import aws:dynamodb/table:Table <resource name> kinesis-ingest-dev-forwarder-totals",
    );
  });

  it("queues: the sqs fan-out consumer's own queue beside the on-failure queues; a targetArn's queue is not the stack's (SQS API GetQueueUrl)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.lambda.on(GetFunctionCommand).rejects(lambdaNotFound());
    mocks.sqs.on(GetQueueUrlCommand).rejects(queueNotFound());
    mocks.sqs.on(GetQueueUrlCommand, { QueueName: "kinesis-ingest-dev-queue" }).resolves({ QueueUrl: "https://sqs/x" });
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    const queues = (await checkNamesTaken(EVERY_KIND, clients)).filter((r) => r.check.startsWith("queue"));
    expect(rows(queues)).to.deep.equal([
      ...["forwarder", "queue", "topic", "bus", "defaultbus", "existing"].map((c) => [`queue name kinesis-ingest-dev-${c}-dlq`, "pass"]),
      ["queue name kinesis-ingest-dev-queue", "fail"],
    ]);
  });

  it("topics: the alarm topic and the sns fan-out topic, read from every page of ListTopics; a taken one would be taken over (SNS API CreateTopic, ListTopics)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.sns
      .on(ListTopicsCommand)
      .resolvesOnce({ Topics: [{ TopicArn: `arn:aws:sns:eu-west-1:${A}:other` }], NextToken: "page-2" })
      .resolvesOnce({ Topics: [{ TopicArn: `arn:aws:sns:eu-west-1:${A}:kinesis-ingest-dev-topic.fifo` }] });
    const results = await checkTopicsTaken(EVERY_KIND, clients);
    expect(rows(results)).to.deep.equal([
      ["topic name kinesis-ingest-dev-alarms", "pass"],
      ["topic name kinesis-ingest-dev-topic.fifo", "fail"],
    ]);
    expect(results[1]).to.deep.include({
      detail:
        "exists: if it is not this stack's, `pulumi up` would take it over (CreateTopic returns an existing topic of the same name), subscriptions and all",
      fix: `rename (another stack name, or consumer name in \`consumers\`) or import it: pulumi import aws:sns/topic:Topic <resource name> arn:aws:sns:eu-west-1:${A}:kinesis-ingest-dev-topic.fifo`,
    });
    expect(mocks.sns.commandCalls(ListTopicsCommand)).to.have.length(2);
  });

  it("event buses: only the custom bus the stack creates (EventBridge API DescribeEventBus)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.eventBridge.on(DescribeEventBusCommand).rejects(busNotFound());
    expect(rows(await checkBusesTaken(EVERY_KIND, clients))).to.deep.equal([["event bus name kinesis-ingest-dev-bus", "pass"]]);
    mocks.eventBridge.on(DescribeEventBusCommand, { Name: "kinesis-ingest-dev-bus" }).resolves({ Name: "kinesis-ingest-dev-bus" });
    expect(rows(await checkBusesTaken(EVERY_KIND, clients))).to.deep.equal([["event bus name kinesis-ingest-dev-bus", "fail"]]);
  });

  it("log groups: every function's /aws/lambda/<function> (Lambda leaves it behind) and the access log group; a longer name under the prefix is not a match (CloudWatch Logs API DescribeLogGroups)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    mocks.logs
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: "/aws/lambda/kinesis-ingest-dev-queue" })
      .resolves({ logGroups: [{ logGroupName: "/aws/lambda/kinesis-ingest-dev-queue-old" }] });
    mocks.logs
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: "/aws/lambda/kinesis-ingest-dev-forwarder" })
      .resolvesOnce({ logGroups: [{ logGroupName: "/aws/lambda/kinesis-ingest-dev-forwarder-2" }], nextToken: "more" })
      .resolvesOnce({ logGroups: [{ logGroupName: "/aws/lambda/kinesis-ingest-dev-forwarder" }] });
    const results = await checkLogGroupsTaken(EVERY_KIND, clients);
    expect(rows(results)).to.deep.equal([
      ["log group name /aws/lambda/kinesis-ingest-dev-ingest", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-authorizer", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-forwarder", "fail"],
      ["log group name /aws/lambda/kinesis-ingest-dev-queue", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-topic", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-bus", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-defaultbus", "pass"],
      ["log group name /aws/lambda/kinesis-ingest-dev-existing", "pass"],
      ["log group name /aws/apigateway/kinesis-ingest-dev/access", "pass"],
    ]);
  });

  it("an alb front has no access log group to check (its logs go to S3)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    const results = await checkLogGroupsTaken(planOf({ api: { front: "alb", auth: "none" } }), clients);
    expect(results.map((r) => r.check)).to.deep.equal(["log group name /aws/lambda/kinesis-ingest-dev-ingest"]);
  });

  it("enhanced fan-out consumers: the registered ones and the replay's own, on an existing stream (Kinesis API RegisterStreamConsumer, ListStreamConsumers)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis.on(DescribeStreamSummaryCommand).resolves({ StreamDescriptionSummary: { StreamARN: STREAM_ARN } as never });
    const consumerArn = `${STREAM_ARN}/consumer/orders-efo:1700000000`;
    mocks.kinesis
      .on(ListStreamConsumersCommand, { StreamARN: STREAM_ARN })
      .resolves({ Consumers: [{ ConsumerName: "orders-efo", ConsumerARN: consumerArn } as never] });
    const results = await checkFanOutConsumersTaken(EVERY_KIND, clients);
    expect(rows(results)).to.deep.equal([
      ["fan-out consumer name orders-efo", "fail"],
      ["fan-out consumer name orders-efo-replay", "pass"],
    ]);
    expect(results[0]?.fix).to.equal(
      `rename (another stack name, or consumer name in \`consumers\`) or import it: pulumi import aws:kinesis/streamConsumer:StreamConsumer <resource name> ${consumerArn}`,
    );
    expect(mocks.kinesis.commandCalls(ListStreamConsumersCommand)).to.have.length(1);
  });

  it("enhanced fan-out consumers: free while the stream does not exist (no ListStreamConsumers call)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.kinesis.on(DescribeStreamSummaryCommand).rejects(kinesisNotFound());
    expect(rows(await checkFanOutConsumersTaken(EVERY_KIND, clients))).to.deep.equal([
      ["fan-out consumer name orders-efo", "pass"],
      ["fan-out consumer name orders-efo-replay", "pass"],
    ]);
    expect(mocks.kinesis.commandCalls(ListStreamConsumersCommand)).to.have.length(0);
  });

  it("the dashboard: PutDashboard would replace an existing one's contents (CloudWatch API PutDashboard, GetDashboard)", async () => {
    const { clients, mocks } = mockedClients();
    mocks.cloudwatch.on(GetDashboardCommand).rejects(new DashboardNotFoundError({ message: "Dashboard does not exist", $metadata: {} }));
    expect(rows(await checkDashboardTaken(EVERY_KIND, clients))).to.deep.equal([["dashboard name kinesis-ingest-dev", "pass"]]);
    mocks.cloudwatch.on(GetDashboardCommand, { DashboardName: "kinesis-ingest-dev" }).resolves({ DashboardName: "kinesis-ingest-dev" });
    expect((await checkDashboardTaken(EVERY_KIND, clients))[0]).to.deep.include({
      status: "fail",
      detail:
        "exists: if it is not this stack's, `pulumi up` would replace its contents (PutDashboard overwrites a dashboard of the same name)",
    });
    expect(await checkDashboardTaken(planOf({ observability: { dashboard: false } }), clients)).to.deep.equal([]);
  });

  it("a stack without tables, topics, buses or registered consumers gets no row and makes no call for them", async () => {
    const { clients, mocks } = mockedClients();
    const plan = planOf({ consumers: { forwarder: { handler: "forwarder" } } });
    const results = [
      ...(await checkTablesTaken(plan, clients)),
      ...(await checkTopicsTaken(plan, clients)),
      ...(await checkBusesTaken(plan, clients)),
      ...(await checkFanOutConsumersTaken(plan, clients)),
    ];
    expect(results).to.deep.equal([]);
    expect([mocks.dynamodb, mocks.sns, mocks.eventBridge, mocks.kinesis].map((m) => m.calls().length)).to.deep.equal([0, 0, 0, 0]);
  });

  it("--deployed: the stack's own names existing pass; a refused listing is an error row per name naming the action", async () => {
    const deployed = planOf({ observability: { alarmEmail: "oncall@example.com" } }, {}, "dev", true);
    const { clients, mocks } = mockedClients();
    mocks.sns.on(ListTopicsCommand).resolves({ Topics: [{ TopicArn: `arn:aws:sns:eu-west-1:${A}:kinesis-ingest-dev-alarms` }] });
    expect((await checkTopicsTaken(deployed, clients))[0]).to.deep.include({
      status: "pass",
      detail: "exists (the deployed stack's own, --deployed)",
    });
    mocks.sns.on(ListTopicsCommand).rejects(accessDenied("SNS:ListTopics"));
    expect((await checkTopicsTaken(deployed, clients))[0]).to.deep.include({
      status: "error",
      fix: "allow sns:ListTopics for the caller (doctor only reads)",
    });
  });
});
