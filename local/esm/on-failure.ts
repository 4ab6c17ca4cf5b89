/**
 * Builds and sends the on-failure record (semantics/on-failure-record.ts) for a discarded run of records
 * (docs/aws-semantics.md#on-failure-destinations).
 */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { backoffDelay, sleep } from "../../semantics/backoff";
import type { KinesisOnFailureRecord, OnFailureCondition } from "../../semantics/on-failure-record";
import type { ShardRecord } from "./types";

/** The last response the discarded records got; absent when they were never invoked. */
export interface LastResponse {
  readonly requestId: string;
  readonly statusCode: number;
  readonly functionError?: string;
}

export interface OnFailureInput {
  readonly functionArn: string;
  readonly streamArn: string;
  readonly condition: OnFailureCondition;
  /** How many times these records were handed to the function. */
  readonly approximateInvokeCount: number;
  readonly lastResponse?: LastResponse;
  /** The discarded records, in shard order; at least one. */
  readonly records: readonly ShardRecord[];
  readonly nowMs: number;
  /** Request id to report when the records were never invoked. */
  readonly fallbackRequestId: string;
}

/**
 * Builds the on-failure record for a discarded run of records, as AWS writes it (LocalStack's recordings of
 * AWS, test_lambda_integration_kinesis.snapshot.json): `RecordAgeExceeded` has no `responseContext` and an
 * `approximateInvokeCount` of at least 1 (1 when the records expired before any invocation);
 * `RetryAttemptsExhausted` carries the last response, `functionError` `null` when the function did not fail
 * but reported batch item failures.
 */
export function buildOnFailureRecord(input: OnFailureInput): KinesisOnFailureRecord {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  if (!first || !last) throw new Error("An on-failure record describes at least one record; got none");
  const response = input.lastResponse;
  const aged = input.condition === "RecordAgeExceeded";
  return {
    requestContext: {
      requestId: response?.requestId ?? input.fallbackRequestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: aged ? Math.max(1, input.approximateInvokeCount) : input.approximateInvokeCount,
    },
    ...(aged || response === undefined
      ? {}
      : {
          responseContext: {
            statusCode: response.statusCode,
            executedVersion: "$LATEST" as const,
            functionError: response.functionError ?? null,
          },
        }),
    version: "1.0",
    timestamp: new Date(input.nowMs).toISOString(),
    KinesisBatchInfo: {
      shardId: first.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}

/**
 * Sends the record to the SQS destination, retrying with backoff until it is accepted or `signal` aborts
 * (then it returns false: the batch is not checkpointed and will be read again).
 */
export async function sendOnFailureRecord(
  sqs: SQSClient,
  queueUrl: string,
  record: KinesisOnFailureRecord,
  signal: AbortSignal,
  onError?: (error: unknown, during: string) => void,
): Promise<boolean> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }));
      return true;
    } catch (error) {
      onError?.(error, `sending an on-failure record to ${queueUrl}`);
      await sleep(backoffDelay(attempt), signal);
    }
  }
  return false;
}
