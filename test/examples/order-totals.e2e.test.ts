/**
 * The order-totals example end to end on the local stack, as a newcomer runs it (`npm start -- --stack orders
 * --dir examples/order-totals`): orders posted to the API reach the user's consumer module, its totals land
 * in its own table on the DynamoDB emulator, and every redelivery — a replay of the range, a direct
 * re-invocation with the same event, a redrive from the on-failure queue — changes nothing.
 */
import { expect } from "chai";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { localDynamoDbClient } from "../../local/dynamodb";
import type { LocalStatus } from "../../local/server";
import { main as redrive } from "../../cli/redrive";
import { main as replay } from "../../cli/replay";
import { kinesisEvent, kinesisEventRecord } from "../../semantics/lambda-event";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "../local/support/local-stack-process";
import { runCli } from "../replay/cli-harness";

interface Total {
  readonly customerId: string;
  readonly orderCount: number;
  readonly totalAmount: string;
}

const CUSTOMERS = ["cust-a", "cust-b", "cust-c"];
const ORDERS = Array.from({ length: 30 }, (_, n) => ({ orderId: `ord-${n}`, customerId: CUSTOMERS[n % 3]!, amount: 10 + n / 4 }));
/** What the table must hold: per customer, the number of orders and the exact decimal sum. */
const EXPECTED: Total[] = CUSTOMERS.map((customerId) => {
  const own = ORDERS.filter((o) => o.customerId === customerId);
  return { customerId, orderCount: own.length, totalAmount: String(own.reduce((sum, o) => sum + o.amount, 0)) };
});

describe("example: order totals, a custom consumer with its own table (local stack)", function () {
  this.timeout(120_000);
  let stack: LocalStackProcess;
  let status: LocalStatus;
  const from = new Date(Date.now() - 1000).toISOString();

  before(async () => {
    stack = await startLocalStackProcess(["--stack", "orders", "--dir", "examples/order-totals"]);
    status = await stack.status();
  });

  after(async () => {
    if (stack) await stack.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(stack.output().slice(-3000));
  });

  async function totals(): Promise<Total[]> {
    const dynamodb = localDynamoDbClient(status.dynamodbEndpoint);
    try {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: status.tables["order-totals"]!.totals }));
      return Items.map((item) => ({
        customerId: item.customerId!.S!,
        orderCount: Number(item.orderCount!.N),
        totalAmount: item.totalAmount!.N!,
      })).sort((a, b) => a.customerId.localeCompare(b.customerId));
    } finally {
      dynamodb.destroy();
    }
  }

  it("lists the DynamoDB emulator and the consumer's table in /_local/status", () => {
    expect(status.dynamodbEndpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.tables).to.deep.equal({ "order-totals": { totals: "kinesis-ingest-orders-order-totals-totals" } });
    expect(status.functions).to.deep.equal(["ingest", "authorizer", "order-totals"]);
    expect(status.targets).to.deep.equal({});
  });

  it("adds every posted order to its customer's total, exactly once", async () => {
    const posted = await stack.postRecords(ORDERS.map((order) => ({ data: order, partitionKey: order.customerId })));
    expect(posted.status).to.equal(200);
    await eventually("30 orders counted", async () => {
      const now = await totals();
      return now.reduce((sum, t) => sum + t.orderCount, 0) >= ORDERS.length ? now : undefined;
    });
    expect(await totals()).to.deep.equal(EXPECTED);
  });

  it("a replay of the delivered range into the consumer changes nothing", async () => {
    const endpoints = ["--endpoint", stack.url, "--lambda-endpoint", stack.url];
    const run = await runCli(replay, ["--stream", status.streamName, "--from", from, "--to-function", "order-totals", ...endpoints]);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>).to.include({
      delivered: 0,
      skipped: ORDERS.length,
      failed: 0,
    });
    expect(await totals()).to.deep.equal(EXPECTED);
  });

  it("the same event invoked again is acknowledged and changes nothing", async () => {
    const record = {
      shardId: "shardId-000000000000",
      partitionKey: "cust-a",
      // Later than every real record of the shard: positions of one key only grow.
      sequenceNumber: "9".repeat(56),
      data: Buffer.from(JSON.stringify({ orderId: "ord-x", customerId: "cust-a", amount: 1.5 })),
      approximateArrivalTimestamp: new Date(),
    };
    const event = kinesisEvent([
      kinesisEventRecord(record, { streamArn: status.streamArn, invokeIdentityArn: "arn:aws:iam::000000000000:role/order-totals" }),
    ]);
    const lambda = new LambdaClient({
      endpoint: stack.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await lambda.send(
          new InvokeCommand({ FunctionName: "kinesis-ingest-orders-order-totals", Payload: JSON.stringify(event) }),
        );
        expect(answer.FunctionError, `attempt ${attempt}`).to.equal(undefined);
        expect(JSON.parse(Buffer.from(answer.Payload!).toString()), `attempt ${attempt}`).to.deep.equal({ batchItemFailures: [] });
      }
    } finally {
      lambda.destroy();
    }
    const a = (await totals()).find((t) => t.customerId === "cust-a")!;
    expect(a).to.deep.equal({
      customerId: "cust-a",
      orderCount: EXPECTED[0]!.orderCount + 1,
      totalAmount: String(Number(EXPECTED[0]!.totalAmount) + 1.5),
    });
  });

  it("a record that is not an order is isolated alone to the on-failure queue; redrive reaches the consumer again, which isolates it again: one message stays", async () => {
    const before = await totals();
    const posted = await stack.postRecords([{ data: { orderId: "ord-bad", customerId: "cust-b" }, partitionKey: "cust-b" }]);
    expect(posted.status).to.equal(200);
    const badSequence = posted.body.records[0]!.sequenceNumber!;
    const pointers = async () => {
      const dry = await runCli(redrive, ["--queue", status.queues["order-totals"]!, "--dry-run", "--endpoint", stack.url]);
      return dry.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { pointer?: { startSequenceNumber: string; endSequenceNumber: string } })
        .flatMap((line) => (line.pointer ? [[line.pointer.startSequenceNumber, line.pointer.endSequenceNumber]] : []));
    };
    await eventually(
      "the bad record's message in the on-failure queue",
      async () => ((await pointers()).length >= 1 ? true : undefined),
      60_000,
    );
    expect(await pointers()).to.deep.equal([[badSequence, badSequence]]);
    const run = await runCli(redrive, [
      "--queue",
      status.queues["order-totals"]!,
      "--to-function",
      "order-totals",
      "--endpoint",
      stack.url,
      "--lambda-endpoint",
      stack.url,
    ]);
    const summary = (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { summary: Record<string, number> }).summary;
    expect(summary.recordOutcomes).to.include({ isolated: 1, delivered: 0 });
    expect(await pointers()).to.deep.equal([[badSequence, badSequence]]);
    expect(await totals()).to.deep.equal(before);
  });
});
