/**
 * The on-failure record: what Lambda sends to a Kinesis mapping's on-failure destination when it discards a
 * batch (docs/aws-semantics.md#on-failure-destinations; AWS Lambda developer guide, "Retain discarded batch
 * records for a Kinesis Data Streams event source in Lambda"). It holds pointers only: the records must be
 * read again from the stream. The local mapping builds it; redrive parses it.
 */

/** Why the mapping gave up on the batch. */
export type OnFailureCondition = "RetryAttemptsExhausted" | "RecordAgeExceeded";

/** The JSON body Lambda sends, key for key in Lambda's order. */
export interface KinesisOnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: OnFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: "$LATEST";
    readonly functionError?: string;
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
