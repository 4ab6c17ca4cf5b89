/**
 * The forwarder's delivery keys: `delivery` (`record`, one POST per record, or `batch`, one POST per
 * request of records) and, with `batch` only, the request's bounds `maxBatchRecords` and `maxBatchBytes`.
 * Checked like every other key: the key path, the value received and what is allowed, every problem at once.
 */
import { MAX_INVOKE_PAYLOAD_BYTES } from "../semantics/limits";
import { DELIVERY_MODES, FORWARDER_BATCH_DEFAULTS } from "./defaults";
import { integer, oneOf, Problems, type RawObject } from "./rules";
import type { ConsumerConfig } from "./types";

/** The consumer keys read here; each applies only to handler forwarder. */
export const DELIVERY_KEYS = ["delivery", "maxBatchRecords", "maxBatchBytes"] as const;

/** Keys that need `delivery: batch`. */
const BATCH_KEYS = ["maxBatchRecords", "maxBatchBytes"] as const;

/** Most records in one request: a bound the downstream can plan for (PutRecords takes 500 too). */
const MAX_BATCH_RECORDS = 500;
/**
 * Fewest bytes of one request: below this a typical record's entry (its ~150 bytes of fields, a partition
 * key of up to 256 and its data) would not fit, and every record would fail as oversize.
 */
const MIN_BATCH_BYTES = 1024;

type DeliverySettings = Pick<ConsumerConfig, "delivery" | "maxBatchRecords" | "maxBatchBytes">;

/**
 * `delivery`, `maxBatchRecords`, `maxBatchBytes` of the consumer at `path`. The bounds are filled in (with
 * their defaults) exactly when `delivery` is batch. At most 6 MiB a request: the largest Lambda invocation
 * payload (docs/aws-semantics.md#batched-http-delivery), so a request never needs more than one batch's
 * records, and a downstream that is itself a Lambda function behind a function URL or API can take it.
 */
export function readDelivery(p: Problems, path: string, handler: string | undefined, c: RawObject): Partial<DeliverySettings> {
  const at = (key: string) => `${path}.${key}`;
  const delivery = oneOf(p, at("delivery"), c.delivery ?? FORWARDER_BATCH_DEFAULTS.delivery, DELIVERY_MODES);
  if (delivery === "record" && handler === "forwarder") {
    for (const key of BATCH_KEYS.filter((k) => c[k] !== undefined)) {
      p.say(`\`${at(key)}\` applies only with \`${at("delivery")}\` batch; remove it or set \`${at("delivery")}\` to batch`);
    }
  }
  if (delivery !== "batch") return { delivery };
  return {
    delivery,
    maxBatchRecords: integer(p, at("maxBatchRecords"), c.maxBatchRecords ?? FORWARDER_BATCH_DEFAULTS.maxBatchRecords, 1, MAX_BATCH_RECORDS),
    maxBatchBytes: integer(
      p,
      at("maxBatchBytes"),
      c.maxBatchBytes ?? FORWARDER_BATCH_DEFAULTS.maxBatchBytes,
      MIN_BATCH_BYTES,
      MAX_INVOKE_PAYLOAD_BYTES,
    ),
  };
}
