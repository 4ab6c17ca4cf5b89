/**
 * What the idempotency suites share: hand-made Kinesis events (positions chosen by the test), a consumer
 * whose lines are captured.
 */
import type { KinesisStreamEvent } from "aws-lambda";
import { createKinesisConsumer, type ConsumerOptions, type RecordProcessor } from "../../handlers/lib/consumer";
import { kinesisEvent, kinesisEventRecord } from "../../semantics/lambda-event";

const STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/idempotency-test";
const SHARD = "shardId-000000000000";

/** An event of records `[partitionKey, data]`, at sequence numbers `first`, `first + 1`, … (56 digits, as Kinesis writes them). */
export function eventOf(records: ReadonlyArray<readonly [string, string]>, first = 1): KinesisStreamEvent {
  return kinesisEvent(
    records.map(([partitionKey, data], i) =>
      kinesisEventRecord(
        {
          shardId: SHARD,
          partitionKey,
          sequenceNumber: sequenceNumber(first + i),
          data: Buffer.from(data),
          approximateArrivalTimestamp: new Date(1_900_000_000_000),
        },
        { streamArn: STREAM_ARN, invokeIdentityArn: "arn:aws:iam::000000000000:role/idempotency-test" },
      ),
    ),
  );
}

/** The 56-digit sequence number of position `n`. */
export function sequenceNumber(n: number): string {
  return "4" + String(n).padStart(55, "0");
}

/** The idempotency key of position `n` (not aggregated). */
export function keyOf(n: number): string {
  return `${SHARD}:${sequenceNumber(n)}:0`;
}

/** A consumer that records what it processed and captures its JSON lines. */
export function consumerUnderTest(processRecord: RecordProcessor, options: ConsumerOptions) {
  const lines: Record<string, unknown>[] = [];
  const processed: string[] = [];
  const handler = createKinesisConsumer(
    async (record, context) => {
      await processRecord(record, context);
      processed.push(record.data.toString("utf8"));
    },
    {
      serviceName: "idempotency-test",
      writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      ...options,
    },
  );
  const summaries = () => lines.filter((line) => line.message === "Kinesis batch processed");
  return { handler, lines, processed, summaries };
}
