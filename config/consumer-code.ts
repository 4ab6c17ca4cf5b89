/**
 * What a consumer runs and what it may touch: its `handler` (a built-in kind or the user's own module), its
 * `environment`, extra IAM `permissions` and the DynamoDB `tables` it owns. Validated like every other key:
 * the key path, the value received and what is allowed, every problem at once.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { LAMBDA_ENVIRONMENT_MAX_BYTES, RESERVED_ENVIRONMENT_PREFIXES } from "../semantics/lambda-environment";
import { PROJECT_DIR } from "./project";
import { BUILT_IN_KINDS, isBuiltInKind } from "../handlers/lib/built-in-kinds";
import { PROGRAM_ENVIRONMENT } from "../handlers/lib/environment/budget";
import { parameterEnvironmentName } from "../handlers/lib/environment/parameters";
import { TABLE_VARIABLE_PREFIX, tableEnvironmentName } from "../handlers/lib/environment/tables";
import { checkArnPartition } from "./region-rules";
import { isObject, matching, Problems, rejectUnknownKeys } from "./rules";
import { HANDLER_EXTENSIONS, PERMISSION, TABLE } from "./schema/consumers";
import { keysOf } from "./schema/kit";
import type { ConsumerPermission, ConsumerTable } from "./types";

/**
 * The file a consumer's handler is bundled from: `handlers/<kind>.ts` for a built-in kind, else the user's
 * module resolved against the project root.
 */
export function handlerEntryFile(handler: string, root: string = PROJECT_DIR): string {
  return isBuiltInKind(handler) ? path.join(root, "handlers", `${handler}.ts`) : path.resolve(root, handler);
}

/**
 * Why a consumer's own module cannot serve as its function, in the one wording the plan (`synth`, the
 * program) and the local stack (`npm start`) share: the key, the module, then `problem`.
 */
export function consumerModuleProblem(consumer: string, handler: string, problem: string): string {
  return `\`consumers.${consumer}.handler\` ${JSON.stringify(handler)} ${problem}`;
}

/** The problem of a module whose exports, named in `exported`, hold no `handler` function. */
export function noHandlerExport(exported: readonly string[]): string {
  const names = exported.filter((name) => name !== "__esModule");
  const found = names.length > 0 ? names.join(", ") : "nothing";
  const notAFunction = names.includes("handler") ? " (its `handler` is not a function)" : "";
  return `exports no \`handler\` function: expected \`export const handler\` (\`module.exports.handler\` in CommonJS); it exports ${found}${notAFunction}`;
}

/** `handler`: a built-in kind, or `./path/to/module.ts` inside the project that exists. */
export function readHandler(p: Problems, at: string, value: unknown, root: string = PROJECT_DIR): string | undefined {
  const allowed = `one of ${BUILT_IN_KINDS.join(", ")}, or a path to your module starting with ./ (${HANDLER_EXTENSIONS.join(", ")})`;
  if (value === undefined) return p.say(`\`${at}\` is required: ${allowed}`);
  if (typeof value !== "string") return p.add(at, allowed, value);
  if (isBuiltInKind(value)) return value;
  if (!value.startsWith("./")) return p.add(at, allowed, value);
  if (!(HANDLER_EXTENSIONS as readonly string[]).includes(path.extname(value))) {
    return p.say(`\`${at}\` must name a ${HANDLER_EXTENSIONS.join(", ")} file, got ${JSON.stringify(value)}`);
  }
  const file = path.resolve(root, value);
  const relative = path.relative(root, file);
  if (value.includes("\\") || relative.startsWith("..") || path.isAbsolute(relative)) {
    return p.say(`\`${at}\` must stay inside the project (${root}), got ${JSON.stringify(value)}`);
  }
  if (!existsSync(file) || !statSync(file).isFile())
    return p.say(`\`${at}\` names ${JSON.stringify(value)}, which does not exist (looked for ${file})`);
  return value;
}

const ENVIRONMENT_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

function isReservedByLambda(name: string): boolean {
  return RESERVED_ENVIRONMENT_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** `environment`: names Lambda accepts and neither Lambda nor the program sets; string values; ≤ 4 KB in all. */
export function readEnvironment(p: Problems, at: string, value: unknown, programBytes: number): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!isObject(value)) return p.add(at, "a map of variable names to string values", value);
  const before = p.list.length;
  const environment: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    const key = `${at}.${name}`;
    if (isReservedByLambda(name))
      p.say(
        `\`${key}\` is reserved by Lambda: names starting ${RESERVED_ENVIRONMENT_PREFIXES.join(", ")} belong to the runtime (AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT, ...)`,
      );
    else if (!ENVIRONMENT_NAME.test(name))
      p.say(`\`${key}\`: a variable name must be a letter followed by letters, digits or _ (at least 2 characters)`);
    else if (PROGRAM_ENVIRONMENT.includes(name) || name.startsWith(TABLE_VARIABLE_PREFIX))
      p.say(`\`${key}\` is set by kinesis-ingest itself (${PROGRAM_ENVIRONMENT.join(", ")} and TABLE_<NAME>); choose another name`);
    else if (name.startsWith(parameterEnvironmentName("")))
      p.say(
        `\`${key}\` is set by kinesis-ingest itself: ${parameterEnvironmentName("<NAME>")} passes the name of each of \`parameters\`; choose another name`,
      );
    else if (typeof text !== "string") p.add(key, "a string (quote numbers and booleans in YAML)", text);
    else environment[name] = text;
  }
  const bytes = programBytes + Object.entries(environment).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
    p.say(
      `\`${at}\` is too large: Lambda allows ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes of variables in all, and with the ${programBytes} bytes kinesis-ingest sets these come to ${bytes}`,
    );
  }
  return p.list.length === before ? environment : undefined;
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
const NEGATED = ["NotAction", "NotResource", "notAction", "notResource"];

/** `permissions`: statements of named actions on named resources; no wildcard action, no `*` resource, no Not*. */
export function readPermissions(p: Problems, at: string, value: unknown): ConsumerPermission[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return p.add(at, "a list of {actions: [...], resources: [...]}", value);
  const before = p.list.length;
  const statements: ConsumerPermission[] = [];
  value.forEach((entry, i) => {
    const where = `${at}[${i}]`;
    if (!isObject(entry)) return p.add(where, "an object {actions: [...], resources: [...]}", entry);
    for (const key of NEGATED.filter((k) => k in entry)) {
      p.say(
        `\`${where}.${key}\` is not allowed: a statement grants the actions it lists on the resources it lists, never everything except them`,
      );
    }
    rejectUnknownKeys(p, where, Object.fromEntries(Object.entries(entry).filter(([k]) => !NEGATED.includes(k))), keysOf(PERMISSION));
    const actions = list(p, `${where}.actions`, entry.actions, (v, k) =>
      matching(p, k, v, IAM_ACTION, "an IAM action such as dynamodb:GetItem (service:Action, no wildcard)"),
    );
    const resources = list(p, `${where}.resources`, entry.resources, (v, k) => resourceArn(p, k, v));
    if (actions && resources) statements.push({ actions, resources });
  });
  return p.list.length === before ? statements : undefined;
}

/** A statement's resource: an ARN of the `aws` partition (config/region-rules.ts), never `*`. */
function resourceArn(p: Problems, at: string, value: unknown): string | undefined {
  if (value === "*") return p.say(`\`${at}\` must name resources by ARN: "*" (every resource) is not allowed`);
  const arn = matching(p, at, value, ARN, "a resource ARN such as arn:aws:s3:::my-bucket/*");
  return arn !== undefined && checkArnPartition(p, at, arn) ? arn : undefined;
}

const TABLE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ATTRIBUTE_NAME = /^.{1,255}$/u;

/** `tables`: `{NAME: {partitionKey, sortKey?, ttlAttribute?}}`, each a table the consumer owns. */
export function readTables(p: Problems, at: string, value: unknown): Record<string, ConsumerTable> | undefined {
  if (value === undefined) return {};
  if (!isObject(value)) return p.add(at, "a map of table names to {partitionKey, sortKey?, ttlAttribute?}", value);
  const start = p.list.length;
  const tables: Record<string, ConsumerTable> = {};
  for (const [name, spec] of Object.entries(value)) {
    const where = `${at}.${name}`;
    const before = p.list.length;
    if (!TABLE_NAME.test(name))
      p.say(
        `\`${where}\`: a table name must be 1 to 40 lowercase letters, digits or dashes, starting with a letter (it becomes ${tableEnvironmentName(name.replace(/[^A-Za-z0-9-]/g, ""))})`,
      );
    if (!isObject(spec)) {
      p.add(where, "an object {partitionKey, sortKey?, ttlAttribute?}", spec);
    } else {
      rejectUnknownKeys(p, where, spec, keysOf(TABLE));
      const attribute = (key: string, v: unknown) =>
        matching(p, `${where}.${key}`, v, ATTRIBUTE_NAME, "an attribute name of 1 to 255 characters");
      const partitionKey =
        spec.partitionKey === undefined
          ? p.say(`\`${where}.partitionKey\` is required: the name of the table's partition key attribute (a string)`)
          : attribute("partitionKey", spec.partitionKey);
      const sortKey = spec.sortKey === undefined ? undefined : attribute("sortKey", spec.sortKey);
      const ttlAttribute = spec.ttlAttribute === undefined ? undefined : attribute("ttlAttribute", spec.ttlAttribute);
      if (sortKey !== undefined && sortKey === partitionKey)
        p.say(`\`${where}.sortKey\` must differ from its partitionKey, got ${JSON.stringify(sortKey)} for both`);
      if (partitionKey !== undefined && p.list.length === before) tables[name] = { partitionKey, sortKey, ttlAttribute };
    }
  }
  return p.list.length === start ? tables : undefined;
}

/** A non-empty list of strings, each checked by `item`. */
function list(p: Problems, at: string, value: unknown, item: (v: unknown, at: string) => string | undefined): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return p.add(at, "a non-empty list", value);
  const items = value.map((v, i) => item(v, `${at}[${i}]`));
  return items.every((v): v is string => v !== undefined) ? items : undefined;
}
