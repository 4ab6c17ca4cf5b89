/**
 * Defaults of the sections' settings, read from their declarations in the schema (config/schema/): the validator
 * merges them with `??` (so an explicit 0 or false in a stack file is kept) and everything downstream receives
 * complete values. Besides them, the values the program and the local stack share that no stack file sets.
 */
import type { BuiltInKind } from "../handlers/lib/built-in-kinds";
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { API } from "./schema/api";
import { CONSUMER } from "./schema/consumers";
import { defaultsOf } from "./schema/kit";
import { OBSERVABILITY } from "./schema/observability";
import { STREAM } from "./schema/stream";

/** The stack whose rules are stricter: no plaintext ALB, point-in-time recovery, protected data by default. */
export const PRODUCTION_STACK = "prod";

export const STREAM_DEFAULTS = defaultsOf(STREAM);

export const API_DEFAULTS = defaultsOf(API);

export const CONSUMER_DEFAULTS = defaultsOf(CONSUMER);

/**
 * The replay mapping reads a window that may be far older than the consumer's `maxRecordAgeSeconds`: it gets
 * the longest record age Lambda allows while still bounded, so a record it cannot process goes to the
 * on-failure queue instead of holding its shard until it expires.
 */
export const REPLAY_MAPPING = { maxRecordAgeSeconds: ESM_RANGES.maxRecordAgeSeconds.max } as const;

/**
 * How long a `dynamodb` idempotency item lives after its record completed: the stream's retention plus an
 * hour. A record can be read (by a retry, `replayFrom`, `replay` or `redrive`) only while the stream retains
 * it, at most the retention after its arrival, and it completed after it arrived: so every redelivery finds
 * its item, and DynamoDB's TTL deletion (days later at most) is what bounds storage.
 */
export function idempotencyTtlSeconds(retentionHours: number): number {
  return retentionHours * 3600 + 3600;
}

export const OBSERVABILITY_DEFAULTS = defaultsOf(OBSERVABILITY);

/**
 * The front's functions are not configurable, but the deployed stack and the local stack run them alike.
 * The ingest function's timeout and write deadline depend on the front: `ingestBudget` (config/ingest-budget.ts).
 */
export const INGEST_FUNCTION = { memoryMb: 256 } as const;
export const AUTHORIZER_FUNCTION = { memoryMb: 128, timeoutSeconds: 10 } as const;

/** The built-in kinds that publish each record to a queue, a topic or an event bus. */
export const FANOUT_HANDLERS = ["sqs", "sns", "eventbridge"] as const satisfies readonly BuiltInKind[];

export type FanoutHandler = (typeof FANOUT_HANDLERS)[number];
