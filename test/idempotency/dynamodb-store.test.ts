/**
 * The dynamodb idempotency store on dynalite (the local stack's DynamoDB): one item per completed record,
 * found by a new container, batched reads and writes at the API limits, TTL written and honoured before
 * DynamoDB deletes the item. Pages: BatchGetItem, BatchWriteItem, "Working with expired items".
 */
import { expect } from "chai";
import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbIdempotencyStore } from "../../handlers/lib/idempotency/dynamodb-store";
import { createIdempotencyTable, localDynamoDbClient, startDynamoDb } from "../../local/dynamodb";
import type { RunningEmulator } from "../../local/emulators";
import { consumerUnderTest, eventOf, keyOf } from "./support";

const NOW = 1_900_000_000_000;

/** Counts the commands a client sends, by name. */
function countCommands(client: DynamoDBClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName!, (counts.get(context.commandName!) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countCommands" },
  );
  return counts;
}

describe("dynamodb idempotency store (dynalite)", function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let client: DynamoDBClient;
  let tables = 0;
  let tableName: string;

  before(async () => {
    emulator = await startDynamoDb();
    client = localDynamoDbClient(emulator.endpoint);
  });
  after(async () => {
    client.destroy();
    await emulator.stop();
  });
  beforeEach(async () => {
    tableName = `idempotency-${++tables}`;
    await createIdempotencyTable(client, tableName);
  });

  const store = (overrides: { now?: () => number; client?: DynamoDBClient } = {}) =>
    new DynamoDbIdempotencyStore({ tableName, client: overrides.client ?? client, ttlSeconds: 3_600, now: overrides.now ?? (() => NOW) });

  it("writes one item per completed key with expiresAt = now + ttlSeconds (epoch seconds, the TTL attribute)", async () => {
    await store().complete([keyOf(1), keyOf(2)]);
    const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
    expect(Items.map((item) => [item.id!.S, item.expiresAt!.N]).sort()).to.deep.equal([
      [keyOf(1), String(NOW / 1000 + 3_600)],
      [keyOf(2), String(NOW / 1000 + 3_600)],
    ]);
  });

  it("counts a record's failures for any container (failedAttempts on its item), and its completion replaces the count", async () => {
    await store().recordFailures(new Map([[keyOf(1), 2]]));
    expect(await store().lookup([keyOf(1), keyOf(2)])).to.deep.equal({ completed: new Set(), failedAttempts: new Map([[keyOf(1), 2]]) });
    await store().complete([keyOf(1)]);
    expect(await store().lookup([keyOf(1)])).to.deep.equal({ completed: new Set([keyOf(1)]), failedAttempts: new Map() });
  });

  it("answers a new container (another store on the same table) with the completed keys only", async () => {
    await store().complete([keyOf(1), keyOf(3)]);
    expect(await store().completed([keyOf(1), keyOf(2), keyOf(3)])).to.deep.equal(new Set([keyOf(1), keyOf(3)]));
  });

  it("reads 250 keys in 3 BatchGetItem calls and writes them in 10 BatchWriteItem calls; a warm container reads nothing again", async () => {
    const counting = localDynamoDbClient(emulator.endpoint);
    const counts = countCommands(counting);
    const keys = Array.from({ length: 250 }, (_, i) => keyOf(i));
    const warm = store({ client: counting });
    expect((await warm.completed(keys)).size).to.equal(0);
    await warm.complete(keys);
    expect((await warm.completed(keys)).size).to.equal(250);
    expect(Object.fromEntries(counts)).to.deep.equal({ BatchGetItemCommand: 3, BatchWriteItemCommand: 10 });
    expect((await store({ client: counting }).completed(keys)).size).to.equal(250);
    expect(counts.get("BatchGetItemCommand")).to.equal(6);
    counting.destroy();
  });

  it("treats an item past its expiresAt as absent although DynamoDB has not deleted it yet", async () => {
    await store().complete([keyOf(1)]);
    expect(await store({ now: () => NOW + 3_599_000 }).completed([keyOf(1)])).to.deep.equal(new Set([keyOf(1)]));
    expect(await store({ now: () => NOW + 3_600_000 }).completed([keyOf(1)])).to.deep.equal(new Set());
    const { Count } = await client.send(new ScanCommand({ TableName: tableName }));
    expect(Count).to.equal(1);
  });

  it("lets a consumer on a new container skip what another container completed, and process what it did not", async () => {
    const first = consumerUnderTest(
      async (record) => {
        if (record.data.toString() === "b1") throw new Error("downstream 503");
      },
      { idempotency: store() },
    );
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
      ["c", "c2"],
    ]);
    await first.handler(event);
    const second = consumerUnderTest(async () => undefined, { idempotency: store() });
    expect(await second.handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(first.processed).to.deep.equal(["a0", "c2"]);
    expect(second.processed).to.deep.equal(["b1"]);
    expect(second.summaries()[0]).to.include({ Records: 3, SkippedDuplicates: 2 });
  });

  it("sends only the commands it needs: strongly consistent reads of id, expiresAt and failedAttempts, puts of id and expiresAt", async () => {
    const counting = localDynamoDbClient(emulator.endpoint);
    const inputs: unknown[] = [];
    counting.middlewareStack.add((next) => async (args) => (inputs.push(args.input), next(args)), {
      step: "initialize",
      name: "keepInputs",
    });
    const s = store({ client: counting });
    await s.completed([keyOf(1)]);
    await s.complete([keyOf(1)]);
    expect(inputs).to.deep.equal([
      {
        RequestItems: {
          [tableName]: {
            Keys: [{ id: { S: keyOf(1) } }],
            ConsistentRead: true,
            ProjectionExpression: "#id, #ttl, #failed",
            ExpressionAttributeNames: { "#id": "id", "#ttl": "expiresAt", "#failed": "failedAttempts" },
          },
        },
      },
      { RequestItems: { [tableName]: [{ PutRequest: { Item: { id: { S: keyOf(1) }, expiresAt: { N: String(NOW / 1000 + 3_600) } } } }] } },
    ]);
    counting.destroy();
  });
});
