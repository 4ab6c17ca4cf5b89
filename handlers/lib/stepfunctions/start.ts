/**
 * The two deliveries of the `stepfunctions` consumer (docs/aws-semantics.md#step-functions-executions):
 *
 * - STANDARD: one StartExecution a record, named from its idempotency key, so a redelivery (a retried batch,
 *   a replay) asks for a name already used and Step Functions answers ExecutionAlreadyExists: the record was
 *   started before, which counts as done. Names stay taken for 90 days after an execution closes.
 * - EXPRESS: one StartSyncExecution a request of records (input `{"records":[…]}`); its output may name the
 *   records it refused, `{"failed":[{"index": i, "error"?: "why", "retriable"?: false}]}` (the forwarder's
 *   batch contract); a FAILED or TIMED_OUT execution fails every record of the request.
 *
 * Throttling and service faults are retried here with full-jitter backoff while the function has time;
 * refusals of the record itself (its input) are permanent: the record is poison and is isolated.
 */
import { StartExecutionCommand, StartSyncExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { Context } from "aws-lambda";
import { backoffDelay, sleep, type BackoffOptions } from "../../../semantics/backoff";
import { awsErrorName, classifyAwsError } from "../../../semantics/errors";
import {
  EXECUTION_ALREADY_EXISTS,
  EXECUTION_INPUT_MAX_BYTES,
  executionName,
  EXPRESS_BATCH_MAX_RECORDS,
  SFN_RECORD_ERRORS,
  SFN_THROTTLE_CODES,
} from "../../../semantics/step-functions";
import {
  createBatchedConsumer,
  createKinesisConsumer,
  type ChunkAnswer,
  type ConsumerOptions,
  type ConsumerRecord,
  type KinesisConsumerHandler,
  PermanentRecordError,
} from "../consumer";
import { BATCH_ENVELOPE_BYTES, batchEntryBytes, batchInput, recordInput } from "./input";

/** Retry settings: attempts per call (the first included), the time kept in reserve, the wait (tests: instant). */
export interface SfnRetryOptions extends BackoffOptions {
  /** @default 6 */
  readonly maxAttempts?: number;
  /** @default 1000 */
  readonly reserveMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** Options of {@link createStepFunctionsConsumer}. */
export interface StepFunctionsConsumerOptions {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
  readonly workflowType: "STANDARD" | "EXPRESS";
  readonly retry?: SfnRetryOptions;
  readonly consumer?: ConsumerOptions;
}

/** An execution that ended FAILED or TIMED_OUT, or an output that breaks the contract: the request's records fail. */
class ExecutionFailedError extends Error {
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(message: string, logFields: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = "ExecutionFailedError";
    this.logFields = logFields;
  }
}

/** `call`, again after a full-jitter wait while it throws a throttle or fault and attempts and time allow. */
async function withRetries<T>(call: () => Promise<T>, context: Context | undefined, retry: SfnRetryOptions = {}): Promise<T> {
  const maxAttempts = retry.maxAttempts ?? 6;
  const reserveMs = retry.reserveMs ?? 1_000;
  const wait = retry.sleep ?? ((ms: number) => sleep(ms));
  const timeLeft = (): number =>
    typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient = SFN_THROTTLE_CODES.has(awsErrorName(error) ?? "") || classifyAwsError(error) !== "permanent";
      const delay = backoffDelay(attempt, retry, retry.random);
      if (!transient || attempt + 1 >= maxAttempts || timeLeft() - delay < reserveMs) throw error;
      await wait(delay);
    }
  }
}

/** A refusal of the record's own input becomes poison; anything else stays an ordinary failure. */
function asRecordError(error: unknown, stateMachineArn: string): unknown {
  const code = awsErrorName(error);
  if (code === undefined || !SFN_RECORD_ERRORS.has(code)) return error;
  const message = `${stateMachineArn} refused the execution: ${code}: ${error instanceof Error ? error.message : String(error)}`;
  return new PermanentRecordError(message, { cause: error, logFields: { stateMachineArn, errorCode: code } });
}

/** STANDARD: one named execution a record. */
function standardConsumer(options: StepFunctionsConsumerOptions): KinesisConsumerHandler {
  const { client, stateMachineArn } = options;
  return createKinesisConsumer(
    async (record, context) => {
      const input = recordInput(record);
      const bytes = Buffer.byteLength(input, "utf8");
      if (bytes > EXECUTION_INPUT_MAX_BYTES)
        throw new PermanentRecordError(`The record's input is ${bytes} bytes; Step Functions takes at most ${EXECUTION_INPUT_MAX_BYTES}.`, {
          logFields: { stateMachineArn, inputBytes: bytes },
        });
      const name = executionName(record.idempotencyKey);
      try {
        await withRetries(() => client.send(new StartExecutionCommand({ stateMachineArn, name, input })), context, options.retry);
      } catch (error) {
        // Our names are one a record: the name is taken because this record was started before.
        if (awsErrorName(error) === EXECUTION_ALREADY_EXISTS) return;
        throw asRecordError(error, stateMachineArn);
      }
    },
    { serviceName: "stepfunctions", ...options.consumer },
  );
}

/** Reads an Express execution's output into the records it refused (see the file's comment for the contract). */
function refusedByOutput(output: string | undefined, records: readonly ConsumerRecord[], stateMachineArn: string): ChunkAnswer {
  const malformed = (why: string) =>
    new ExecutionFailedError(`${stateMachineArn} answered with ${why}; every record of the request fails.`, { stateMachineArn });
  let answer: unknown;
  try {
    answer = output === undefined || output.trim() === "" ? undefined : JSON.parse(output);
  } catch {
    answer = undefined;
  }
  const failed = typeof answer === "object" && answer !== null && "failed" in answer ? answer.failed : undefined;
  if (failed === undefined) return { failed: [] };
  if (!Array.isArray(failed)) throw malformed('a "failed" member that is not a list');
  const seen = new Set<number>();
  return {
    failed: failed.map((entry: unknown) => {
      const { index, error, retriable } = (entry ?? {}) as { index?: unknown; error?: unknown; retriable?: unknown };
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= records.length || seen.has(index))
        throw malformed(`"failed" naming index ${JSON.stringify(index)} in a request of ${records.length} records`);
      seen.add(index);
      const why = typeof error === "string" && error !== "" ? `: ${error.slice(0, 500)}` : ".";
      const refusal = new ExecutionFailedError(`${stateMachineArn} refused the record${why}`, { stateMachineArn });
      return {
        index,
        error: retriable === false ? new PermanentRecordError(refusal.message, { cause: refusal, logFields: refusal.logFields }) : refusal,
      };
    }),
  };
}

/** EXPRESS: one synchronous execution a request of records. */
function expressConsumer(options: StepFunctionsConsumerOptions): KinesisConsumerHandler {
  const { client, stateMachineArn } = options;
  return createBatchedConsumer(
    async (records, context) => {
      let result;
      try {
        result = await withRetries(
          () => client.send(new StartSyncExecutionCommand({ stateMachineArn, input: batchInput(records) })),
          context,
          options.retry,
        );
      } catch (error) {
        // Which record made the input invalid is only known when the request holds one.
        throw records.length === 1 ? asRecordError(error, stateMachineArn) : error;
      }
      if (result.status !== "SUCCEEDED")
        throw new ExecutionFailedError(
          `The execution ${result.executionArn ?? ""} ended ${result.status ?? "without a status"}: ${result.error ?? ""} ${result.cause ?? ""}`.trim(),
          { stateMachineArn, status: result.status, errorCode: result.error },
        );
      return refusedByOutput(result.output, records, stateMachineArn);
    },
    {
      maxRecords: EXPRESS_BATCH_MAX_RECORDS,
      maxBytes: EXECUTION_INPUT_MAX_BYTES - BATCH_ENVELOPE_BYTES,
      sizeOf: batchEntryBytes,
      serviceName: "stepfunctions",
      ...options.consumer,
    },
  );
}

/** The `stepfunctions` consumer for one state machine. */
export function createStepFunctionsConsumer(options: StepFunctionsConsumerOptions): KinesisConsumerHandler {
  return options.workflowType === "EXPRESS" ? expressConsumer(options) : standardConsumer(options);
}
