/**
 * Structured JSON log lines and CloudWatch embedded-metric-format (EMF) metrics, written to stdout. The batch
 * summary is one line that is both the log entry and the EMF document, so a batch costs one write.
 */
import type { ConsumerRecord } from "./types";

/** What the summary line of one batch reports. */
export interface BatchSummary {
  readonly shardId: string | undefined;
  readonly awsRequestId: string | undefined;
  readonly kinesisRecords: number;
  readonly aggregatedRecords: number;
  readonly records: number;
  readonly failed: number;
  readonly skipped: number;
  readonly firstFailedSequenceNumber: string | undefined;
  readonly maxRecordAgeMs: number;
  readonly durationMs: number;
}

/** Where and under which names the lines are written. */
export interface TelemetrySink {
  readonly serviceName: string;
  readonly namespace: string;
  readonly writeLine: (line: string) => void;
  readonly now: () => number;
}

const METRICS = [
  { Name: "Records", Unit: "Count" },
  { Name: "FailedRecords", Unit: "Count" },
  { Name: "SkippedRecords", Unit: "Count" },
  { Name: "MaxRecordAgeMs", Unit: "Milliseconds" },
] as const;

/** Writes the batch summary: a log entry that is also an EMF document with the batch's metrics. */
export function writeBatchSummary(sink: TelemetrySink, summary: BatchSummary): void {
  const timestamp = sink.now();
  sink.writeLine(
    JSON.stringify({
      timestamp: new Date(timestamp).toISOString(),
      level: summary.failed > 0 ? "WARN" : "INFO",
      message: "Kinesis batch processed",
      service: sink.serviceName,
      awsRequestId: summary.awsRequestId,
      shardId: summary.shardId,
      kinesisRecords: summary.kinesisRecords,
      aggregatedRecords: summary.aggregatedRecords,
      firstFailedSequenceNumber: summary.firstFailedSequenceNumber,
      durationMs: summary.durationMs,
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [{ Namespace: sink.namespace, Dimensions: [["Service"]], Metrics: METRICS }],
      },
      Service: sink.serviceName,
      Records: summary.records,
      FailedRecords: summary.failed,
      SkippedRecords: summary.skipped,
      MaxRecordAgeMs: summary.maxRecordAgeMs,
    }),
  );
}

/**
 * Logs one failed record: where it is in the stream, its key, and the error (with the error's `logFields`,
 * such as a downstream status). Never the record's data, which may hold personal data.
 */
export function writeRecordFailure(
  sink: TelemetrySink,
  record: ConsumerRecord,
  error: unknown,
  awsRequestId: string | undefined,
): void {
  sink.writeLine(
    JSON.stringify({
      timestamp: new Date(sink.now()).toISOString(),
      level: "ERROR",
      message: "Record processing failed",
      service: sink.serviceName,
      awsRequestId,
      shardId: record.shardId,
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
      partitionKey: record.partitionKey,
      error: describeError(error),
    }),
  );
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: "NonError", message: String(error) };
  const logFields = (error as Partial<{ logFields: unknown }>).logFields;
  const extra = typeof logFields === "object" && logFields !== null ? logFields : {};
  return { name: error.name, message: error.message, ...extra };
}
