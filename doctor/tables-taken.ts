/**
 * DynamoDB table names already in use (DynamoDB DescribeTable): the consumers' `tables` and their idempotency
 * tables. CreateTable with a taken name fails (`ResourceInUseException`: "Table already exists").
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { probeNames, type NameProbe } from "./name-probe";
import type { Check } from "./types";

/** One row per table of the stack; none when it has no table. */
export const checkTablesTaken: Check = async (plan, clients) =>
  probeNames(
    plan.tableNames.map((name): NameProbe => ({
      kind: "table",
      name,
      action: "dynamodb:DescribeTable",
      type: "aws:dynamodb/table:Table",
      notFound: ["ResourceNotFoundException"],
      lookup: async () => (await clients.dynamodb.send(new DescribeTableCommand({ TableName: name })), name),
    })),
    plan.deployed,
  );
