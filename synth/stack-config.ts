/**
 * Turns a stack file into the flat config map Pulumi hands a program (`pulumi.runtime.allConfig()`):
 * `kinesis-ingest:<key>` values (structured ones as JSON text, as `pulumi config set --path` stores them)
 * plus the other namespaces' plain values, such as `aws:region`.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { PROJECT } from "../config/project";

/** The region a stack without `aws:region` is planned in. */
export const DEFAULT_REGION = "us-east-1";

/**
 * The plain (not encrypted, not structured) values outside the `kinesis-ingest` namespace of the stack file
 * `file`, e.g. `{"aws:region": "eu-west-1"}`. Call after `readStackFile` has read and parsed the same file.
 */
export function readProviderConfig(file: string): Record<string, string> {
  const doc: unknown = parse(readFileSync(file, "utf8"));
  const config = typeof doc === "object" && doc !== null ? (doc as { config?: unknown }).config : undefined;
  if (typeof config !== "object" || config === null) return {};
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${PROJECT}:`)) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") plain[key] = String(value);
  }
  return plain;
}

/** The flat Pulumi config for the project's raw values (keys without the prefix) and the provider values. */
export function pulumiConfig(raw: Readonly<Record<string, unknown>>, provider: Readonly<Record<string, string>>): Record<string, string> {
  const config: Record<string, string> = { ...provider };
  for (const [key, value] of Object.entries(raw)) {
    config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}
