/**
 * The public types of the event source mapping engine: its options, the function it invokes, its counters,
 * and the shape of one stream record as the engine carries it between the poller, the lanes and the batches.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { ConsumerConfig, MappingConfig } from "../../config/types";

/** What one invocation of the function gave back. */
export interface InvokeResult {
  /** The function's return value (already parsed from JSON), e.g. `{ batchItemFailures: [...] }`. */
  readonly payload?: unknown;
  /** Set when the function failed (`Unhandled` for a thrown error, as Lambda's `X-Amz-Function-Error`). */
  readonly functionError?: string;
  /** The Invoke API status code. @default 200 */
  readonly statusCode?: number;
}

/** Per-invocation details handed to the function runner, e.g. to use as the Lambda context's `awsRequestId`. */
export interface InvokeContext {
  /** The request id; the on-failure record's `requestContext.requestId` names the last one. */
  readonly requestId: string;
}

/**
 * Runs the function once with a Kinesis event. Resolve with `functionError` set when the function failed;
 * reject only when the function could not be reached (throttled, reserved concurrency 0, service error):
 * such attempts are retried with backoff and, like Lambda's, never count as retry attempts.
 */
export type InvokeFunction = (event: KinesisStreamEvent, context: InvokeContext) => Promise<InvokeResult>;

/**
 * The consumer settings the engine reads; a validated {@link ConsumerConfig} satisfies it. `filterPatterns`
 * (default none) and `tumblingWindowSeconds` (default 0, no window) are optional so older callers stay valid.
 */
export type MappingSettings = Partial<Pick<ConsumerConfig, "filterPatterns" | "tumblingWindowSeconds">> & MappingConfig;

/** Options of {@link EventSourceMapping}. */
export interface EventSourceMappingOptions {
  /** Client of the Kinesis API (emulator or limits proxy). */
  readonly kinesis: KinesisClient;
  /** Client of the SQS API holding the on-failure destination. */
  readonly sqs: SQSClient;
  readonly streamName: string;
  /** Goes into every event's `eventSourceARN` and every on-failure record's `KinesisBatchInfo.streamArn`. */
  readonly streamArn: string;
  /** The mapping's knobs: batch size, window, starting position, parallelization, bisect, age, retries, enabled. */
  readonly consumer: MappingSettings;
  /** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`, reported in on-failure records. */
  readonly functionArn: string;
  /** SQS queue URL of the on-failure destination; without one, discarded batches are only counted. */
  readonly dlqUrl?: string;
  readonly invoke: InvokeFunction;
  /** `FunctionResponseTypes: ["ReportBatchItemFailures"]`; the stack's StreamConsumer always sets it. @default true */
  readonly reportBatchItemFailures?: boolean;
  /** The events' `invokeIdentityArn`. @default `arn:aws:iam::ACCOUNT:role/NAME-role` from `functionArn` */
  readonly invokeIdentityArn?: string;
  /** Wait between two GetRecords calls that returned nothing (Lambda polls an idle shard once a second). @default 1000 */
  readonly pollIntervalMs?: number;
  /** How often ListShards looks for shards created by resharding. @default 1000 */
  readonly shardDiscoveryIntervalMs?: number;
  /** First delay before retrying a failed batch; doubles per retry up to 5 s. @default 100 */
  readonly retryBaseDelayMs?: number;
  /** Epoch milliseconds, for record ages, iterator age and timestamps (tests move it). @default Date.now */
  readonly clock?: () => number;
  /** Told about transient errors the engine retries (throttling, expired iterators, SQS errors). */
  readonly onError?: (error: unknown, during: string) => void;
}

/** Counters of one mapping, as `GET /_local/status` shows them. */
export interface EventSourceMappingStats {
  /** Invocations that reached the function. */
  readonly invocations: number;
  /** Records delivered to the function, redeliveries included. */
  readonly records: number;
  /** Entries of valid `batchItemFailures` responses. */
  readonly batchItemFailures: number;
  /** Re-invocations counted against `maxRetryAttempts` (bisect splits and throttles are not). */
  readonly retries: number;
  /** Batches split in two (or at a reported failure). */
  readonly bisections: number;
  /** Records discarded to the on-failure destination (counted, not sent, when the mapping has none). */
  readonly dlqRecords: number;
  /**
   * Reads of a shard that found it caught up: no new record and no batch in flight. Two more of them after an
   * event mean the mapping has read past it: what a test waits for before it says nothing else was delivered.
   */
  readonly idlePolls: number;
  /** Age of the last record of the latest batch when it was invoked, the largest over shards; 0 once caught up. */
  readonly iteratorAgeMs: number;
}

/** One record read from a shard, with its event entry built once. */
export interface ShardRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** `ApproximateArrivalTimestamp` in epoch milliseconds. */
  readonly arrivalMs: number;
  /** The entry of `Records[]` the function receives. */
  readonly event: KinesisStreamRecord;
  /** Bytes the entry adds to the invoke payload (its JSON plus a comma). */
  readonly eventBytes: number;
}
