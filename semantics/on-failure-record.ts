/**
 * The on-failure record: what Lambda sends to a Kinesis mapping's on-failure destination when it discards a
 * batch (docs/aws-semantics.md#on-failure-destinations; AWS Lambda developer guide, "Retain discarded batch
 * records for a Kinesis Data Streams event source in Lambda"). It holds pointers only: the records must be
 * read again from the stream. The local mapping builds it; redrive parses it.
 */

import { MAX_FAILURE_REASON_CHARS, type RecordFailureCondition } from "./poison-records";

/** Why the mapping gave up on the batch. */
export type OnFailureCondition = "RetryAttemptsExhausted" | "RecordAgeExceeded";

/**
 * The JSON body Lambda sends, key for key in Lambda's order, as AWS recorded it (LocalStack's AWS snapshots,
 * tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_kinesis.snapshot.json).
 */
export interface KinesisOnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    /** Lambda's own conditions, or the runtime's and redrive's for one record (semantics/poison-records.ts). */
    readonly condition: OnFailureCondition | RecordFailureCondition;
    readonly approximateInvokeCount: number;
  };
  /**
   * The last invocation's response, on `RetryAttemptsExhausted` only: AWS omits the key on
   * `RecordAgeExceeded`, whether the records expired before any invocation or while being retried.
   */
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: "$LATEST";
    /** `"Unhandled"` after a function error; `null` when the batch failed by its batchItemFailures report. */
    readonly functionError: string | null;
  };
  readonly version: "1.0";
  readonly timestamp: string;
  readonly KinesisBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /**
   * kinesis-ingest's addition, on the records the runtime and redrive write for one user record (never on
   * Lambda's): which user record of the range (a KPL aggregate holds several) and why it failed.
   */
  readonly kinesisIngest?: RecordFailureDetail;
}

/** The failed user record of a one-record on-failure record. */
export interface RecordFailureDetail {
  readonly partitionKey: string;
  readonly subSequenceNumber: number;
  /** `shardId:sequenceNumber:subSequenceNumber`: what `replay --reprocess`-style requests name it by. */
  readonly idempotencyKey: string;
  /** The error, as `Name: message`, at most MAX_FAILURE_REASON_CHARS characters. */
  readonly reason: string;
}

/** One user record that failed for good, as the runtime or redrive knows it. */
export interface FailedRecord {
  readonly functionArn: string;
  readonly requestId: string;
  readonly condition: RecordFailureCondition;
  /** How many times the record was handed to the function, as far as the writer knows (at least 1). */
  readonly approximateInvokeCount: number;
  /** The stream ARN, or the enhanced fan-out consumer ARN the record was read through. */
  readonly eventSourceArn: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** When Kinesis accepted the record, epoch seconds (fractional). */
  readonly approximateArrivalTimestamp: number;
  readonly partitionKey: string;
  readonly subSequenceNumber: number;
  readonly reason: string;
  readonly nowMs: number;
}

/**
 * The on-failure record of one user record, in Lambda's shape with a range of exactly its Kinesis record
 * (`startSequenceNumber` = `endSequenceNumber`, `batchSize` 1), so `redrive` and any reader of Lambda's
 * records handle it unchanged; `kinesisIngest` says which user record and why.
 */
export function oneRecordOnFailure(failed: FailedRecord): KinesisOnFailureRecord {
  const arrival = new Date(Math.round(failed.approximateArrivalTimestamp * 1000)).toISOString();
  return {
    requestContext: {
      requestId: failed.requestId,
      functionArn: failed.functionArn,
      condition: failed.condition,
      approximateInvokeCount: Math.max(1, failed.approximateInvokeCount),
    },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: null },
    version: "1.0",
    timestamp: new Date(failed.nowMs).toISOString(),
    KinesisBatchInfo: {
      shardId: failed.shardId,
      startSequenceNumber: failed.sequenceNumber,
      endSequenceNumber: failed.sequenceNumber,
      approximateArrivalOfFirstRecord: arrival,
      approximateArrivalOfLastRecord: arrival,
      batchSize: 1,
      streamArn: streamArnOf(failed.eventSourceArn),
    },
    kinesisIngest: {
      partitionKey: failed.partitionKey,
      subSequenceNumber: failed.subSequenceNumber,
      idempotencyKey: `${failed.shardId}:${failed.sequenceNumber}:${failed.subSequenceNumber}`,
      reason: failed.reason.slice(0, MAX_FAILURE_REASON_CHARS),
    },
  };
}

/** The stream ARN of an event source ARN: an enhanced fan-out consumer's (`…:stream/NAME/consumer/C:123`) loses its consumer part. */
function streamArnOf(eventSourceArn: string): string {
  const at = eventSourceArn.indexOf("/consumer/");
  return at < 0 ? eventSourceArn : eventSourceArn.slice(0, at);
}
