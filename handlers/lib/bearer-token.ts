/**
 * Bearer tokens checked against SHA-256 hashes held in a Secrets Manager secret
 * (`{"tokenHashes": ["<sha256 hex of token>", ...]}`). Used by the gateway authorizer and, for the ALB
 * front (which has no authorizer), inside the ingest handler.
 *
 * Only hashes are stored, so a leaked secret does not leak tokens; comparison is constant-time; a token
 * is never logged or returned. There is no per-token result cache here: hashing and comparing take a few
 * microseconds, less than a cache lookup keyed by the same hash would save. What is cached is the secret
 * (TTL, see secrets.ts) and its decoded hash set; the gateways cache authorizer answers themselves.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { getSecretJson, SecretFormatError } from "./secrets";

/** The outcome of a token check: accepted, or why not (missing/malformed → 401, forged → 403). */
export type TokenCheck =
  { readonly ok: true; readonly principalId: string } | { readonly ok: false; readonly reason: "missing" | "malformed" | "forged" };

/** RFC 6750 `b64token`, bounded so a hostile header cannot make us hash megabytes. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,4096}=*) *$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** How an operator sets the accepted tokens; quoted when the secret is missing. */
const TOKEN_SECRET_HINT =
  "Set the accepted tokens with `pulumi config set --secret kinesis-ingest:apiTokens '[\"<token>\"]'` and run `pulumi up` (the program stores their SHA-256 hashes).";

/**
 * Checks an `Authorization` header value against token hashes (hex strings or 32-byte digests).
 * Every hash is compared, with `crypto.timingSafeEqual`, so the time taken does not depend on which
 * hash (if any) matched.
 *
 * @example
 * verifyBearerToken("Bearer s3cr3t", [tokenHash("s3cr3t")]) // { ok: true, principalId: "token:2a97516c354b6884" }
 * verifyBearerToken("Basic abc", hashes)                   // { ok: false, reason: "malformed" }
 */
export function verifyBearerToken(header: string | undefined, hashes: readonly (string | Buffer)[]): TokenCheck {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "missing" };
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) return { ok: false, reason: "malformed" };
  const digest = createHash("sha256").update(token, "utf8").digest();
  let matched = false;
  for (const hash of hashes) {
    const expected = typeof hash === "string" ? Buffer.from(hash, "hex") : hash;
    // The comparison is evaluated for every hash, also after a match: no early exit.
    matched = (expected.length === digest.length && timingSafeEqual(digest, expected)) || matched;
  }
  // The principal is named by a hash prefix: it tells callers apart in access logs, and is not the token.
  return matched ? { ok: true, principalId: `token:${digest.toString("hex", 0, 8)}` } : { ok: false, reason: "forged" };
}

/** SHA-256 of a token as lower-case hex: the form `tokenHashes` holds. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** Secret holding `{"tokenHashes": [...]}`. */
  readonly secretId: string;
  /** Secrets Manager client. @default the module-scope client of secrets.ts */
  readonly secrets?: SecretsManagerClient;
  /** Secret cache lifetime. @default 300000 */
  readonly maxAgeMs?: number;
}

/**
 * Returns a checker that reads the token hashes from Secrets Manager (cached for the secret TTL, decoded
 * once per secret value) and verifies an `Authorization` header against them.
 * @throws SecretError (from the checker) when the secret is missing or malformed: a wiring problem → 500.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (header: string | undefined) => Promise<TokenCheck> {
  let decodedFrom: unknown;
  let hashes: Buffer[] = [];
  return async (header) => {
    // A request without a well-formed token is refused without reading the secret.
    const shape = verifyBearerToken(header, []);
    if (!shape.ok && shape.reason !== "forged") return shape;
    const secret = await getSecretJson<unknown>(options.secretId, {
      client: options.secrets,
      maxAgeMs: options.maxAgeMs,
      setHint: TOKEN_SECRET_HINT,
    });
    if (secret !== decodedFrom) {
      hashes = decodeTokenHashes(secret, options.secretId);
      decodedFrom = secret;
    }
    return verifyBearerToken(header, hashes);
  };
}

/** Checks the secret's shape; errors name the secret and the bad entry's index, never a value. */
function decodeTokenHashes(secret: unknown, secretId: string): Buffer[] {
  const list = typeof secret === "object" && secret !== null ? (secret as { tokenHashes?: unknown }).tokenHashes : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SecretFormatError(
      secretId,
      `Secret "${secretId}" must be a JSON object {"tokenHashes": [...]} with at least one SHA-256 hex digest. ${TOKEN_SECRET_HINT}`,
    );
  }
  return list.map((hash, index) => {
    if (typeof hash !== "string" || !SHA256_HEX.test(hash)) {
      throw new SecretFormatError(
        secretId,
        `Secret "${secretId}": tokenHashes[${index}] must be a SHA-256 hex digest (64 hexadecimal characters).`,
      );
    }
    return Buffer.from(hash, "hex");
  });
}
