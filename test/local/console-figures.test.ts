/**
 * Where the console's figures come from: the consumer runtime's own summary lines, summed per consumer
 * (received, delivered, failed with isolated, skipped as duplicates), and the on-failure messages read back
 * as range, condition and why, for the runtime's one-record records and Lambda's range records alike.
 */
import { expect } from "chai";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { validateStackConfig } from "../../config";
import type { ConsoleSnapshot } from "../../local/console/snapshot";
import { startLocalStack } from "../../local/stack";
import { createKinesisConsumer, MemoryIdempotencyStore, PermanentRecordError } from "../../handlers/lib/consumer";
import { ConsumerTally } from "../../local/console/consumer-tally";
import { describeOnFailureBody } from "../../local/console/on-failure-queue";
import { oneRecordOnFailure } from "../../semantics/on-failure-record";
import { eventOf, sequenceNumber } from "../idempotency/support";

describe("local console: figures and on-failure rows", () => {
  it("sums what the runtime's summary lines say each invocation did, whatever else the function logs", async () => {
    const tally = new ConsumerTally();
    const sent: string[] = [];
    let failOnce = true;
    const handler = createKinesisConsumer(
      async (record) => {
        const data = record.data.toString();
        if (data === "poison") throw new PermanentRecordError("refused for good");
        if (data === "flaky" && failOnce) {
          failOnce = false;
          throw new Error("downstream timed out");
        }
      },
      {
        writeLine: (line) => tally.line("c", line),
        idempotency: new MemoryIdempotencyStore({ ttlSeconds: 60 }),
        onFailureDestination: async (body) => (sent.push(body), `m${sent.length}`),
      },
    );
    const event = eventOf([
      ["a", "ok"],
      ["b", "poison"],
      ["c", "flaky"],
      ["c", "after-flaky"],
    ]);
    await handler(event);
    // Lambda redelivers from the failed record: its earlier neighbours again, now known as done.
    await handler(event);
    tally.line("c", '{"level":"info","message":"something else","Records":99}');
    tally.line("other", "not json");
    expect(tally.of("c")).to.deep.equal({
      received: 8,
      delivered: 3, // ok, then flaky and after-flaky on the redelivery
      failed: 2, // flaky's first attempt, and poison isolated
      isolated: 1,
      skipped: 2, // ok and poison, done before, acknowledged without processing
      notAttempted: 1, // after-flaky, behind its key's failure
      batches: 2,
    });
    expect(sent).to.have.length(1);
    expect(tally.of("unknown").received).to.equal(0);
  });

  it("reads a one-record on-failure record's key and reason, and a range's condition and last outcome", () => {
    const one = describeOnFailureBody(
      JSON.stringify(
        oneRecordOnFailure({
          functionArn: "arn:aws:lambda:us-east-1:000000000000:function:f",
          requestId: "r",
          condition: "RecordFailedPermanently",
          approximateInvokeCount: 1,
          eventSourceArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s",
          shardId: "shardId-000000000000",
          sequenceNumber: sequenceNumber(7),
          approximateArrivalTimestamp: 1_900_000_000,
          partitionKey: "customer-9",
          subSequenceNumber: 0,
          reason: "PermanentRecordError: HTTP 422",
          nowMs: 1_900_000_001_000,
        }),
      ),
    );
    expect(one).to.deep.equal({
      range: `shardId-000000000000 ${sequenceNumber(7)}`,
      batchSize: 1,
      condition: "RecordFailedPermanently",
      why: "PermanentRecordError: HTTP 422",
      partitionKey: "customer-9",
    });
    const range = describeOnFailureBody(
      JSON.stringify({
        requestContext: { requestId: "r", functionArn: "f", condition: "RetryAttemptsExhausted", approximateInvokeCount: 4 },
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        KinesisBatchInfo: { shardId: "shardId-000000000001", startSequenceNumber: "1", endSequenceNumber: "9", batchSize: 5 },
      }),
    );
    expect(range).to.deep.equal({
      range: "shardId-000000000001 1..9",
      batchSize: 5,
      condition: "RetryAttemptsExhausted",
      why: "the mapping's retries ran out after 4 invocations; the function failed (Unhandled)",
    });
    expect(describeOnFailureBody("{}").condition).to.equal("not an on-failure record");
  });

  it("counts a user's module from the summary lines its worker writes, and its queue from the queue", async function () {
    this.timeout(60_000);
    const config = validateStackConfig({ consumers: { orders: { handler: "./test/fixtures/consumers/summarised.ts" } } });
    const stack = await startLocalStack(config, {
      stack: "figures",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: "t",
      log: () => undefined,
    });
    const lambda = new LambdaClient({ endpoint: stack.url, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } });
    try {
      const event = eventOf([
        ["a", "ok"],
        ["b", "bad"],
      ]);
      await lambda.send(new InvokeCommand({ FunctionName: "orders", Payload: JSON.stringify(event) }));
      const snapshot = (await (await fetch(`${stack.url}/_local/console/snapshot`)).json()) as ConsoleSnapshot;
      const orders = snapshot.consumers.find((c) => c.name === "orders")!;
      expect(orders.figures).to.deep.include({ received: 2, delivered: 1, failed: 1, isolated: 1, skipped: 0, dlq: 1 });
      expect(orders.queue.latest.map((r) => [r.condition, r.partitionKey, r.why])).to.deep.equal([
        ["RecordFailedPermanently", "b", "PermanentRecordError: not an order"],
      ]);
    } finally {
      lambda.destroy();
      await stack.stop();
    }
  });
});
