/**
 * The two readers of a stack's configuration. The Pulumi program reads `pulumi.runtime.allConfig()` (so
 * `pulumi config set`, `--config` and ESC environments work); the local stack, the offline plan and the CLI
 * read `Pulumi.<stack>.yaml` directly. Both hand the raw values to the same `validateStackConfig`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ConfigValidationError } from "./errors";
import { PROJECT, PROJECT_DIR } from "./project";
import { isObject, type RawObject } from "./rules";
import type { StackConfig } from "./types";
import { validateStackConfig } from "./validate";

const PREFIX = `${PROJECT}:`;

/** Reads `Pulumi.<stack>.yaml` and returns its `kinesis-ingest:*` values, keys without the prefix. */
export function readStackFile(stack: string, dir: string = PROJECT_DIR): RawObject {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new ConfigValidationError([`the stack name must be letters, digits, \`_\`, \`.\` or \`-\`, got ${JSON.stringify(stack)}`]);
  }
  return readStackFileAt(path.join(dir, `Pulumi.${stack}.yaml`), "create it or pick an existing stack with --stack");
}

/**
 * Reads the stack file at `file` (any name, e.g. an earlier version of a stack's file) and returns its
 * `kinesis-ingest:*` values, keys without the prefix; `whenMissing` tells what to do when there is none.
 */
export function readStackFileAt(file: string, whenMissing: string): RawObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConfigValidationError([`no stack file ${file}: ${whenMissing}`]);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ConfigValidationError([`${file} is not valid YAML: ${(error as Error).message}`]);
  }
  const config = isObject(doc) && isObject(doc.config) ? doc.config : {};
  // `pulumi config set KEY '<json>'` stores the JSON as a string, which the program parses (fromPulumiConfig): so here.
  return withoutPrefix(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? parseJsonOrText(value) : value]));
}

/** Reads and validates `Pulumi.<stack>.yaml`. */
export function loadStackFile(stack: string, dir: string = PROJECT_DIR): StackConfig {
  return validateStackConfig(readStackFile(stack, dir), `Pulumi.${stack}.yaml`, { stack });
}

/**
 * Turns Pulumi's flat config map (`{"kinesis-ingest:stream": "<json>"}`, as `pulumi.runtime.allConfig()`
 * returns it) into raw values: structured values arrive as JSON text, plain strings stay strings.
 */
export function fromPulumiConfig(all: Readonly<Record<string, string>>): RawObject {
  return withoutPrefix(Object.entries(all).map(([key, text]) => [key, parseJsonOrText(text)]));
}

function withoutPrefix(entries: [string, unknown][]): RawObject {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (key.startsWith(PREFIX)) raw[key.slice(PREFIX.length)] = value;
  }
  return raw;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
