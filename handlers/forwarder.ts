/**
 * The example consumer: forwards every record of its Kinesis stream to a downstream HTTP endpoint, with the
 * credential and (optionally) the target URL read from its ConfigSecret.
 *
 * Environment: lib/environment/forwarder.ts (the ConfigSecret's JSON is `{"authorization"?: string, "targetUrl"?: string}`),
 * and the consumer runtime's (lib/environment/consumer.ts): a record already delivered is acknowledged without
 * being POSTed again.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { createKinesisConsumer, type ConsumerOptions, type KinesisConsumerHandler } from "./lib/consumer";
import { batchForwarder, type BatchDelivery } from "./lib/consumer/batch-delivery";
import {
  DeliveryError,
  deliveryBody,
  deliveryTimeMarginMs,
  REQUEST_TIMEOUT_MS,
  downstreamRefusal,
  isSuccess,
  safeTarget,
  type DownstreamAnswer,
} from "./lib/consumer/delivery";
import { forwarderOptionsFromEnv } from "./lib/environment/forwarder";
import { getSecretJson, invalidateSecret, SecretFormatError } from "./lib/secrets";

/** The ConfigSecret's JSON value. */
export interface ForwarderSecret {
  /** The whole `Authorization` header value for the downstream, e.g. `Bearer …`. */
  readonly authorization?: string;
  /** The downstream URL, used when the function has no `TARGET_URL`. */
  readonly targetUrl?: string;
}

/** Options of {@link createForwarderHandler}. */
export interface ForwarderOptions {
  /** Secrets Manager ID or ARN of the ConfigSecret. */
  readonly secretId: string;
  /** Downstream URL. @default the secret's `targetUrl` */
  readonly targetUrl?: string;
  /** Per-request timeout, covering connect, request and response body. @default 5000 */
  readonly requestTimeoutMs?: number;
  /** Secrets Manager client. @default the secrets module's client (endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER`) */
  readonly secrets?: SecretsManagerClient;
  /** The fetch implementation. @default the global fetch (undici: keep-alive connection pool per origin) */
  readonly fetch?: typeof fetch;
  /** Consumer runtime options (concurrency, log sink, …). */
  readonly consumer?: ConsumerOptions;
  /** Deliver in batches of records (`delivery: batch`) within these bounds. @default one request per record */
  readonly batch?: BatchDelivery;
}

/** Default per-request timeout, as in the stack config's `requestTimeoutMs`. */

interface DeliveryConfig {
  readonly url: URL;
  readonly target: string;
  readonly authorization: string | undefined;
}

/**
 * Builds a forwarder Lambda handler: each record is POSTed as JSON (see `deliveryBody` for the contract)
 * with headers `Authorization` (from the secret) and `Idempotency-Key` (`shardId:sequenceNumber:subSequenceNumber`,
 * the same on every redelivery), in per-partition-key order. A 2xx answer acknowledges the record. Any other
 * answer, a timeout or a network error fails it (reported in `batchItemFailures`, logged with sequence number,
 * partition key and downstream status). A 401 or 403 first drops the cached secret and retries once with
 * the value read again, so a rotated credential is picked up without a failed batch.
 *
 * With `batch`, records are POSTed as requests of several (`createBatchedConsumer`: sequence order, at most
 * `maxBatchRecords` records and `maxBatchBytes` bytes each, never two requests holding one partition key at
 * once); see `batch-delivery.ts` for the body, the request's `Idempotency-Key` and the answers: a 2xx takes
 * every record, a 207 names the refused ones, any other answer (after the 401/403 retry), a timeout or a
 * network error fails every record of the request. A record whose entry alone exceeds `maxBatchBytes` fails
 * as an `OversizeRecordError` (its log's `maxBytes` is `maxBatchBytes` less the 13 bytes of the envelope).
 * Failed records feed `batchItemFailures` as in record mode.
 *
 * @example
 * ```ts
 * // Two forwarders with different settings in one process (the local stack does this):
 * const toAudit = createForwarderHandler({ secretId: "audit-config", requestTimeoutMs: 2_000 });
 * const toBilling = createForwarderHandler({ secretId: "billing-config", targetUrl: "http://127.0.0.1:8080/events" });
 * ```
 */
export function createForwarderHandler(options: ForwarderOptions): KinesisConsumerHandler {
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS.default;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`requestTimeoutMs must be a positive integer of milliseconds, got ${String(timeoutMs)}.`);
  }
  const fetchImpl = options.fetch ?? fetch;
  // getSecretJson serves the same object until its TTL expires; the checked config is rebuilt only when it changes.
  let lastSecret: unknown;
  let lastConfig: DeliveryConfig | undefined;
  const config = async (): Promise<DeliveryConfig> => {
    const secret = await getSecretJson<unknown>(options.secretId, { client: options.secrets });
    if (lastConfig === undefined || secret !== lastSecret) {
      lastConfig = deliveryConfig(options.secretId, secret, options.targetUrl);
      lastSecret = secret;
    }
    return lastConfig;
  };
  // After a 401/403 the secret is read again once, shared by every record that was refused with the same value.
  let refreshing: { readonly stale: DeliveryConfig; readonly next: Promise<DeliveryConfig> } | undefined;
  const refreshed = (stale: DeliveryConfig): Promise<DeliveryConfig> => {
    if (refreshing?.stale !== stale) {
      invalidateSecret(options.secretId);
      refreshing = { stale, next: config() };
    }
    return refreshing.next;
  };

  /** POSTs one body, once more with the secret read again after a 401/403; throws when no answer came. */
  const post = async (body: string, idempotencyKey: string): Promise<DownstreamAnswer> => {
    let cfg = await config();
    let answer = await send(cfg, body, idempotencyKey);
    if (answer.status === 401 || answer.status === 403) {
      cfg = await refreshed(cfg);
      answer = await send(cfg, body, idempotencyKey);
    }
    return answer;
  };
  const send = async (cfg: DeliveryConfig, body: string, idempotencyKey: string): Promise<DownstreamAnswer> => {
    const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": idempotencyKey };
    if (cfg.authorization !== undefined) headers.authorization = cfg.authorization;
    try {
      const response = await fetchImpl(cfg.url, {
        method: "POST",
        headers,
        body,
        redirect: "manual", // a redirected POST would turn into a GET; a 3xx is a misconfiguration
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Reading the body to its end returns the connection to the keep-alive pool.
      return { status: response.status, text: await response.text(), target: cfg.target };
    } catch (error) {
      if (error instanceof Error && error.name === "TimeoutError") {
        throw new DeliveryError("timeout", cfg.target, `The downstream did not answer within ${timeoutMs} ms.`, { cause: error });
      }
      throw new DeliveryError("network-error", cfg.target, "The downstream could not be reached.", { cause: error });
    }
  };

  const consumerOptions = { serviceName: "forwarder", timeMarginMs: deliveryTimeMarginMs(timeoutMs), ...options.consumer };
  const consume =
    options.batch === undefined
      ? createKinesisConsumer(async (record) => {
          const answer = await post(deliveryBody(record), record.idempotencyKey);
          if (!isSuccess(answer.status)) throw downstreamRefusal(answer, "the record fails");
        }, consumerOptions)
      : batchForwarder(post, options.batch, consumerOptions);
  // Configuration is read before the batch: a missing or malformed secret fails the invocation as a whole,
  // with the error naming the secret, rather than every record with the same message.
  return async (event: KinesisStreamEvent, context?: Context): Promise<KinesisStreamBatchResponse> => {
    await config();
    return consume(event, context);
  };
}

/** Checks the secret's shape and resolves the target URL (option first, then the secret's `targetUrl`). */
function deliveryConfig(secretId: string, secret: unknown, targetUrlOption: string | undefined): DeliveryConfig {
  if (typeof secret !== "object" || secret === null || Array.isArray(secret)) {
    throw new SecretFormatError(secretId, `Secret "${secretId}" must hold a JSON object {"authorization"?, "targetUrl"?}.`);
  }
  const { authorization, targetUrl } = secret as Record<string, unknown>;
  for (const [key, value] of [
    ["authorization", authorization],
    ["targetUrl", targetUrl],
  ] as const) {
    if (value !== undefined && typeof value !== "string") {
      throw new SecretFormatError(secretId, `Secret "${secretId}" has a non-string "${key}"; it must be a string when present.`);
    }
  }
  const raw = targetUrlOption ?? (targetUrl as string | undefined);
  if (raw === undefined) {
    throw new Error(`No target URL: set TARGET_URL on the function or "targetUrl" in secret "${secretId}".`);
  }
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    // The secret's URL is not echoed: it may carry credentials.
    const shown = targetUrlOption === undefined ? `"targetUrl" in secret "${secretId}"` : `TARGET_URL "${raw}"`;
    throw new Error(`${shown} is not an absolute http(s) URL.`);
  }
  return { url, target: safeTarget(url), authorization: authorization as string | undefined };
}

let envHandler: KinesisConsumerHandler | undefined;

/** The Lambda entry, configured from `process.env` on its first invocation. */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createForwarderHandler(forwarderOptionsFromEnv(process.env));
  return envHandler(event, context);
};
