/**
 * The canary's bearer token (`observability.canary` with `api.auth` token). The token secret holds only hashes
 * (`{"tokenHashes": [...]}`), so the canary cannot use a producer's token: it gets one of its own, whose hash
 * joins the list. The token is derived, not drawn: HMAC-SHA-256 keyed with the stack's `apiTokens`, so every
 * run of the program computes the same one (no diff on `pulumi up`, no extra provider holding state), it changes
 * when `apiTokens` are rotated, and it reveals nothing of them.
 */
import { createHmac } from "node:crypto";

/**
 * The canary's token for `stack`: 43 base64url characters, within the bearer token rule (config/validate.ts).
 * @example canaryToken(["producer-token-0001"], "dev").length // 43
 */
export function canaryToken(apiTokens: readonly string[], stack: string): string {
  return createHmac("sha256", JSON.stringify(apiTokens)).update(`kinesis-ingest canary token of stack ${stack}`).digest("base64url");
}
