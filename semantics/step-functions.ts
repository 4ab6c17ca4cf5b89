/**
 * The Step Functions rules the `stepfunctions` consumer, its config and the local stand-in share
 * (docs/aws-semantics.md#step-functions-executions): execution names, the input size, the errors that mean
 * "slow down", and which refusals belong to the record rather than to the state machine or the role.
 */
import { createHash } from "node:crypto";

/** The two workflow types (`aws.sfn.StateMachine` `type`). */
export const WORKFLOW_TYPES = ["STANDARD", "EXPRESS"] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/**
 * StartExecution `name`: 1 to 80 characters. The API refuses white space, brackets, wildcards and
 * punctuation such as `:`; only `0-9 A-Z a-z - _` keeps CloudWatch Logs working, so that is all we send.
 */
const EXECUTION_NAME = { maxLength: 80, pattern: /^[A-Za-z0-9_-]{1,80}$/ } as const;

/** `input` of StartExecution / StartSyncExecution: at most 262,144 bytes of UTF-8 (the 256 KiB payload quota). */
export const EXECUTION_INPUT_MAX_BYTES = 262_144;

/**
 * Records per StartSyncExecution: our own bound, not an AWS limit (the input's 256 KiB is the limit), so
 * one slow batch of small records does not hold a whole Kinesis batch in one 5-minute Express execution.
 */
export const EXPRESS_BATCH_MAX_RECORDS = 100;

/** Error names that mean "try again later" on top of semantics/errors.ts's throttles and faults. */
export const SFN_THROTTLE_CODES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  // STANDARD: the account's open executions quota is reached; it clears as executions end.
  "ExecutionLimitExceeded",
  "KmsThrottlingException",
]);

/**
 * Refusals caused by the record itself (its input): another attempt fails the same way, so the record is
 * poison. Every other permanent error (no such state machine, access denied, wrong type) is the stack's
 * fault and fails the record as any other failure, so that fixing the stack delivers it.
 */
export const SFN_RECORD_ERRORS: ReadonlySet<string> = new Set(["InvalidExecutionInput", "InvalidName"]);

/**
 * STANDARD: a name already used (names stay taken for 90 days after the execution closes); with our names, one
 * a record, it means the record was started before.
 */
export const EXECUTION_ALREADY_EXISTS = "ExecutionAlreadyExists";

/**
 * The execution name of the record with `idempotencyKey` (`shardId:sequenceNumber:subSequenceNumber`): the
 * key with `:` as `_` when that fits the name rules, else `sha256-` and the key's SHA-256 in hex (71
 * characters). The two forms cannot meet: a readable name always holds `_`, a hashed one never does.
 * @example executionName("shardId-000000000000:4959:0") // "shardId-000000000000_4959_0"
 */
export function executionName(idempotencyKey: string): string {
  const readable = idempotencyKey.replaceAll(":", "_");
  if (EXECUTION_NAME.pattern.test(readable)) return readable;
  return `sha256-${createHash("sha256").update(idempotencyKey, "utf8").digest("hex")}`;
}

/** Why `name` is not a name we may send, or undefined. */
export function executionNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > EXECUTION_NAME.maxLength)
    return `must be 1 to ${EXECUTION_NAME.maxLength} characters, got ${name.length}`;
  return EXECUTION_NAME.pattern.test(name) ? undefined : "may hold only letters, digits, `-` and `_`";
}

/** A state machine ARN: `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
export const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
