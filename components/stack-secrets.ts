/**
 * The stack's secrets: the API token secret (the hashes of `apiTokens`) and each consumer's runtime
 * configuration secret (its `consumerSecrets` entry), from values that may still be encrypted when the stack
 * file is read offline, with the warning an unset one deserves. Its own file because turning secret config
 * values into secrets is one concept, apart from composing the components.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConsumerConfig } from "../config";
import { isEncrypted } from "../config/validate";
import { tokenHash } from "../handlers/lib/bearer-token";
import { canaryToken } from "./canary-token";
import { ConfigSecret } from "./config-secret";

/** Stands in for a value that is encrypted in a stack file read offline (a real run decrypts it). */
export const ENCRYPTED_PLACEHOLDER = "(encrypted in the stack file: decrypted by the Pulumi CLI at deploy time)";

/** True when `value` is, or holds, a value still encrypted (`pulumi config set --secret --path` encrypts leaves). */
function containsEncrypted(value: unknown): boolean {
  return isEncrypted(value) || (isRecord(value) && Object.values(value).some(containsEncrypted));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Consumer `consumer`'s entry of `consumerSecrets` (the raw config value): a whole-object secret read offline
 * is one encrypted value standing for every consumer's entry.
 */
export function consumerSecretEntry(consumerSecrets: unknown, consumer: string): unknown {
  if (isEncrypted(consumerSecrets)) return consumerSecrets;
  const entries: Record<string, unknown> = isRecord(consumerSecrets) ? consumerSecrets : {};
  return entries[consumer];
}

/**
 * The API token secret: `{"tokenHashes": [sha256 hex, ...]}`, so no plain token is stored anywhere. With
 * `canary`, the canary's own token (components/canary-token.ts) is accepted too: its hash is the list's last.
 */
export function apiTokenSecret(tokens: unknown, stack: string, canary = false): ConfigSecret {
  let value: pulumi.Output<string> | undefined;
  if (isEncrypted(tokens)) {
    value = pulumi.secret(ENCRYPTED_PLACEHOLDER);
  } else if (Array.isArray(tokens)) {
    const plain = tokens.map(String);
    const tokenHashes = [...plain, ...(canary ? [canaryToken(plain, stack)] : [])].map(tokenHash);
    value = pulumi.secret(JSON.stringify({ tokenHashes }));
  } else {
    void pulumi.log.warn(
      `\`apiTokens\` is not set for stack ${stack}: the token secret was created without a value, so the API answers every request with 500 (the authorizer cannot read any token hash). ` +
        `Set it, then run \`pulumi up\` again: pulumi config set --secret kinesis-ingest:apiTokens '["<token of 16 to 512 characters>"]' --stack ${stack}`,
    );
  }
  return new ConfigSecret("api-tokens", { description: "SHA-256 hashes of the bearer tokens the ingestion API accepts", value });
}

/**
 * A consumer's runtime configuration secret, e.g. the forwarder's `{"authorization", "targetUrl"}`. The
 * forwarder always gets one (it reads it on every cold start), an archiver never (it reads none), any other
 * consumer only when its `consumerSecrets` entry is set.
 */
export function consumerSecret(consumer: ConsumerConfig, value: unknown, stack: string): ConfigSecret | undefined {
  if (consumer.handler === "archiver" || (consumer.handler !== "forwarder" && value === undefined)) return undefined;
  let text: pulumi.Output<string> | undefined;
  if (containsEncrypted(value)) {
    text = pulumi.secret(ENCRYPTED_PLACEHOLDER);
  } else if (isRecord(value)) {
    text = pulumi.secret(JSON.stringify(value));
  } else {
    void pulumi.log.warn(
      `\`consumerSecrets.${consumer.name}\` is not set for stack ${stack}: its config secret was created without a value` +
        `${consumer.handler === "forwarder" && consumer.targetUrl === undefined ? " and no `targetUrl` is configured, so the consumer has nowhere to deliver" : ""}. ` +
        `Set it, then run \`pulumi up\` again: pulumi config set --secret --path 'kinesis-ingest:consumerSecrets.${consumer.name}.authorization' '<credential>' --stack ${stack}`,
    );
  }
  return new ConfigSecret(`${consumer.name}-config`, {
    description: `Runtime configuration of the ${consumer.name} consumer`,
    value: text,
  });
}
