/**
 * A local stack per front × auth combination, started in-process on a free port and driven over real HTTP;
 * and a SigV4 signer for the `iam` fronts (the AWS SDK's, as a caller would sign).
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { validateStackConfig } from "../../../config";
import { Sha256 } from "../../../local/fronts/sigv4";
import { startLocalStack, type RunningLocalStack } from "../../../local/stack";

export const TOKEN = "fronts-test-token-0001";

/** Starts the stack with `api` and one forwarder delivering to the sink. */
export function startWithApi(api: Record<string, unknown>): Promise<RunningLocalStack> {
  const config = validateStackConfig({ api, consumers: { forwarder: { handler: "forwarder" } } }, "test", { stack: "fronts" });
  return startLocalStack(config, { stack: "fronts", port: 0, kinesis: "kinesalite", limits: false, token: TOKEN, log: () => undefined });
}

/** One request of a table and the exact answer expected. */
export interface FrontCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** The exact body text. */
  readonly body: string;
  readonly responseHeaders?: Record<string, string>;
}

/** Sends `c` to the stack and returns what came back. */
export async function send(url: string, c: Pick<FrontCase, "method" | "path" | "headers">, body?: string): Promise<Response> {
  return fetch(`${url}${c.path}`, {
    method: c.method,
    headers: { "content-type": "application/json", ...c.headers },
    ...(c.method === "GET" ? {} : { body: body ?? RECORDS }),
  });
}

export const RECORDS = '{"records":[{"data":{"n":1},"partitionKey":"k"}]}';

/** Headers of a request signed with SigV4 for `service` (API Gateway's `execute-api` unless said) with these credentials. */
export async function signedHeaders(
  url: string,
  path: string,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  service: "execute-api" | "appsync" = "execute-api",
): Promise<Record<string, string>> {
  const target = new URL(`${url}${path}`);
  const signer = new SignatureV4({ service, region: "us-east-1", credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    headers: { host: target.host, "content-type": "application/json" },
    body,
  });
  return signed.headers;
}
