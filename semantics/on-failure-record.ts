/**
 * The on-failure record: what Lambda sends to a Kinesis mapping's on-failure destination when it discards a
 * batch (docs/aws-semantics.md#on-failure-destinations; AWS Lambda developer guide, "Retain discarded batch
 * records for a Kinesis Data Streams event source in Lambda"). It holds pointers only: the records must be
 * read again from the stream. The local mapping builds it; redrive parses it.
 */

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
    readonly condition: OnFailureCondition;
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
}
