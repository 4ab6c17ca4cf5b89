/**
 * `api.auth` iam on the local stack: SigV4-signed requests (service `execute-api`) checked against one fixed
 * pair of local credentials, by signing the request again with the AWS SDK's signer (@smithy/signature-v4)
 * and comparing signatures, as API Gateway does before the function runs. The messages are API Gateway's
 * (docs/aws-semantics.md#api-fronts-on-the-local-stack).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "../../handlers/lib/sha256-checksum";
import { LOCAL_ACCOUNT } from "../emulators";

/** The credentials a local `iam` stack accepts (printed at start-up and in `/_local/status`). */
export const LOCAL_IAM_CREDENTIALS = {
  accessKeyId: "AKIALOCALINGEST00000",
  secretAccessKey: "local-ingest-secret-access-key",
} as const;

/** The caller a valid signature identifies, as API Gateway puts it in the event. */
export interface SigV4Identity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly userArn: string;
}

/** Why a request was refused: unsigned, an access key that is not the local one, or a signature that does not match. */
export type SigV4Check = { readonly ok: true; readonly identity: SigV4Identity } | { readonly ok: false; readonly reason: SigV4Refusal };
type SigV4Refusal = "missing" | "unknown-key" | "mismatch";

/** API Gateway's messages for each refusal. */
export const SIGV4_MESSAGES: Readonly<Record<SigV4Refusal, string>> = {
  missing: "Missing Authentication Token",
  "unknown-key": "The security token included in the request is invalid.",
  mismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
};

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Verifies the SigV4 `Authorization` header of a request whose body has been read. */
export async function verifySigV4(req: IncomingMessage, body: Buffer): Promise<SigV4Check> {
  const header = req.headers.authorization;
  const parts = header === undefined ? null : AUTHORIZATION.exec(header);
  const amzDate = req.headers["x-amz-date"];
  if (!parts || typeof amzDate !== "string") return { ok: false, reason: "missing" };
  const [, accessKey, , region, service, signedHeaders, signature] = parts as unknown as string[];
  if (accessKey !== LOCAL_IAM_CREDENTIALS.accessKeyId) return { ok: false, reason: "unknown-key" };
  const url = new URL(req.url ?? "/", "http://local");
  const signed = new Set(signedHeaders!.split(";"));
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const signer = new SignatureV4({ service: service!, region: region!, credentials: LOCAL_IAM_CREDENTIALS, sha256: Sha256 });
  const resigned = await signer.sign(
    {
      method: req.method ?? "GET",
      protocol: "http:",
      hostname: (req.headers.host ?? "").split(":")[0]!,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate: parseAmzDate(amzDate), signableHeaders: signed },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? "";
  const match = expected.length === signature!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
  if (!match) return { ok: false, reason: "mismatch" };
  return {
    ok: true,
    identity: { accessKey, accountId: LOCAL_ACCOUNT, userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/local` },
  };
}

/** `20260101T120000Z` → the Date it names. */
function parseAmzDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(NaN);
}

/** The signer's SHA-256, shared with the canary (handlers/lib/sha256-checksum.ts). */
export { Sha256 };
