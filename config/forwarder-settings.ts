/**
 * The forwarder's delivery keys: `delivery` (`record`, one POST per record, or `batch`, one POST per
 * request of records) and, with `batch` only, the request's bounds `maxBatchRecords` and `maxBatchBytes`.
 * Checked like every other key: the key path, the value received and what is allowed, every problem at once.
 */
import { integer, oneOf, Problems, type RawObject } from "./rules";
import { DELIVERY_SETTINGS } from "./schema/consumer-kinds";
import { bounds, defaultsOf, keysOf } from "./schema/kit";
import type { ConsumerConfig } from "./types";

/** The consumer keys read here; each applies only to handler forwarder. */
export const DELIVERY_KEYS = keysOf(DELIVERY_SETTINGS);

/** Keys that need `delivery: batch`. */
const BATCH_KEYS = DELIVERY_KEYS.filter((key) => key !== "delivery");

const DEFAULTS = defaultsOf(DELIVERY_SETTINGS);

type DeliverySettings = Pick<ConsumerConfig, "delivery" | "maxBatchRecords" | "maxBatchBytes">;

/**
 * `delivery`, `maxBatchRecords`, `maxBatchBytes` of the consumer at `path`. The bounds are filled in (with
 * their defaults) exactly when `delivery` is batch. At most 6 MiB a request: the largest Lambda invocation
 * payload (docs/aws-semantics.md#batched-http-delivery), so a request never needs more than one batch's
 * records, and a downstream that is itself a Lambda function behind a function URL or API can take it.
 */
export function readDelivery(p: Problems, path: string, handler: string | undefined, c: RawObject): Partial<DeliverySettings> {
  const at = (key: string) => `${path}.${key}`;
  const delivery = oneOf(p, at("delivery"), c.delivery ?? DEFAULTS.delivery, DELIVERY_SETTINGS.delivery.enum);
  if (delivery === "record" && handler === "forwarder") {
    for (const key of BATCH_KEYS.filter((k) => c[k] !== undefined)) {
      p.say(`\`${at(key)}\` applies only with \`${at("delivery")}\` batch; remove it or set \`${at("delivery")}\` to batch`);
    }
  }
  if (delivery !== "batch") return { delivery };
  return {
    delivery,
    maxBatchRecords: integer(
      p,
      at("maxBatchRecords"),
      c.maxBatchRecords ?? DEFAULTS.maxBatchRecords,
      ...bounds(DELIVERY_SETTINGS.maxBatchRecords),
    ),
    maxBatchBytes: integer(p, at("maxBatchBytes"), c.maxBatchBytes ?? DEFAULTS.maxBatchBytes, ...bounds(DELIVERY_SETTINGS.maxBatchBytes)),
  };
}
