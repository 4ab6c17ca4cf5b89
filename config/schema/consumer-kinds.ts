/**
 * The keys one built-in consumer kind reads besides the common ones (config/schema/consumers.ts): the
 * archiver's, the forwarder's delivery, the fan-out targets' and a `stepfunctions` consumer's.
 */
import { ARCHIVE_PREFIX_MAX_LENGTH } from "../../handlers/lib/environment/archiver";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../semantics/limits";
import { MIN_EXPIRATION_DAYS } from "../../semantics/s3";
import { WORKFLOW_TYPES } from "../../semantics/step-functions";
import { choice, flag, int, text } from "./kit";

/** An archiver's keys (config/archive-settings.ts); `archivePrefix` defaults to `<consumer>/`. */
export const ARCHIVE_SETTINGS = {
  compression: choice(["gzip", "none"], { default: "gzip", description: "archiver only: gzip (.ndjson.gz) or none (.ndjson)." }),
  bucketName: text({ description: "archiver only: an existing bucket; unset, the stack's own." }),
  archivePrefix: text({
    maxLength: ARCHIVE_PREFIX_MAX_LENGTH,
    description: "archiver only: what every key starts with, ending /; unset, <consumer>/.",
  }),
  // 100 years: far beyond any stream's retention, and a typo of an extra digit is still caught.
  archiveRetentionDays: int({
    minimum: MIN_EXPIRATION_DAYS,
    maximum: 36_500,
    default: 365,
    description: "archiver only, with the stack's bucket: days before this prefix's objects expire.",
  }),
};

/**
 * The forwarder's delivery keys (config/forwarder-settings.ts). A batch request holds at most 500 records (a
 * bound the downstream can plan for; PutRecords takes 500 too), at least 1024 bytes (below that a typical
 * record's entry would not fit) and at most Lambda's invocation payload. The default 2 MiB holds the largest
 * record a stream stores by default (1 MiB of data, base64 in its entry when it is not JSON: about 1.34 MiB).
 */
export const DELIVERY_SETTINGS = {
  delivery: choice(["record", "batch"], {
    default: "record",
    description: "forwarder only: one POST per record, or per request of records.",
  }),
  maxBatchRecords: int({ minimum: 1, maximum: 500, default: 500, description: "forwarder, delivery batch: records a request." }),
  maxBatchBytes: int({
    minimum: 1024,
    maximum: MAX_INVOKE_PAYLOAD_BYTES,
    default: 2 * 1024 * 1024,
    description: "forwarder, delivery batch: bytes of a request's body.",
  }),
};

/** The fan-out kinds' keys (config/fanout-settings.ts); `targetArn` also names a `stepfunctions` consumer's machine. */
export const FANOUT_SETTINGS = {
  targetArn: text({ description: "sqs, sns, eventbridge, stepfunctions: an existing queue, topic, bus or state machine." }),
  fifo: flag({ default: false, description: "sqs, sns only: a FIFO queue or topic." }),
  eventBus: choice(["custom", "default"], {
    default: "custom",
    description: "eventbridge only: a bus the program creates, or the default bus.",
  }),
  source: text({ description: "eventbridge only: the events' Source; unset, kinesis-ingest.<stack>." }),
  detailType: text({ description: "eventbridge only: the events' DetailType; unset, <consumer> record." }),
};

/** A `stepfunctions` consumer's keys besides `targetArn` (config/step-functions-settings.ts). */
export const STEP_FUNCTIONS_SETTINGS = {
  definition: text({ description: "stepfunctions only: ./path.asl.json inside the project; the stack creates the state machine." }),
  workflowType: choice(WORKFLOW_TYPES, {
    default: "STANDARD",
    description: "stepfunctions only: one execution a record, or EXPRESS batches.",
  }),
};
