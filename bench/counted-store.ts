/**
 * The effectively-once benchmark's idempotency store for one run, by mode: none, a fresh `memory` store, or
 * the `dynamodb` store on a table of its own, whose DynamoDB calls (requests and items, by command) are
 * counted so the table can say what the store costs per record.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbIdempotencyStore } from "../handlers/lib/idempotency/dynamodb-store";
import { MemoryIdempotencyStore } from "../handlers/lib/idempotency/memory-store";
import type { IdempotencyMode, IdempotencyStore } from "../handlers/lib/idempotency/store";
import { createIdempotencyTable, localDynamoDbClient } from "../local/dynamodb";

/** A store and what it has called. */
export interface CountedStore {
  readonly store: IdempotencyStore | "none";
  /** Requests by command name (`BatchGetItemCommand`), and items as `BatchWriteItemCommand:items`. */
  readonly calls: ReadonlyMap<string, number>;
  close(): void;
}

/** The store of `mode`; `dynamodb` creates the table `tableName` on the emulator at `dynamodbEndpoint`. */
export async function countedStore(mode: IdempotencyMode, dynamodbEndpoint: string, tableName: string): Promise<CountedStore> {
  const calls = new Map<string, number>();
  if (mode === "none") return { store: "none", calls, close: () => undefined };
  if (mode === "memory") return { store: new MemoryIdempotencyStore(), calls, close: () => undefined };
  const dynamodb: DynamoDBClient = localDynamoDbClient(dynamodbEndpoint);
  const add = (name: string, by: number) => calls.set(name, (calls.get(name) ?? 0) + by);
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, unknown[] | { Keys: unknown[] }> };
      const items = Object.values(input.RequestItems ?? {}).reduce<number>(
        (sum, v) => sum + (Array.isArray(v) ? v.length : v.Keys.length),
        0,
      );
      add(context.commandName!, 1);
      add(`${context.commandName!}:items`, items);
      return next(args);
    },
    { step: "initialize", name: "countStoreCalls" },
  );
  await createIdempotencyTable(dynamodb, tableName);
  const store = new DynamoDbIdempotencyStore({ tableName, client: dynamodb, ttlSeconds: 25 * 3600 });
  return { store, calls, close: () => dynamodb.destroy() };
}
