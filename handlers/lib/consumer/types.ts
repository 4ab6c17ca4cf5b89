/**
 * The types a consumer's business code sees: one decoded user record, and the function that processes it.
 */
import type { Context } from "aws-lambda";
import type { PoisonRecordMode } from "../../../semantics/poison-records";
import type { IdempotencyStore } from "../idempotency/store";

/**
 * One user record of a Kinesis batch, base64-decoded and, when the producer used KPL aggregation,
 * de-aggregated. The records of one aggregated Kinesis record share its `sequenceNumber` and are told
 * apart by `subSequenceNumber` (0, 1, 2, … in the order the producer packed them).
 */
export interface ConsumerRecord {
  /** The user record's bytes (already decoded from the event's base64). */
  readonly data: Buffer;
  /** The user record's partition key (inside an aggregate: the user record's own key). */
  readonly partitionKey: string;
  /** The explicit hash key a KPL producer set on the user record, if any. */
  readonly explicitHashKey: string | undefined;
  /** The Kinesis record's sequence number (for a de-aggregated user record: its parent's). */
  readonly sequenceNumber: string;
  /** The position inside a KPL aggregate; 0 for a record that was not aggregated. */
  readonly subSequenceNumber: number;
  /** Whether the record came out of a KPL aggregate. */
  readonly aggregated: boolean;
  /** The shard the batch was read from, e.g. `shardId-000000000000`. */
  readonly shardId: string;
  /** The stream (or enhanced fan-out consumer) ARN the batch came from. */
  readonly eventSourceARN: string;
  /** When Kinesis accepted the record, in epoch seconds (fractional). */
  readonly approximateArrivalTimestamp: number;
  /**
   * A key that is the same every time this user record is delivered, and different for every other one:
   * `${shardId}:${sequenceNumber}:${subSequenceNumber}`. Use it to make processing idempotent.
   */
  readonly idempotencyKey: string;
}

/**
 * The business function run once per user record. Resolve to acknowledge the record; throw (or reject) to
 * fail it, which makes Lambda redeliver it and every record after it in the shard; throw
 * `PermanentRecordError` for a record that can never succeed, which isolates it (see `poisonRecords`).
 *
 * Delivery is at-least-once, so this function must be idempotent: the same record can arrive again after
 * a retry, a bisection, a timeout or a redrive, and records after a failed one are redelivered even when
 * they had already succeeded. Key side effects by {@link ConsumerRecord.idempotencyKey}.
 */
export type RecordProcessor = (record: ConsumerRecord, context: Context | undefined) => Promise<unknown> | unknown;

/** Options of {@link createKinesisConsumer}; every one has a default. */
export interface ConsumerOptions {
  /**
   * How many partition keys are processed at the same time. Records of one key always run one after
   * another, in sequence order.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Records are no longer started when the Lambda context reports less time left than this: they are
   * reported as failures instead, so the records done so far are checkpointed rather than lost to a timeout
   * that would fail the whole batch. Set it above the longest a record can take.
   * @default 1000
   */
  readonly timeMarginMs?: number;
  /**
   * The `Service` dimension of the metrics and the `service` field of the logs.
   * @default env POWERTOOLS_SERVICE_NAME, else AWS_LAMBDA_FUNCTION_NAME, else "kinesis-consumer"
   */
  readonly serviceName?: string;
  /**
   * The CloudWatch namespace of the embedded metrics.
   * @default env POWERTOOLS_METRICS_NAMESPACE, else "kinesis-ingest"
   */
  readonly namespace?: string;
  /**
   * Where log and metric lines go, one JSON document per call, without the newline.
   * @default a write to process.stdout (not console.log, whose prefix would hide the metrics from CloudWatch)
   */
  readonly writeLine?: (line: string) => void;
  /**
   * Where completed records are remembered, so that a record delivered again (a retry, a replay, a redrive)
   * is acknowledged without running the processor; `"none"` turns this off.
   * @default from the environment: `IDEMPOTENCY` memory (unset) | dynamodb (with `IDEMPOTENCY_TABLE`) | none
   */
  readonly idempotency?: IdempotencyStore | "none";
  /**
   * What happens to a poison record (one whose processor threw `PermanentRecordError`, or that failed
   * `maxRecordAttempts` times): `isolate` writes it alone to the on-failure destination, acknowledges it and
   * goes on, later records of its key included; `block` fails it like any other record, so its key waits
   * (other keys go on, which needs an idempotency store). docs/poison-records.md
   * @default env POISON_RECORDS, else "isolate"
   */
  readonly poisonRecords?: PoisonRecordMode;
  /**
   * Failures across invocations after which a record is poison, counted in the idempotency store (without
   * one, only `PermanentRecordError` makes a record poison).
   * @default env MAX_RECORD_ATTEMPTS, else 3
   */
  readonly maxRecordAttempts?: number;
  /**
   * Where isolated records go: sends one on-failure record (JSON) and resolves with its message id.
   * @default SQS SendMessage to env ON_FAILURE_QUEUE_URL; without it, poison records fail instead
   */
  readonly onFailureDestination?: OnFailureDestination;
  /**
   * The clock, in epoch milliseconds; tests pin it to check record ages exactly.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * An error a record processor may throw to add fields to the failure's log line (for example the
 * downstream HTTP status). The fields must never hold a credential.
 */
export interface ErrorWithLogFields extends Error {
  readonly logFields: Readonly<Record<string, unknown>>;
}

/** Sends one on-failure record (its JSON text) and resolves with the message id. */
export type OnFailureDestination = (body: string) => Promise<string>;
