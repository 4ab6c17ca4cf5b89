/**
 * The forwarder's variables (handlers/forwarder.ts): `CONFIG_SECRET_ID` (required; consumer.ts), `TARGET_URL`
 * (optional; overrides the secret's `targetUrl`), `REQUEST_TIMEOUT_MS` (optional, `REQUEST_TIMEOUT_MS` of lib/consumer/delivery.ts),
 * `DELIVERY` (optional, `record` (default) or `batch`, with `MAX_BATCH_RECORDS` and `MAX_BATCH_BYTES`).
 */
import { REQUEST_TIMEOUT_MS } from "../consumer/delivery";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../../../semantics/limits";
import type { BatchDelivery } from "../consumer/batch-delivery";
import { CONFIG_SECRET_VARIABLE, type ConsumerKind } from "./consumer";
import type { EnvironmentSource, Variables } from "./variables";

const FORWARDER_VARIABLES = {
  requestTimeoutMs: "REQUEST_TIMEOUT_MS",
  targetUrl: "TARGET_URL",
  delivery: "DELIVERY",
  maxBatchRecords: "MAX_BATCH_RECORDS",
  maxBatchBytes: "MAX_BATCH_BYTES",
} as const;

/** What the program sets on a forwarder besides its secret's id: its validated settings. */
export interface ForwarderEnvironment {
  readonly requestTimeoutMs: number;
  readonly targetUrl?: string;
  readonly delivery: "record" | "batch";
  /** Set exactly when `delivery` is batch, as the bounds below. */
  readonly maxBatchRecords?: number;
  readonly maxBatchBytes?: number;
}

/** What a forwarder function reads. */
export interface ForwarderSettings {
  readonly secretId: string;
  readonly targetUrl: string | undefined;
  readonly requestTimeoutMs: number | undefined;
  readonly batch?: BatchDelivery;
}

export function forwarderEnvironment(settings: ForwarderEnvironment): Variables {
  const v = FORWARDER_VARIABLES;
  const { maxBatchRecords, maxBatchBytes } = settings;
  return {
    [v.requestTimeoutMs]: String(settings.requestTimeoutMs),
    ...(settings.targetUrl === undefined ? {} : { [v.targetUrl]: settings.targetUrl }),
    // `record` is the reader's default: only batch delivery needs the variables.
    ...(settings.delivery === "batch"
      ? { [v.delivery]: "batch", [v.maxBatchRecords]: String(maxBatchRecords), [v.maxBatchBytes]: String(maxBatchBytes) }
      : {}),
  };
}

/** The forwarder's settings from its environment, with errors naming the variable. */
export function forwarderOptionsFromEnv(env: EnvironmentSource): ForwarderSettings {
  const v = FORWARDER_VARIABLES;
  const secretId = env[CONFIG_SECRET_VARIABLE];
  if (!secretId) throw new Error(`${CONFIG_SECRET_VARIABLE} is not set; it must name the forwarder's ConfigSecret.`);
  const rawTimeout = env[v.requestTimeoutMs];
  const requestTimeoutMs = rawTimeout === undefined || rawTimeout === "" ? undefined : Number(rawTimeout);
  const { min, max } = REQUEST_TIMEOUT_MS;
  if (requestTimeoutMs !== undefined && !(Number.isInteger(requestTimeoutMs) && requestTimeoutMs >= min && requestTimeoutMs <= max)) {
    throw new Error(`${v.requestTimeoutMs} must be an integer from ${min} to ${max}, got "${rawTimeout}".`);
  }
  const batch = batchDeliveryFromEnv(env);
  return { secretId, targetUrl: env[v.targetUrl] || undefined, requestTimeoutMs, ...(batch === undefined ? {} : { batch }) };
}

/**
 * `DELIVERY=batch` with `MAX_BATCH_RECORDS` and `MAX_BATCH_BYTES`, as the program sets them from the
 * validated stack config (which owns their ranges); here only their shape is checked.
 */
function batchDeliveryFromEnv(env: EnvironmentSource): BatchDelivery | undefined {
  const v = FORWARDER_VARIABLES;
  const delivery = env[v.delivery] || "record";
  if (delivery === "record") return undefined;
  if (delivery !== "batch") throw new Error(`${v.delivery} must be record or batch, got "${delivery}".`);
  const bound = (name: string): number => {
    const value = Number(env[name]);
    if (!env[name] || !Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a positive integer with ${v.delivery}=batch, got "${env[name] ?? ""}".`);
    }
    return value;
  };
  return { maxBatchRecords: bound(v.maxBatchRecords), maxBatchBytes: bound(v.maxBatchBytes) };
}

export const forwarderKind: ConsumerKind = {
  variables: Object.values(FORWARDER_VARIABLES),
  longest: (c) =>
    forwarderEnvironment({
      // Undefined only when the stack file's value was refused: the stack is invalid already.
      requestTimeoutMs: c.requestTimeoutMs ?? 0,
      targetUrl: typeof c.targetUrl === "string" ? c.targetUrl : undefined,
      // `delivery` is not known yet, so batch is counted; neither bound can exceed a payload's bytes.
      delivery: "batch",
      maxBatchRecords: MAX_INVOKE_PAYLOAD_BYTES,
      maxBatchBytes: MAX_INVOKE_PAYLOAD_BYTES,
    }),
};
