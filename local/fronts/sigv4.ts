/**
 * `api.auth` iam on the local stack: SigV4-signed requests checked against one fixed pair of local credentials,
 * by signing the request again with the AWS SDK's signer (@smithy/signature-v4) and comparing signatures, as
 * API Gateway and AppSync do before the function runs. The credential scope must name the front's service:
 * `execute-api` on the API Gateway fronts, `appsync` on the appsync front (a request signed for another service
 * is refused whatever its signature). The messages are API Gateway's
 * (docs/aws-semantics.md#api-fronts-on-the-local-stack); the appsync front answers in its own words.
 */
import { createHash, timingSafeEqual } from "node:crypto";
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

/** The service a front's callers sign for: API Gateway's, or AppSync's. */
export type SigV4Service = "execute-api" | "appsync";

/**
 * Why a request was refused: unsigned, signed for another service than the front's, an access key that is not
 * the local one, or a signature that does not match.
 */
export type SigV4Check = { readonly ok: true; readonly identity: SigV4Identity } | { readonly ok: false; readonly reason: SigV4Refusal };
type SigV4Refusal = "missing" | "wrong-service" | "unknown-key" | "mismatch";

/** API Gateway's messages for each refusal. */
export const SIGV4_MESSAGES: Readonly<Record<SigV4Refusal, string>> = {
  missing: "Missing Authentication Token",
  // API Gateway's answer (403, `x-amzn-ErrorType: InvalidSignatureException`), trailing space included.
  "wrong-service": "Credential should be scoped to correct service: 'execute-api'. ",
  "unknown-key": "The security token included in the request is invalid.",
  mismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
};

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Verifies the SigV4 `Authorization` header, signed for `expectedService`, of a request whose body has been read. */
export async function verifySigV4(req: IncomingMessage, body: Buffer, expectedService: SigV4Service): Promise<SigV4Check> {
  const header = req.headers.authorization;
  const parts = header === undefined ? null : AUTHORIZATION.exec(header);
  const amzDate = req.headers["x-amz-date"];
  if (!parts || typeof amzDate !== "string") return { ok: false, reason: "missing" };
  const [, accessKey, , region, service, signedHeaders, signature] = parts as unknown as string[];
  if (service !== expectedService) return { ok: false, reason: "wrong-service" };
  if (accessKey !== LOCAL_IAM_CREDENTIALS.accessKeyId) return { ok: false, reason: "unknown-key" };
  // The signer takes `x-amz-content-sha256` as the payload's hash when it is there: the body's own hash must be it,
  // or a body changed after signing would pass (AWS hashes the payload it received).
  const claimedHash = req.headers["x-amz-content-sha256"];
  if (claimedHash !== undefined && claimedHash !== createHash("sha256").update(body).digest("hex"))
    return { ok: false, reason: "mismatch" };
  const url = new URL(req.url ?? "/", "http://local");
  const signed = new Set(signedHeaders!.split(";"));
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const signer = new SignatureV4({ service, region: region!, credentials: LOCAL_IAM_CREDENTIALS, sha256: Sha256 });
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
