/**
 * The CloudWatch Synthetics canary of `observability.canary` (components/canary.ts): on each run it calls the
 * front as a producer would, `GET /health` and then `POST /records` with one record (partition key `canary`,
 * handlers/lib/canary-record.ts) and the stack's auth, and fails the run (throws) unless both answer as the API
 * contract says. Synthetics counts a run that returns as passed and one that throws as failed
 * (`SuccessPercent`). It uses Node's `fetch` and what esbuild bundles, nothing of the Synthetics library.
 *
 * Environment of `handler`: `API_URL` and `STACK` (required); `CANARY_AUTH` (`none`, `token` or `iam`; default
 * `none`); `CANARY_SECRET_ID` (a secret `{"token"?, "apiKey"?}`: the canary's bearer token with `token`, the
 * REST API's usage plan key on `rest-api`); `AWS_REGION` and the function's credentials (`iam`: the request is
 * SigV4-signed for `execute-api`); `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
import { canaryFromEnv } from "./lib/environment/canary";
import { SignatureV4 } from "@smithy/signature-v4";
import { canaryRecordsBody } from "./lib/canary-record";
import { getSecretJson, SecretFormatError } from "./lib/secrets";
import { Sha256 } from "./lib/sha256-checksum";

/** How the canary authenticates `POST /records`. */
export type CanaryAuth =
  | { readonly mode: "none" }
  | { readonly mode: "token"; readonly token: string }
  | {
      readonly mode: "iam";
      readonly region: string;
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
    };

/** Options of {@link runCanary}. */
export interface CanaryOptions {
  /** The front's base URL (the stack's `apiUrl`). */
  readonly apiUrl: string;
  /** Written into the record's data. */
  readonly stack: string;
  readonly auth: CanaryAuth;
  /** The REST API's usage plan key, sent as `x-api-key`. @default none */
  readonly apiKey?: string;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** What one run saw: the stored record's shard and sequence number. */
export interface CanaryReport {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** A run that failed: the step and what the front answered. */
export class CanaryCheckError extends Error {
  override readonly name = "CanaryCheckError";
}

/**
 * One canary run against `apiUrl`. Throws a {@link CanaryCheckError} naming the step that failed.
 * @example await runCanary({ apiUrl: "https://abc.execute-api.eu-west-1.amazonaws.com", stack: "dev", auth: { mode: "token", token } })
 */
export async function runCanary(options: CanaryOptions): Promise<CanaryReport> {
  const base = options.apiUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;

  const health = await call("GET /health", () => fetch(`${base}/health`, { signal: AbortSignal.timeout(timeoutMs) }));
  const healthText = await health.text();
  if (health.status !== 200 || !isHealthy(healthText)) throw failure("GET /health", health.status, healthText);

  const body = canaryRecordsBody(options.stack, (options.now ?? (() => new Date()))());
  const url = new URL(`${base}/records`);
  const headers = await authHeaders(options, url, body);
  const post = await call("POST /records", () => fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) }));
  const postText = await post.text();
  const stored = post.status === 200 ? storedRecord(postText) : undefined;
  if (!stored) throw failure("POST /records", post.status, postText);
  return stored;
}

async function call(step: string, send: () => Promise<Response>): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    throw new CanaryCheckError(`${step} failed before an answer: ${(error as Error).message}`);
  }
}

function failure(step: string, status: number, text: string): CanaryCheckError {
  return new CanaryCheckError(`${step} answered ${status}: ${text.slice(0, 500)}`);
}

function isHealthy(text: string): boolean {
  try {
    return (JSON.parse(text) as { status?: unknown }).status === "ok";
  } catch {
    return false;
  }
}

/** The one record's result of a 200 answer, or undefined when the answer is not the contract's. */
function storedRecord(text: string): CanaryReport | undefined {
  try {
    const answer = JSON.parse(text) as { failedRecordCount?: unknown; records?: Array<{ shardId?: unknown; sequenceNumber?: unknown }> };
    const [record] = answer.records ?? [];
    if (answer.failedRecordCount !== 0 || typeof record?.shardId !== "string" || typeof record.sequenceNumber !== "string")
      return undefined;
    return { shardId: record.shardId, sequenceNumber: record.sequenceNumber };
  } catch {
    return undefined;
  }
}

async function authHeaders(options: CanaryOptions, url: URL, body: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(options.apiKey === undefined ? {} : { "x-api-key": options.apiKey }),
  };
  const { auth } = options;
  if (auth.mode === "token") return { ...headers, authorization: `Bearer ${auth.token}` };
  if (auth.mode === "none") return headers;
  // API Gateway checks the signature over the host, the path and the body: sign exactly what is sent.
  const signer = new SignatureV4({ service: "execute-api", region: auth.region, credentials: auth.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === "" ? undefined : Number(url.port),
    path: url.pathname,
    headers: { ...headers, host: url.host },
    body,
  });
  return signed.headers;
}

/** The canary's secret: its bearer token (`token` auth) and the REST API's key (`rest-api`). */
interface CanarySecret {
  readonly token?: string;
  readonly apiKey?: string;
}

/** The options of a run from the canary's environment. */
async function optionsFromEnv(env: NodeJS.ProcessEnv): Promise<CanaryOptions> {
  const { apiUrl, stack, auth: mode, secretId } = canaryFromEnv(env);
  const secret = secretId ? await getSecretJson<CanarySecret>(secretId) : {};
  if (mode === "token" && typeof secret.token !== "string") {
    const id = secretId ?? "(CANARY_SECRET_ID unset)";
    throw new SecretFormatError(id, `the canary's secret ${id} holds no \`token\` (is \`apiTokens\` set for the stack?)`);
  }
  const auth: CanaryAuth =
    mode === "token"
      ? { mode, token: secret.token! }
      : mode === "iam"
        ? {
            mode,
            region: env.AWS_REGION ?? "us-east-1",
            credentials: {
              accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
              sessionToken: env.AWS_SESSION_TOKEN,
            },
          }
        : { mode: "none" };
  return { apiUrl, stack, auth, apiKey: secret.apiKey };
}

/** The Synthetics entry point (`kinesis-ingest-canary.handler`): returns on a passed run, throws on a failed one. */
export const handler = async (): Promise<CanaryReport> => {
  const report = await runCanary(await optionsFromEnv(process.env));
  console.log(JSON.stringify({ message: "canary run passed", ...report }));
  return report;
};
