/**
 * Poison records (semantics/poison-records.ts, docs/poison-records.md): a record fails for good when its
 * processor throws {@link PermanentRecordError}, or when it has failed `maxRecordAttempts` times across
 * invocations. With `poisonRecords: isolate` the runtime writes it alone to the consumer's on-failure queue,
 * as an on-failure record whose range is that one record, and acknowledges it, so that neither the later
 * records of its key nor any other record waits behind it. When the write fails, the record fails as any
 * other does: nothing is lost.
 */
import type { Context } from "aws-lambda";
import {
  ATTEMPTS_CONDITION,
  DEFAULT_MAX_RECORD_ATTEMPTS,
  DEFAULT_POISON_RECORD_MODE,
  maxRecordAttempts,
  PERMANENT_CONDITION,
  poisonRecordMode,
  type PoisonRecordMode,
  type RecordFailureCondition,
} from "../../../semantics/poison-records";
import { oneRecordOnFailure } from "../../../semantics/on-failure-record";
import { poisonFromEnv } from "../environment/poison";
import type { EnvironmentSource } from "../environment/variables";
import { ConsumerError } from "./errors";
import type { ConsumerOptions, ConsumerRecord, ErrorWithLogFields, OnFailureDestination } from "./types";

/**
 * Throw it from a record processor for a record that can never succeed (a downstream that refuses it as
 * invalid, data that cannot be parsed): the runtime isolates the record at once instead of retrying it.
 */
export class PermanentRecordError extends ConsumerError implements ErrorWithLogFields {
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(message: string, options: { readonly cause?: unknown; readonly logFields?: Readonly<Record<string, unknown>> } = {}) {
    super(message, { cause: options.cause });
    this.logFields = { ...options.logFields, retriable: false };
  }
}

/** How a consumer treats poison records, checked once when the handler is built. */
export interface PoisonPolicy {
  readonly mode: PoisonRecordMode;
  readonly maxRecordAttempts: number;
  /** Undefined when the function has no on-failure queue to write to: poison records then fail. */
  readonly destination: OnFailureDestination | undefined;
}

/** The policy from the options, else from the variables the program sets (lib/environment/poison.ts). */
export function poisonPolicyOf(options: ConsumerOptions, env: EnvironmentSource, remembers: boolean): PoisonPolicy {
  const variables = poisonFromEnv(env);
  const mode =
    options.poisonRecords === undefined
      ? (variables.mode ?? DEFAULT_POISON_RECORD_MODE)
      : poisonRecordMode(options.poisonRecords, "poisonRecords");
  if (mode === "block" && !remembers) {
    throw new RangeError(
      'poisonRecords "block" needs an idempotency store (memory or dynamodb): other keys\' records go on after a failure only because the store remembers them.',
    );
  }
  const attempts =
    options.maxRecordAttempts === undefined
      ? (variables.maxRecordAttempts ?? DEFAULT_MAX_RECORD_ATTEMPTS)
      : maxRecordAttempts(options.maxRecordAttempts, "maxRecordAttempts");
  const destination = options.onFailureDestination ?? queueDestination(variables.queueUrl);
  return { mode, maxRecordAttempts: attempts, destination };
}

/** Why `error` makes the record poison after `attempts` failures (this one included), or undefined. */
export function poisonCondition(policy: PoisonPolicy, error: unknown, attempts: number | undefined): RecordFailureCondition | undefined {
  if (error instanceof PermanentRecordError) return PERMANENT_CONDITION;
  // Without a store the attempts are unknown: only a permanent error makes a record poison.
  return attempts !== undefined && attempts >= policy.maxRecordAttempts ? ATTEMPTS_CONDITION : undefined;
}

/** Writes the one-record on-failure record of `record`; resolves with the message id. */
export async function isolateRecord(
  destination: OnFailureDestination,
  record: ConsumerRecord,
  failure: { readonly condition: RecordFailureCondition; readonly error: unknown; readonly attempts: number; readonly now: number },
  context: Context | undefined,
): Promise<string> {
  const body = oneRecordOnFailure({
    functionArn: context?.invokedFunctionArn ?? ownFunctionArn(process.env),
    requestId: context?.awsRequestId ?? "",
    condition: failure.condition,
    approximateInvokeCount: failure.attempts,
    eventSourceArn: record.eventSourceARN,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp,
    partitionKey: record.partitionKey,
    subSequenceNumber: record.subSequenceNumber,
    reason: errorText(failure.error),
    nowMs: failure.now,
  });
  return destination(JSON.stringify(body));
}

/** `Name: message` of an error, for on-failure records and reports. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The function's ARN without a context (a hand-made one in a local run): from Lambda's own variables. */
function ownFunctionArn(env: NodeJS.ProcessEnv): string {
  return `arn:aws:lambda:${env.AWS_REGION ?? "us-east-1"}:000000000000:function:${env.AWS_LAMBDA_FUNCTION_NAME ?? "unknown"}`;
}

/** SendMessage to `queueUrl`; the SQS client is loaded on the first poison record, not at cold start. */
function queueDestination(queueUrl: string | undefined): OnFailureDestination | undefined {
  if (!queueUrl) return undefined;
  let client: import("@aws-sdk/client-sqs").SQSClient | undefined;
  return async (body) => {
    // Loaded only when a record is isolated, so a consumer that never sees one never pays for the SQS client.
    const sqs = require("@aws-sdk/client-sqs") as typeof import("@aws-sdk/client-sqs");
    // The endpoint is the Region's (or AWS_ENDPOINT_URL_SQS locally), never the queue URL's host: an emulator's
    // queue URLs name hosts such as sqs.us-east-1.localhost that do not resolve.
    client ??= new sqs.SQSClient({ useQueueUrlAsEndpoint: false });
    const sent = await client.send(new sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    return sent.MessageId ?? "";
  };
}
