/**
 * A consumer's poison-record keys (the contract with the runtime: semantics/poison-records.ts):
 * `poisonRecords` (`isolate`: a record that fails for good goes alone to the consumer's on-failure queue and
 * the batch goes on; `block`: it fails as any other record) and `maxRecordAttempts` (how many failures across
 * invocations make a record poison); the variables that carry them to the function: handlers/lib/environment/poison.ts. Checked like every
 * other key: the key path, the value received and what is allowed, every problem at once.
 */
import { ESM_RANGES } from "../semantics/event-source-mapping";
import { CONSUMER_DEFAULTS } from "./defaults";
import { integer, oneOf, Problems, type RawObject } from "./rules";
import { POISON_SETTINGS } from "./schema/consumers";
import { bounds, keysOf } from "./schema/kit";
import type { ConsumerConfig, IdempotencyMode } from "./types";

/** The consumer keys read here. */
const POISON_KEYS = keysOf(POISON_SETTINGS);

type PoisonSettings = Pick<ConsumerConfig, "poisonRecords" | "maxRecordAttempts">;

/** The validated keys the poison keys depend on (undefined when invalid: no cross-key problem is reported then). */
interface PoisonContext {
  readonly idempotency: IdempotencyMode | undefined;
  readonly maxRetryAttempts: number | undefined;
  readonly tumblingWindowSeconds: number | undefined;
}

/**
 * `poisonRecords` and `maxRecordAttempts` of the consumer at `path`; both unset for a windowed consumer, and
 * `maxRecordAttempts` unset with `idempotency: none`: then nothing counts a record's attempts.
 */
export function readPoisonSettings(p: Problems, path: string, c: RawObject, ctx: PoisonContext): PoisonSettings {
  const at = (key: string) => `${path}.${key}`;
  const d = CONSUMER_DEFAULTS;
  // createWindowedConsumer folds every record into the window's state in order, with no store: passing a
  // record by would leave it out of the window's result, and there is nowhere to count its attempts.
  if (ctx.tumblingWindowSeconds !== undefined && ctx.tumblingWindowSeconds > 0) {
    for (const key of POISON_KEYS.filter((k) => c[k] !== undefined)) {
      p.say(
        `\`${at(key)}\` does not apply to a windowed consumer (\`${at("tumblingWindowSeconds")}\` ${ctx.tumblingWindowSeconds}): createWindowedConsumer reduces every record into its window's state in order and cannot pass one by (a record whose reduce throws is retried until the mapping's retries or record age run out); remove it, got ${JSON.stringify(c[key])}`,
      );
    }
    return {};
  }
  const poisonRecords = oneOf(p, at("poisonRecords"), c.poisonRecords ?? d.poisonRecords, POISON_SETTINGS.poisonRecords.enum);
  if (poisonRecords === "block" && ctx.idempotency === "none") {
    p.say(
      `\`${at("poisonRecords")}\` block needs an idempotency store (block keeps other keys' records going after a failure and skips them when Lambda delivers them again, which takes remembering what completed): set \`${at("idempotency")}\` to memory or dynamodb, got none`,
    );
  }
  if (ctx.idempotency === "none") {
    if (c.maxRecordAttempts !== undefined) {
      p.say(
        `\`${at("maxRecordAttempts")}\` cannot be set with \`${at("idempotency")}\` none (a record's failed attempts are counted where the idempotency store keeps its keys; without one only a permanent failure makes a record poison): remove it or set idempotency to memory or dynamodb, got ${JSON.stringify(c.maxRecordAttempts)}`,
      );
    }
    return { poisonRecords };
  }
  // Lambda attempts a batch at most maxRetryAttempts + 1 times before its range goes to the on-failure queue.
  const retries = ctx.maxRetryAttempts;
  const attemptsBeforeGivingUp = retries === undefined || retries === ESM_RANGES.maxRetryAttempts.unlimited ? Infinity : retries + 1;
  if (c.maxRecordAttempts === undefined) {
    // The default never outlasts the mapping: with fewer retries, a record is poison at the last attempt.
    return { poisonRecords, maxRecordAttempts: Math.min(d.maxRecordAttempts, attemptsBeforeGivingUp) };
  }
  const maxRecordAttempts = integer(p, at("maxRecordAttempts"), c.maxRecordAttempts, ...bounds(POISON_SETTINGS.maxRecordAttempts));
  if (maxRecordAttempts !== undefined && maxRecordAttempts > attemptsBeforeGivingUp) {
    p.say(
      `\`${at("maxRecordAttempts")}\` must be at most \`${at("maxRetryAttempts")}\` + 1 (${attemptsBeforeGivingUp}): after ${attemptsBeforeGivingUp} attempts the mapping sends the record's whole batch range to the on-failure queue before the runtime would isolate the record; lower it or raise maxRetryAttempts, got ${maxRecordAttempts}`,
    );
  }
  return { poisonRecords, maxRecordAttempts };
}
