/**
 * Failures of the dynamodb store itself (what dynalite cannot be made to do: fail, throttle, leave items
 * unprocessed), with aws-sdk-client-mock. A failed read never lets a record through unchecked; a failed write
 * never marks a record that was not processed, and never loses one. Pages: BatchGetItem and BatchWriteItem
 * (UnprocessedKeys / UnprocessedItems, to be sent again with exponential backoff).
 */
import { expect } from "chai";
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { DynamoDbIdempotencyStore } from "../../handlers/lib/idempotency/dynamodb-store";
import { IdempotencyStoreError } from "../../handlers/lib/idempotency/store";
import { consumerUnderTest, eventOf, keyOf } from "./support";

const TABLE = "kinesis-ingest-dev-forwarder.idempotency";
const NOW = 1_900_000_000_000;
const item = (n: number) => ({ id: { S: keyOf(n) }, expiresAt: { N: String(NOW / 1000 + 60) } });
const key = (n: number) => ({ id: { S: keyOf(n) } });

describe("dynamodb idempotency store: failures and throttling (aws-sdk-client-mock)", () => {
  // Mocked only while this suite runs: a mock made when the file loads would stand in for every DynamoDB
  // client of the suites that run before it (the local stacks' tables among them).
  const mockDynamoDb = () => mockClient(DynamoDBClient);
  let ddb: ReturnType<typeof mockDynamoDb>;
  before(() => (ddb = mockDynamoDb()));
  beforeEach(() => ddb.reset());
  after(() => ddb.restore());

  const store = () =>
    new DynamoDbIdempotencyStore({
      tableName: TABLE,
      client: new DynamoDBClient({ region: "us-east-1" }),
      ttlSeconds: 60,
      retryBaseMs: 1,
      maxAttempts: 3,
      now: () => NOW,
    });

  it("a BatchGetItem error fails the batch naming table and error; no record is processed", async () => {
    ddb.on(BatchGetItemCommand).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
    const { handler, processed } = consumerUnderTest(async () => undefined, { idempotency: store() });
    let thrown: unknown;
    await handler(
      eventOf([
        ["a", "a0"],
        ["b", "b1"],
      ]),
    ).catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(IdempotencyStoreError);
    expect((thrown as Error).message).to.equal(`BatchGetItem on ${TABLE} failed: AccessDeniedException: User is not authorized`);
    expect(processed).to.deep.equal([]);
    expect(ddb.commandCalls(BatchWriteItemCommand)).to.have.length(0);
  });

  it("keys left unprocessed (throttled) are read again with backoff, and then count", async () => {
    ddb
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [key(1)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [item(1)] } });
    expect(await store().completed([keyOf(1), keyOf(2)])).to.deep.equal(new Set([keyOf(1)]));
    const calls = ddb.commandCalls(BatchGetItemCommand);
    expect(calls.map((c) => c.args[0].input.RequestItems![TABLE]!.Keys)).to.deep.equal([[key(1), key(2)], [key(1)]]);
  });

  it("keys still unprocessed after maxAttempts calls fail the batch: nothing is processed unchecked", async () => {
    ddb.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [key(1)] } } });
    const { handler, processed } = consumerUnderTest(async () => undefined, { idempotency: store() });
    let thrown: unknown;
    await handler(eventOf([["a", "a0"]])).catch((error: unknown) => (thrown = error));
    expect((thrown as Error).message).to.equal(`BatchGetItem on ${TABLE} left 1 of 1 keys unprocessed after 3 calls.`);
    expect(ddb.commandCalls(BatchGetItemCommand)).to.have.length(3);
    expect(processed).to.deep.equal([]);
  });

  it("writes exactly the processed records as completed and the failed one with its failure count; not the duplicates skipped, not those after a key's failure", async () => {
    ddb.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [item(3)] } });
    ddb.on(BatchWriteItemCommand).resolves({});
    const { handler, processed } = consumerUnderTest(
      async (record) => {
        if (record.data.toString() === "a0") throw new Error("poison");
      },
      { idempotency: store(), concurrency: 1 },
    );
    await handler(
      eventOf([
        ["b", "b0"],
        ["a", "a0"],
        ["c", "c2"],
        ["a", "a1"],
      ]),
    );
    expect(processed).to.deep.equal(["b0"]); // a0 fails; c2 (position 3) was completed before; a1 follows a's failure
    const writes = ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems![TABLE]);
    const expiresAt = { N: String(NOW / 1000 + 60) };
    expect(writes).to.have.deep.members([
      [{ PutRequest: { Item: { id: { S: keyOf(1) }, expiresAt } } }],
      [{ PutRequest: { Item: { id: { S: keyOf(2) }, expiresAt, failedAttempts: { N: "1" } } } }],
    ]);
  });

  it("items left unprocessed are written again, only those", async () => {
    const put = (n: number) => ({ PutRequest: { Item: { id: { S: keyOf(n) }, expiresAt: { N: String(NOW / 1000 + 60) } } } });
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [put(2)] } })
      .resolvesOnce({});
    await store().complete([keyOf(1), keyOf(2)]);
    expect(ddb.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems![TABLE])).to.deep.equal([
      [put(1), put(2)],
      [put(2)],
    ]);
  });

  it("a BatchWriteItem failure after processing loses nothing: the batch is acknowledged, a warning names the records, and this container still skips them", async () => {
    ddb.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb
      .on(BatchWriteItemCommand)
      .rejects(Object.assign(new Error("Throughput exceeds the current capacity"), { name: "ProvisionedThroughputExceededException" }));
    const s = store();
    const { handler, processed, lines, summaries } = consumerUnderTest(async () => undefined, { idempotency: s });
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
    ]);
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(processed).to.deep.equal(["a0", "b1"]);
    const warning = lines.find((l) => String(l.message).startsWith("Idempotency store write failed"))!;
    expect(warning).to.include({ level: "warn", records: 2 });
    expect(warning.error).to.deep.equal({
      name: "IdempotencyStoreError",
      message: `BatchWriteItem on ${TABLE} failed: ProvisionedThroughputExceededException: Throughput exceeds the current capacity`,
    });
    expect(await handler(event)).to.deep.equal({ batchItemFailures: [] });
    expect(processed).to.deep.equal(["a0", "b1"]);
    expect(summaries().map((x) => x.SkippedDuplicates)).to.deep.equal([0, 2]);
    expect(ddb.commandCalls(BatchGetItemCommand)).to.have.length(1); // the second batch was answered from memory
  });
});
