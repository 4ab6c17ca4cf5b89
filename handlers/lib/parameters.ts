/**
 * Parameter Store reads for a consumer's `parameters` (each reaches the function as `PARAM_<NAME>`, the
 * parameter's name): cached per name for a TTL, as Powertools' Parameters utility does (5 s by default), with
 * concurrent reads of one name sharing a call, and SecureStrings decrypted. `@aws-sdk/client-ssm` is loaded on
 * the first read only, so a consumer without parameters never pays for it at cold start.
 */
import type { GetParameterCommandOutput, GetParametersCommandOutput, SSMClient } from "@aws-sdk/client-ssm";
import { GET_PARAMETERS_MAX_NAMES } from "../../semantics/parameter-store";
import { ConsumerError } from "./consumer/errors";

/** Default cache lifetime, Powertools' own: 5 seconds. */
const DEFAULT_PARAMETER_MAX_AGE_MS = 5_000;

/** A failure to read a parameter; the message names the parameter, never its value. */
export class ParameterError extends ConsumerError {
  constructor(
    readonly parameterName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The parameter does not exist (or this function may not read it). */
export class ParameterNotFoundError extends ParameterError {}

/** Options of {@link getParameter} and {@link getParameters}. */
export interface ParameterReadOptions {
  /** How long a value is served from the cache. @default 5000 */
  readonly maxAgeMs?: number;
  /** SSM client. @default one module-scope client (endpoint from `AWS_ENDPOINT_URL_SSM`) */
  readonly client?: Pick<SSMClient, "send">;
  /** Clock. @default `Date.now` */
  readonly now?: () => number;
}

interface CacheEntry {
  value?: string;
  fetchedAt: number;
  pending?: Promise<string>;
}

const cache = new Map<string, CacheEntry>();
let defaultClient: Promise<Pick<SSMClient, "send">> | undefined;

async function ssm(options: ParameterReadOptions): Promise<{ client: Pick<SSMClient, "send">; sdk: typeof import("@aws-sdk/client-ssm") }> {
  const sdk = await import("@aws-sdk/client-ssm");
  defaultClient ??= Promise.resolve(new sdk.SSMClient({}));
  return { client: options.client ?? (await defaultClient), sdk };
}

/**
 * The value of parameter `name` (a SecureString decrypted), from the cache while younger than `maxAgeMs`.
 * @example const url = await getParameter(process.env.PARAM_API_URL!, { maxAgeMs: 60_000 });
 */
export async function getParameter(name: string, options: ParameterReadOptions = {}): Promise<string> {
  const now = options.now ?? Date.now;
  const entry = cache.get(name);
  if (entry?.value !== undefined && now() - entry.fetchedAt < (options.maxAgeMs ?? DEFAULT_PARAMETER_MAX_AGE_MS)) return entry.value;
  if (entry?.pending) return entry.pending;
  const pending = (async () => {
    const { client, sdk } = await ssm(options);
    let answer: GetParameterCommandOutput;
    try {
      answer = await client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }));
    } catch (error) {
      if ((error as { name?: string }).name === "ParameterNotFound")
        throw new ParameterNotFoundError(name, `Parameter ${name} does not exist`, { cause: error });
      throw new ParameterError(name, `Parameter ${name} could not be read: ${(error as Error).message}`, { cause: error });
    }
    return answer.Parameter?.Value ?? "";
  })();
  cache.set(name, { ...entry, fetchedAt: entry?.fetchedAt ?? 0, pending });
  try {
    const value = await pending;
    cache.set(name, { value, fetchedAt: now() });
    return value;
  } catch (error) {
    cache.delete(name); // a failure is not cached: the next call tries again
    throw error;
  }
}

/**
 * The values of several parameters by name, read with GetParameters in calls of at most 10 names (its limit)
 * for those the cache does not hold fresh.
 */
export async function getParameters(names: readonly string[], options: ParameterReadOptions = {}): Promise<Record<string, string>> {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_PARAMETER_MAX_AGE_MS;
  const stale = [...new Set(names)].filter((n) => {
    const entry = cache.get(n);
    return entry?.value === undefined || now() - entry.fetchedAt >= maxAgeMs;
  });
  for (let i = 0; i < stale.length; i += GET_PARAMETERS_MAX_NAMES) {
    const chunk = stale.slice(i, i + GET_PARAMETERS_MAX_NAMES);
    const { client, sdk } = await ssm(options);
    let answer: GetParametersCommandOutput;
    try {
      answer = await client.send(new sdk.GetParametersCommand({ Names: chunk, WithDecryption: true }));
    } catch (error) {
      throw new ParameterError(chunk[0]!, `Parameters ${chunk.join(", ")} could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const missing = answer.InvalidParameters ?? [];
    if (missing.length > 0) throw new ParameterNotFoundError(missing[0]!, `Parameter ${missing.join(", ")} does not exist`);
    for (const p of answer.Parameters ?? []) cache.set(p.Name!, { value: p.Value ?? "", fetchedAt: now() });
  }
  return Object.fromEntries(names.map((n) => [n, cache.get(n)?.value ?? ""]));
}

/** Forgets the cached value of `name`, or of every parameter: the next read asks Parameter Store. */
export function invalidateParameter(name?: string): void {
  if (name === undefined) cache.clear();
  else cache.delete(name);
}
