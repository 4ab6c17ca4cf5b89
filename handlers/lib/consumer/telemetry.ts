/**
 * Structured JSON log lines and CloudWatch embedded-metric-format (EMF) metrics, written to stdout. The batch
 * summary is one line that is both the log entry and the EMF document, so a batch costs one write. Lines have
 * the shape of the handlers' shared logger (`../log`), which writes the per-record failure lines.
 */
import { createLogger, type Logger } from "../log";
import type { ConsumerOptions, ConsumerRecord } from "./types";

/** What the summary line of one batch reports. */
export interface BatchSummary {
  readonly shardId: string | undefined;
  readonly awsRequestId: string | undefined;
  readonly kinesisRecords: number;
  readonly aggregatedRecords: number;
  readonly records: number;
  readonly failed: number;
  /** Poison records written alone to the on-failure queue and acknowledged. */
  readonly isolated: number;
  readonly deferred: number;
  readonly skipped: number;
  /** Records acknowledged without processing: the idempotency store had them as completed. */
  readonly skippedDuplicates: number;
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
  /** Failure lines; its level threshold (`LOG_LEVEL`) never suppresses the summary, which carries the metrics. */
  readonly logger: Logger;
}

/** A sink whose logger writes through the same line writer and clock. */
function telemetrySink(serviceName: string, namespace: string, writeLine: (line: string) => void, now: () => number): TelemetrySink {
  return { serviceName, namespace, writeLine, now, logger: createLogger({ service: serviceName, write: writeLine, now }) };
}

/** The sink a consumer factory writes to, from its options and Powertools' environment variables. */
export function consumerTelemetry(options: Pick<ConsumerOptions, "serviceName" | "namespace" | "writeLine" | "now">): TelemetrySink {
  return telemetrySink(
    options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? "kinesis-consumer",
    options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? "kinesis-ingest",
    options.writeLine ?? ((line) => void process.stdout.write(line + "\n")),
    options.now ?? Date.now,
  );
}

const METRICS = [
  { Name: "Records", Unit: "Count" },
  { Name: "FailedRecords", Unit: "Count" },
  { Name: "IsolatedRecords", Unit: "Count" },
  { Name: "SkippedRecords", Unit: "Count" },
  { Name: "SkippedDuplicates", Unit: "Count" },
  { Name: "MaxRecordAgeMs", Unit: "Milliseconds" },
] as const;

/** Writes the batch summary: a log entry that is also an EMF document with the batch's metrics. */
export function writeBatchSummary(sink: TelemetrySink, summary: BatchSummary): void {
  const timestamp = sink.now();
  sink.writeLine(
    JSON.stringify({
      level: summary.failed > 0 || summary.isolated > 0 ? "warn" : "info",
      message: "Kinesis batch processed",
      timestamp: new Date(timestamp).toISOString(),
      service: sink.serviceName,
      awsRequestId: summary.awsRequestId,
      shardId: summary.shardId,
      kinesisRecords: summary.kinesisRecords,
      aggregatedRecords: summary.aggregatedRecords,
      deferredRecords: summary.deferred,
      firstFailedSequenceNumber: summary.firstFailedSequenceNumber,
      durationMs: summary.durationMs,
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [{ Namespace: sink.namespace, Dimensions: [["Service"]], Metrics: METRICS }],
      },
      Service: sink.serviceName,
      Records: summary.records,
      FailedRecords: summary.failed,
      IsolatedRecords: summary.isolated,
      SkippedRecords: summary.skipped,
      SkippedDuplicates: summary.skippedDuplicates,
      MaxRecordAgeMs: summary.maxRecordAgeMs,
    }),
  );
}

/**
 * Logs one failed record: where it is in the stream, its key, and the error (with the error's `logFields`,
 * such as a downstream status). Never the record's data, which may hold personal data.
 */
export function writeRecordFailure(sink: TelemetrySink, record: ConsumerRecord, error: unknown, awsRequestId: string | undefined): void {
  sink.logger.error("Record processing failed", {
    awsRequestId,
    ...position(record),
    error: describeError(error),
  });
}

/** Logs a poison record written alone to the on-failure queue: where it is, why, and the message that points at it. */
export function writeIsolated(
  sink: TelemetrySink,
  record: ConsumerRecord,
  isolation: { readonly condition: string; readonly messageId: string; readonly error: unknown },
  awsRequestId: string | undefined,
): void {
  sink.logger.warn("Poison record isolated to the on-failure queue", {
    awsRequestId,
    ...position(record),
    condition: isolation.condition,
    onFailureMessageId: isolation.messageId,
    error: describeError(isolation.error),
  });
}

/** Logs that a poison record could not be isolated: it fails like any other record, and nothing is lost. */
export function writeIsolationFailure(
  sink: TelemetrySink,
  record: ConsumerRecord,
  condition: string,
  error: unknown,
  awsRequestId: string | undefined,
): void {
  sink.logger.error("Poison record could not be written to the on-failure queue; it fails instead", {
    awsRequestId,
    ...position(record),
    condition,
    error: describeError(error),
  });
}

/** Where a record is in the stream, and its key. Never its data, which may hold personal data. */
function position(record: ConsumerRecord): Record<string, unknown> {
  return {
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: record.subSequenceNumber,
    partitionKey: record.partitionKey,
  };
}

/**
 * Logs that the completions of processed records could not be stored: they were processed and are
 * acknowledged, and only risk being processed again if they are delivered again.
 */
export function writeStoreWriteFailure(sink: TelemetrySink, records: number, error: unknown, awsRequestId: string | undefined): void {
  sink.logger.warn("Idempotency store write failed; these records may be processed again if redelivered", {
    awsRequestId,
    records,
    error: describeError(error),
  });
}

/** Logs that the idempotency store could not say which records completed: the batch fails, nothing is processed. */
export function writeStoreReadFailure(sink: TelemetrySink, records: number, error: unknown, awsRequestId: string | undefined): void {
  sink.logger.error("Idempotency store read failed; the batch fails and Lambda retries it", {
    awsRequestId,
    records,
    error: describeError(error),
  });
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: "NonError", message: String(error) };
  const logFields = (error as Partial<{ logFields: unknown }>).logFields;
  const extra = typeof logFields === "object" && logFields !== null ? logFields : {};
  return { name: error.name, message: error.message, ...extra };
}
