/**
 * Order totals per customer: each record is an order `{"orderId", "customerId", "amount"}`; the consumer
 * adds it to its customer's item in the consumer's own table (`tables.totals`, reaching the function as
 * `TABLE_TOTALS`). Idempotent: a redelivered record changes nothing.
 *
 * How: the update and the record's position are one conditional write to one item. The item remembers, per
 * shard and partition key, the position (sequence and sub-sequence number) of the last record applied;
 * the write succeeds only for a later position. The consumer runtime runs a partition key's records in
 * sequence order, so positions of one key only grow, and a redelivery (a retry, a bisection, a replay,
 * a redrive) finds its position already applied: DynamoDB refuses the write and the record is acknowledged.
 */
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { createKinesisConsumer, PermanentRecordError, type ConsumerRecord } from "kinesis-ingest/consumer";

const table = process.env.TABLE_TOTALS;
if (!table) throw new Error("TABLE_TOTALS is not set: give the consumer `tables: {totals: {partitionKey: customerId}}` in its stack file.");

// Created once per container; region, credentials and (locally) the endpoint come from the environment.
const dynamodb = new DynamoDBClient({});

interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
}

export const handler = createKinesisConsumer(async (record) => {
  const order = parseOrder(record);
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { customerId: { S: order.customerId } },
        UpdateExpression: "ADD orderCount :one, totalAmount :amount SET #applied = :position, lastOrderId = :orderId",
        ConditionExpression: "attribute_not_exists(#applied) OR #applied < :position",
        ExpressionAttributeNames: { "#applied": `applied:${record.shardId}:${record.partitionKey}` },
        ExpressionAttributeValues: {
          ":one": { N: "1" },
          // The amount's JSON text, so DynamoDB's exact decimal arithmetic sees the digits the producer sent.
          ":amount": { N: String(order.amount) },
          ":position": { S: position(record) },
          ":orderId": { S: order.orderId },
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return; // applied before: nothing to do
    throw error; // fails this record: it is retried, and after maxRecordAttempts it goes alone to the on-failure queue
  }
});

/**
 * The record's place in its shard as a string that sorts like the numbers: sequence numbers are decimal
 * integers of up to 128 digits, sub-sequence numbers count records inside a KPL aggregate.
 */
function position(record: ConsumerRecord): string {
  return `${record.sequenceNumber.padStart(128, "0")}:${String(record.subSequenceNumber).padStart(10, "0")}`;
}

function parseOrder(record: ConsumerRecord): Order {
  let value: unknown;
  try {
    value = JSON.parse(record.data.toString("utf8"));
  } catch {
    throw new PermanentRecordError(`record ${record.idempotencyKey} is not JSON`);
  }
  const order = value as Partial<Order> | null;
  if (
    typeof order?.orderId !== "string" ||
    typeof order.customerId !== "string" ||
    order.customerId === "" ||
    typeof order.amount !== "number" ||
    !Number.isFinite(order.amount)
  ) {
    // No retry can make it an order: isolated at once to the on-failure queue, and the key goes on.
    throw new PermanentRecordError(
      `record ${record.idempotencyKey} is not an order {"orderId": string, "customerId": non-empty string, "amount": number}`,
    );
  }
  return order as Order;
}
