/**
 * DynamoDB for the local stack: dynalite (DynamoDB's API on LevelDB, in memory) in-process on 127.0.0.1,
 * and the consumers' tables created on it as the program creates them on AWS (string keys, on-demand).
 * dynalite has no TTL API: a table's `ttlAttribute` is kept as data, items never expire locally (the
 * idempotency store compares `expiresAt` with the clock itself, as it must on AWS, where deletion lags).
 */
import type { Server } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ConsumerTable } from "../config/types";
import { IDEMPOTENCY_KEY_ATTRIBUTE } from "../handlers/lib/idempotency/store";
import { listenOnLoopback, LOCAL_REGION, type RunningEmulator } from "./emulators";

/** Starts dynalite in memory on 127.0.0.1 (about 30 ms); tables are created at once, as on-demand tables are. */
export async function startDynamoDb(port = 0): Promise<RunningEmulator> {
  // dynalite ships no type declarations.
  const dynalite = require("dynalite") as (options: Record<string, number>) => Server;
  return listenOnLoopback(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }), port);
}

/** A DynamoDB client for the emulator. */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/** Creates `tableName` with the table's string keys and on-demand billing. */
export async function createTable(dynamodb: DynamoDBClient, tableName: string, table: ConsumerTable): Promise<void> {
  const keys = table.sortKey === undefined ? [table.partitionKey] : [table.partitionKey, table.sortKey];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? "HASH" : "RANGE" })),
    }),
  );
}

/** Creates a consumer's idempotency table as the program does (`id` string key, on-demand). */
export async function createIdempotencyTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await createTable(dynamodb, tableName, { partitionKey: IDEMPOTENCY_KEY_ATTRIBUTE });
}
