/**
 * `--to-function NAME`: invokes the consumer synchronously with Lambda-shaped Kinesis events and honours
 * its partial batch response exactly as an event source mapping does: a function error retries the whole
 * batch; `batchItemFailures` retries from the lowest reported sequence number; an invalid response
 * (missing or unknown `itemIdentifier`) counts as a whole-batch failure. Retries are bounded; what is
 * still failing is returned for the report.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { withRetry, type RetryPolicy, DEFAULT_RETRY } from "../retry";
import { compareSequenceNumbers, type StreamRecord } from "../types";
import { toKinesisEvent, type EventSource } from "./lambda-event";
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
}

/**
 * Record data per invocation: base64 (×4/3) plus the event's JSON stays under Lambda's 6 MB synchronous
 * invoke payload.
 */
export const MAX_INVOKE_DATA_BYTES = 4 * 1024 * 1024;

/** How one invocation went: `failedFrom` is the index of the first record to retry. */
type InvocationResult = { readonly ok: true } | { readonly ok: false; readonly failedFrom: number; readonly reason: string };

/** A target that invokes a Lambda function (or the local stack's Invoke endpoint). */
export function functionTarget(options: FunctionTargetOptions): ReplayTarget {
  const maxRetries = options.maxRetries ?? 3;
  return {
    description: `function:${options.functionName}`,
    maxBatchBytes: MAX_INVOKE_DATA_BYTES,
    async deliver(records): Promise<DeliveryOutcome> {
      let pending = records;
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await invokeOnce(options, pending);
        if (result.ok) return { failed: [] };
        pending = pending.slice(result.failedFrom);
        if (attempt >= maxRetries) {
          return { failed: pending, reason: `${result.reason} (after ${maxRetries + 1} invocations)` };
        }
        options.onRetry?.(result.reason);
      }
      return { failed: [] };
    },
    close: async () => undefined,
  };
}

async function invokeOnce(options: FunctionTargetOptions, records: readonly StreamRecord[]): Promise<InvocationResult> {
  const payload = JSON.stringify(toKinesisEvent(records, options.source));
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
 * Reads a partial batch response. Empty body, `null`, no `batchItemFailures` or an empty list: success.
 * Otherwise every entry must name a record of the batch, else the whole batch failed (as Lambda rules).
 */
export function interpretBatchResponse(body: string, records: readonly StreamRecord[]): InvocationResult {
  if (body.trim() === "") return { ok: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: true }; // a non-JSON return value is not a partial batch response; Lambda treats it as success
  }
  const failures = (parsed as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return { ok: true };
  if (!Array.isArray(failures)) return { ok: false, failedFrom: 0, reason: "batchItemFailures is not a list" };
  if (failures.length === 0) return { ok: true };
  let lowest: number | undefined;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === "string" && id !== "" ? records.findIndex((r) => r.sequenceNumber === id) : -1;
    if (index < 0) return { ok: false, failedFrom: 0, reason: `invalid itemIdentifier ${JSON.stringify(id)}` };
    if (lowest === undefined || compareSequenceNumbers(records[index].sequenceNumber, records[lowest].sequenceNumber) < 0) lowest = index;
  }
  const from = lowest ?? 0;
  return { ok: false, failedFrom: from, reason: `batchItemFailures from ${records[from].sequenceNumber}` };
}
