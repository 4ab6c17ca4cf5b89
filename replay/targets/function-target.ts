/**
 * `--to-function NAME`: invokes the consumer synchronously with Lambda-shaped Kinesis events and honours
 * its partial batch response exactly as an event source mapping does: a function error retries the whole
 * batch; `batchItemFailures` retries from the lowest reported sequence number; an invalid response
 * (missing or unknown `itemIdentifier`) counts as a whole-batch failure. Retries are bounded; what is
 * still failing is returned for the report.
 *
 * Every event asks the consumer for its per-record report (semantics/consumer-report.ts), so each user
 * record is counted by what the consumer says it did with it, not by what was sent.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { readBatchItemFailures } from "../../semantics/batch-response";
import { CONTROL_MEMBER, readRecordReports, type ConsumerControl, type RecordReport } from "../../semantics/consumer-report";
import { kinesisEvent, kinesisEventRecord, type EventSource } from "../../semantics/lambda-event";
import { withRetry, type RetryPolicy, DEFAULT_RETRY } from "../retry";
import type { StreamRecord } from "../types";
import { DeliveryLedger } from "./delivery-ledger";
import type { DeliveryOutcome, ReplayTarget } from "./target";

/** Options of {@link functionTarget}. */
export interface FunctionTargetOptions {
  readonly lambda: LambdaClient;
  readonly functionName: string;
  readonly source: EventSource;
  /** Re-invocations after the first failure of a batch. @default 3 */
  readonly maxRetries?: number;
  /** For throttled or failed Invoke calls (not function errors). */
  readonly invokeRetry?: RetryPolicy;
  /** Told about each re-invocation (for progress). */
  readonly onRetry?: (reason: string) => void;
  /**
   * Records the consumer should run although it completed them before: `true` for every record
   * (`replay --reprocess`), or their idempotency keys (redrive of a record the consumer isolated).
   */
  readonly reprocess?: true | readonly string[];
}

/**
 * Record data per invocation: base64 (×4/3) plus the event's JSON stays under Lambda's 6 MB synchronous
 * invoke payload.
 */
const MAX_INVOKE_DATA_BYTES = 4 * 1024 * 1024;

/** How one invocation went: `failedFrom` is the index of the first record to retry; `reports` is absent when the function sent none. */
type InvocationResult = ({ readonly ok: true } | { readonly ok: false; readonly failedFrom: number; readonly reason: string }) & {
  readonly reports?: readonly RecordReport[];
};

/** A target that invokes a Lambda function (or the local stack's Invoke endpoint). */
export function functionTarget(options: FunctionTargetOptions): ReplayTarget {
  const maxRetries = options.maxRetries ?? 3;
  return {
    description: `function:${options.functionName}`,
    maxBatchBytes: MAX_INVOKE_DATA_BYTES,
    async deliver(records): Promise<DeliveryOutcome> {
      const ledger = new DeliveryLedger(records);
      let pending = records;
      for (let attempt = 0; ; attempt++) {
        const result = await invokeOnce(options, pending, ledger.control(pending, options.reprocess));
        ledger.invoked(pending, result.reports);
        if (result.ok) {
          ledger.settled(pending);
          return ledger.finish();
        }
        ledger.settled(pending.slice(0, result.failedFrom));
        pending = pending.slice(result.failedFrom);
        if (attempt >= maxRetries) return ledger.finish(`${result.reason} (after ${maxRetries + 1} invocations)`);
        options.onRetry?.(result.reason);
      }
    },
    close: async () => undefined,
  };
}

async function invokeOnce(
  options: FunctionTargetOptions,
  records: readonly StreamRecord[],
  control: ConsumerControl,
): Promise<InvocationResult> {
  const event = kinesisEvent(records.map((record) => kinesisEventRecord(record, options.source)));
  const payload = JSON.stringify({ ...event, [CONTROL_MEMBER]: control });
  const response = await withRetry(
    () =>
      options.lambda.send(
        new InvokeCommand({ FunctionName: options.functionName, InvocationType: "RequestResponse", Payload: Buffer.from(payload) }),
      ),
    options.invokeRetry ?? DEFAULT_RETRY,
  );
  const body = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
  if (response.FunctionError) {
    return { ok: false, failedFrom: 0, reason: `function error ${response.FunctionError}: ${body.slice(0, 200)}` };
  }
  return interpretBatchResponse(body, records);
}

/**
 * Reads the function's answer to a batch (records of one shard, in order) with the shared
 * `batchItemFailures` reader, and its per-record report. An empty or non-JSON body is not a partial batch
 * response: success.
 */
function interpretBatchResponse(body: string, records: readonly StreamRecord[]): InvocationResult {
  if (body.trim() === "") return { ok: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: true }; // a non-JSON return value is not a partial batch response; Lambda treats it as success
  }
  const reports = readRecordReports(parsed);
  const read = readBatchItemFailures(
    parsed,
    records.map((record) => record.sequenceNumber),
  );
  if (read.kind === "success") return { ok: true, reports };
  if (read.kind === "invalid") return { ok: false, failedFrom: 0, reason: read.reason, reports };
  return {
    ok: false,
    failedFrom: read.firstFailedIndex,
    // A "partial" answer's index is one of the sequence numbers passed in: one per record.
    reason: `batchItemFailures from ${records[read.firstFailedIndex]!.sequenceNumber}`,
    reports,
  };
}

/** The identity a replay names in its events' `invokeIdentityArn`: a role in the stream's account, named for the tool. */
export function replayIdentityArn(streamArn: string): string {
  const account = streamArn.split(":")[4] || "000000000000";
  return `arn:aws:iam::${account}:role/kinesis-ingest-replay`;
}

/**
 * The targets `redrive --to-function` delivers each on-failure message's range to: the function, invoked with
 * events naming the range's stream as the mapping would, reprocessing exactly the keys the message names (a
 * record the consumer isolated). The CLI, the local console and the benchmark redrive through this one.
 */
export function redriveFunctionTargets(
  options: Pick<FunctionTargetOptions, "lambda" | "functionName" | "maxRetries"> & { readonly region: string },
): (batch: { readonly streamArn: string }, reprocess: readonly string[] | undefined) => ReplayTarget {
  const { region, ...target } = options;
  return (batch, reprocess) =>
    functionTarget({
      ...target,
      reprocess,
      source: { streamArn: batch.streamArn, region, invokeIdentityArn: replayIdentityArn(batch.streamArn) },
    });
}
