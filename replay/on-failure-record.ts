/**
 * Reads the on-failure record (semantics/on-failure-record.ts) an event source mapping sends to its SQS
 * destination: metadata only, pointing at the shard and sequence range of the batch it gave up on
 * (docs/aws-semantics.md#on-failure-destinations).
 */
import type { KinesisOnFailureRecord } from "../semantics/on-failure-record";

/** The pointers of one failed batch. */
export interface FailedBatchPointer {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly streamArn: string;
  /** The stream name, taken from the ARN. */
  readonly streamName: string;
  /** `RetryAttemptsExhausted`, `RecordAgeExceeded`, … when present. */
  readonly condition?: string;
  readonly functionArn?: string;
  readonly requestId?: string;
  readonly approximateInvokeCount?: number;
  /**
   * The idempotency key of the one user record a record written by the consumer runtime or by redrive
   * names (its `kinesisIngest` detail); absent on Lambda's own records, which name a range.
   */
  readonly recordKey?: string;
}

/** Parses an SQS message body; throws a sentence saying what is missing when it is not an on-failure record. */
export function parseOnFailureRecord(body: string): FailedBatchPointer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error("the message body is not JSON");
  }
  const info = (parsed as { KinesisBatchInfo?: Record<string, unknown> } | null)?.KinesisBatchInfo;
  if (typeof info !== "object" || info === null) throw new Error("the message has no KinesisBatchInfo (not a Kinesis on-failure record)");
  const text = (key: keyof KinesisOnFailureRecord["KinesisBatchInfo"]): string => {
    const value = info[key];
    if (typeof value !== "string" || value === "") throw new Error(`KinesisBatchInfo.${key} is missing`);
    return value;
  };
  const streamArn = text("streamArn");
  const streamName = /:stream\/([^/]+)$/.exec(streamArn)?.[1];
  if (!streamName) throw new Error(`KinesisBatchInfo.streamArn "${streamArn}" is not a Kinesis stream ARN`);
  const batchSize = info.batchSize;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1)
    throw new Error("KinesisBatchInfo.batchSize is missing");
  const context = (parsed as { requestContext?: Record<string, unknown> }).requestContext;
  const detail = (parsed as { kinesisIngest?: { idempotencyKey?: unknown } }).kinesisIngest;
  return {
    shardId: text("shardId"),
    startSequenceNumber: text("startSequenceNumber"),
    endSequenceNumber: text("endSequenceNumber"),
    batchSize,
    streamArn,
    streamName,
    condition: typeof context?.condition === "string" ? context.condition : undefined,
    functionArn: typeof context?.functionArn === "string" ? context.functionArn : undefined,
    requestId: typeof context?.requestId === "string" ? context.requestId : undefined,
    approximateInvokeCount: typeof context?.approximateInvokeCount === "number" ? context.approximateInvokeCount : undefined,
    recordKey: typeof detail?.idempotencyKey === "string" && detail.idempotencyKey !== "" ? detail.idempotencyKey : undefined,
  };
}
