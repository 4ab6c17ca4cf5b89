/**
 * Runtime configuration from Secrets Manager: read once per cold start, cached for a TTL, refreshed on
 * demand when a downstream rejects the credential (rotation).
 *
 * Hand-written rather than `@aws-lambda-powertools/parameters` (not installed here, and a fourth
 * Powertools package for one call): what we need is ~100 lines — a TTL cache, de-duplicated concurrent
 * reads, explicit invalidation and errors that name the secret but never print its value (V8's
 * `JSON.parse` errors quote the input, so they are never passed on).
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Default cache lifetime: 5 minutes (rotation is picked up within this, or at once via invalidation). */
const DEFAULT_SECRET_MAX_AGE_MS = 300_000;

/** Base class of every failure to read a secret; the message names the secret, never its value. */
export class SecretError extends Error {
  constructor(
    readonly secretId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The secret does not exist, or exists without a value. */
export class SecretNotFoundError extends SecretError {}

/** The secret's value is not JSON, or not the JSON shape its reader needs. */
export class SecretFormatError extends SecretError {}

/** Secrets Manager could not be read (access denied, decryption failure, network, throttling). */
export class SecretUnavailableError extends SecretError {}

/** Options of {@link getSecretJson}. */
export interface SecretReadOptions {
  /** How long a value is served from the cache. @default 300000 (5 min) */
  readonly maxAgeMs?: number;
  /** Secrets Manager client. @default one module-scope client (endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER`) */
  readonly client?: SecretsManagerClient;
  /** How an operator sets the value, quoted in the not-found error. @default a generic `pulumi config set --secret` hint */
  readonly setHint?: string;
  /** Clock. @default `Date.now` */
  readonly now?: () => number;
}

interface CacheEntry {
  value?: unknown;
  fetchedAt: number;
  pending?: Promise<unknown>;
}

const cache = new Map<string, CacheEntry>();
let defaultClient: SecretsManagerClient | undefined;

/**
 * Returns the secret's value parsed as JSON, from the cache while it is younger than `maxAgeMs`.
 * Concurrent callers share one `GetSecretValue` call. Failures are not cached: the next call tries again.
 * The value is returned as read; callers check its shape and throw {@link SecretFormatError} if wrong.
 *
 * @example
 * const { authorization } = await getSecretJson<{ authorization?: string }>(process.env.CONFIG_SECRET_ID!);
 * // on a 401 from the downstream: invalidateSecret(id) and read again once
 */
export async function getSecretJson<T>(secretId: string, options: SecretReadOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_SECRET_MAX_AGE_MS;
  const entry = cache.get(secretId);
  if (entry?.pending) return (await entry.pending) as T;
  if (entry && "value" in entry && now() - entry.fetchedAt < maxAgeMs) return entry.value as T;

  const pending = readSecretJson(secretId, options.client ?? getDefaultClient(), options.setHint);
  cache.set(secretId, { ...entry, fetchedAt: entry?.fetchedAt ?? 0, pending });
  try {
    const value = await pending;
    cache.set(secretId, { value, fetchedAt: now() });
    return value as T;
  } catch (error) {
    cache.delete(secretId);
    throw error;
  }
}

/** Drops the cached value so the next {@link getSecretJson} reads Secrets Manager again (after rotation). */
export function invalidateSecret(secretId: string): void {
  cache.delete(secretId);
}

/** Empties the whole cache (tests, or a handler that wants a cold-start view). */
export function clearSecretCache(): void {
  cache.clear();
}

async function readSecretJson(secretId: string, client: SecretsManagerClient, setHint?: string): Promise<unknown> {
  const hint = setHint ?? "Set it with `pulumi config set --secret kinesis-ingest:<key> <value>` and run `pulumi up`.";
  let text: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    text = output.SecretString ?? (output.SecretBinary ? Buffer.from(output.SecretBinary).toString("utf8") : undefined);
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    if (name === "ResourceNotFoundException") {
      throw new SecretNotFoundError(
        secretId,
        `Secret "${secretId}" does not exist or has no value yet (Secrets Manager: ResourceNotFoundException). ${hint}`,
        { cause: error },
      );
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecretUnavailableError(secretId, `Could not read secret "${secretId}" from Secrets Manager (${detail}).`, {
      cause: error,
    });
  }
  if (text === undefined || text === "") {
    throw new SecretNotFoundError(secretId, `Secret "${secretId}" has no value set yet. ${hint}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message quotes the input, i.e. the secret: report only its length.
    throw new SecretFormatError(
      secretId,
      `Secret "${secretId}" is not valid JSON (${text.length} characters); it must hold a JSON object.`,
    );
  }
}

function getDefaultClient(): SecretsManagerClient {
  defaultClient ??= new SecretsManagerClient({});
  return defaultClient;
}
