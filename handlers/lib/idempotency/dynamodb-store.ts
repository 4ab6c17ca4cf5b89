/**
 * The `dynamodb` idempotency store: one item per completed record in the consumer's idempotency table
 * (`id` = the idempotency key, `expiresAt` = epoch seconds, the table's TTL attribute), so retries on a new
 * container, replays and redrives also find it. A record that failed and has not completed has an item with
 * `failedAttempts` as well; its completion replaces that item. Never a round trip per record: a batch's lookup is one
 * BatchGetItem per 100 keys and its completions one BatchWriteItem per 25, the chunks sent in parallel;
 * keys this container completed or saw completed are answered from memory without a read.
 * docs/aws-semantics.md#dynamodb-batch-operations-and-ttl
 */
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { backoffDelay, sleep } from "../../../semantics/backoff";
import { BATCH_GET_ITEM_MAX_KEYS, BATCH_WRITE_ITEM_MAX_ITEMS, chunks, isExpired } from "../../../semantics/dynamodb";
import { MemoryIdempotencyStore } from "./memory-store";
import {
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  IDEMPOTENCY_FAILURES_ATTRIBUTE,
  IDEMPOTENCY_KEY_ATTRIBUTE,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  IdempotencyStoreError,
  type IdempotencyStore,
  type RecordHistory,
} from "./store";

/** Options of {@link DynamoDbIdempotencyStore}. */
export interface DynamoDbStoreOptions {
  readonly tableName: string;
  /** @default a client from the environment (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`) */
  readonly client?: DynamoDBClient;
  /** How long a completion is kept; the program sets the stream's retention plus 1 h. @default 90000 */
  readonly ttlSeconds?: number;
  /** Calls per chunk while DynamoDB leaves keys or items unprocessed (throttling). @default 5 */
  readonly maxAttempts?: number;
  /** First wait before sending unprocessed keys or items again (full jitter, doubling). @default 50 */
  readonly retryBaseMs?: number;
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

type Key = Record<string, AttributeValue>;

/** See the module comment. */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  /** One BatchWriteItem request: written as soon as that many records completed. */
  readonly completionChunk = BATCH_WRITE_ITEM_MAX_ITEMS;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly now: () => number;
  /** Completions known in this container, with the expiry they were stored with. */
  private readonly known: MemoryIdempotencyStore;

  constructor(options: DynamoDbStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client ?? new DynamoDBClient({});
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 50;
    this.now = options.now ?? Date.now;
    this.known = new MemoryIdempotencyStore({ ttlSeconds: this.ttlSeconds, now: this.now });
  }

  async lookup(keys: readonly string[]): Promise<RecordHistory> {
    const completed = this.known.completedNow(keys);
    const failedAttempts = new Map<string, number>();
    const unknown = [...new Set(keys.filter((key) => !completed.has(key)))];
    const answers = await Promise.all(chunks(unknown, BATCH_GET_ITEM_MAX_KEYS).map((chunk) => this.read(chunk)));
    const nowMs = this.now();
    for (const items of answers) {
      for (const item of items) {
        const id = item[IDEMPOTENCY_KEY_ATTRIBUTE]?.S;
        const expiresAt = Number(item[IDEMPOTENCY_TTL_ATTRIBUTE]?.N);
        // An item past its TTL may still be read until DynamoDB deletes it: it no longer counts.
        if (id === undefined || !Number.isFinite(expiresAt) || isExpired(expiresAt, nowMs)) continue;
        const failures = item[IDEMPOTENCY_FAILURES_ATTRIBUTE]?.N;
        if (failures !== undefined) {
          failedAttempts.set(id, Number(failures));
          continue;
        }
        completed.add(id);
        this.known.remember([id], expiresAt * 1000);
      }
    }
    return { completed, failedAttempts };
  }

  /** The completed keys among `keys` (a convenience over {@link lookup}). */
  async completed(keys: readonly string[]): Promise<ReadonlySet<string>> {
    return (await this.lookup(keys)).completed;
  }

  async complete(keys: readonly string[]): Promise<void> {
    const expiresAt = this.expiry();
    this.known.remember(keys, expiresAt * 1000);
    await this.writeAll([...new Set(keys)].map((id) => this.item(id, expiresAt)));
  }

  async recordFailures(attempts: ReadonlyMap<string, number>): Promise<void> {
    const expiresAt = this.expiry();
    await this.writeAll(
      [...attempts].map(([id, count]) => ({ ...this.item(id, expiresAt), [IDEMPOTENCY_FAILURES_ATTRIBUTE]: { N: String(count) } })),
    );
  }

  private expiry(): number {
    return Math.ceil(this.now() / 1000) + this.ttlSeconds;
  }

  private item(id: string, expiresAt: number): Key {
    return { [IDEMPOTENCY_KEY_ATTRIBUTE]: { S: id }, [IDEMPOTENCY_TTL_ATTRIBUTE]: { N: String(expiresAt) } };
  }

  /** Every item, one BatchWriteItem per chunk, the chunks in parallel. */
  private async writeAll(items: readonly Key[]): Promise<void> {
    await Promise.all(chunks(items, BATCH_WRITE_ITEM_MAX_ITEMS).map((chunk) => this.write(chunk)));
  }

  /** One BatchGetItem chunk (strongly consistent: a completion written just before must be seen), unprocessed keys sent again. */
  private async read(keys: readonly string[]): Promise<Key[]> {
    const items: Key[] = [];
    let pending: Key[] = keys.map((id) => ({ [IDEMPOTENCY_KEY_ATTRIBUTE]: { S: id } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.maxAttempts) {
        throw new IdempotencyStoreError(
          `BatchGetItem on ${this.tableName} left ${pending.length} of ${keys.length} keys unprocessed after ${this.maxAttempts} calls.`,
        );
      }
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, { baseMs: this.retryBaseMs }));
      const answer = await this.call(
        () =>
          this.client.send(
            new BatchGetItemCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: pending,
                  ConsistentRead: true,
                  ProjectionExpression: "#id, #ttl, #failed",
                  ExpressionAttributeNames: {
                    "#id": IDEMPOTENCY_KEY_ATTRIBUTE,
                    "#ttl": IDEMPOTENCY_TTL_ATTRIBUTE,
                    "#failed": IDEMPOTENCY_FAILURES_ATTRIBUTE,
                  },
                },
              },
            }),
          ),
        "BatchGetItem",
      );
      items.push(...(answer.Responses?.[this.tableName] ?? []));
      pending = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  /** One BatchWriteItem chunk, unprocessed items sent again. */
  private async write(items: readonly Key[]): Promise<void> {
    let pending: Array<{ PutRequest: { Item: Key } }> = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.maxAttempts) {
        throw new IdempotencyStoreError(
          `BatchWriteItem on ${this.tableName} left ${pending.length} of ${items.length} items unprocessed after ${this.maxAttempts} calls.`,
        );
      }
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, { baseMs: this.retryBaseMs }));
      const answer = await this.call(
        () => this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
        "BatchWriteItem",
      );
      pending = (answer.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }

  /** Runs one call (the SDK has already retried throttles and 5xx), naming the table and operation when it fails. */
  private async call<T>(send: () => Promise<T>, operation: string): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new IdempotencyStoreError(`${operation} on ${this.tableName} failed: ${(error as Error).name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
