/**
 * A consumer's `parameters`: Parameter Store parameters the stack creates for it (`{type, value}`; a
 * SecureString's value from the secret `parameterSecrets`, never the stack file) or existing ones it reads
 * (`{name}`), each passed to the function by name as `PARAM_<NAME>`.
 */
import { parameterNameProblem, PARAMETER_TYPES, STANDARD_PARAMETER_VALUE_MAX } from "../semantics/parameter-store";
import { parameterEnvironmentName } from "../handlers/lib/environment/parameters";
import { stackParameterName } from "./names";
import { isObject, oneOf, Problems, rejectUnknownKeys } from "./rules";
import { CREATED_PARAMETER, EXISTING_PARAMETER } from "./schema/consumers";
import { keysOf } from "./schema/kit";
import { SECRET_KEYS, type ConsumerParameter } from "./types";

/** A parameter's key in `parameters`: what follows `PARAM_` in the variable and ends the created name. */
const PARAMETER_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The most characters stack and consumer names add to a created parameter's name: the consumer's function,
 * `kinesis-ingest-<stack>-<consumer>`, is at most 64 characters (config/name-checks.ts), which leaves 48.
 */
const STACK_AND_CONSUMER_MAX = 48;

/** `parameters`: `{NAME: {type, value?} | {name}}`. */
export function readParameters(p: Problems, at: string, consumer: string, value: unknown): Record<string, ConsumerParameter> | undefined {
  if (value === undefined) return {};
  if (!isObject(value)) return p.add(at, "a map of names to {type, value} or {name}", value);
  const start = p.list.length;
  const parameters: Record<string, ConsumerParameter> = {};
  for (const [key, spec] of Object.entries(value)) {
    const where = `${at}.${key}`;
    if (!PARAMETER_KEY.test(key))
      p.say(
        `\`${where}\`: a parameter's key must be 1 to 64 letters, digits or _, starting with a letter (it becomes ${parameterEnvironmentName("<key>")})`,
      );
    const parameter = readParameter(p, where, consumer, key, spec);
    if (parameter !== undefined) parameters[key] = parameter;
  }
  return p.list.length === start ? parameters : undefined;
}

function readParameter(p: Problems, where: string, consumer: string, key: string, spec: unknown): ConsumerParameter | undefined {
  const shapes =
    "{type: String | StringList, value} or {type: SecureString} (its value in the secret `parameterSecrets`), or {name: <an existing parameter's name>}";
  if (!isObject(spec)) return p.add(where, shapes, spec);
  if (spec.name !== undefined) {
    rejectUnknownKeys(p, where, spec, keysOf(EXISTING_PARAMETER));
    const problem = typeof spec.name === "string" ? parameterNameProblem(spec.name) : "a string";
    return problem === undefined ? { name: spec.name as string } : p.add(`${where}.name`, `a parameter name: ${problem}`, spec.name);
  }
  rejectUnknownKeys(p, where, spec, [...keysOf(CREATED_PARAMETER), ...keysOf(EXISTING_PARAMETER)]);
  if (spec.type === undefined) return p.say(`\`${where}\` needs \`type\` (${PARAMETER_TYPES.join(", ")}) or \`name\`: ${shapes}`);
  const type = oneOf(p, `${where}.type`, spec.type, CREATED_PARAMETER.properties.type.enum);
  if (type === "SecureString") {
    if (spec.value === undefined) return { type };
    return p.say(
      `\`${where}.value\` is not allowed for a SecureString: a secret never goes in the stack file; set it with ` +
        `pulumi config set --secret --path 'kinesis-ingest:${SECRET_KEYS.parameterSecrets}.${consumer}.${key}' '<value>' (value not shown)`,
    );
  }
  const text = spec.value;
  if (typeof text !== "string" || text.length === 0 || text.length > STANDARD_PARAMETER_VALUE_MAX)
    return p.add(`${where}.value`, `a string of 1 to ${STANDARD_PARAMETER_VALUE_MAX} characters (a standard parameter's limit)`, text);
  return type === undefined ? undefined : { type, value: text };
}

/** Each parameter's Parameter Store name at its longest, by key (a created one's stack and consumer names at theirs): for the environment's budget. */
export function longestParameterNames(parameters: Readonly<Record<string, ConsumerParameter>> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parameters ?? {}).map(([key, spec]) => [
      key,
      "name" in spec ? spec.name : stackParameterName("", "", key) + "x".repeat(STACK_AND_CONSUMER_MAX),
    ]),
  );
}

/** The SecureString parameters of a consumer, by key: the ones whose value `parameterSecrets` must hold. */
export function secureParameterKeys(parameters: Readonly<Record<string, ConsumerParameter>>): string[] {
  return Object.entries(parameters)
    .filter(([, spec]) => "type" in spec && spec.type === "SecureString")
    .map(([key]) => key);
}

/**
 * `parameterSecrets` (`{CONSUMER: {NAME: value}}`, secret config): a value for every SecureString parameter and
 * nothing else. Values are never echoed; one still encrypted (a stack file read offline) counts as set.
 */
export function checkParameterSecrets(
  p: Problems,
  secrets: unknown,
  consumers: readonly { readonly name: string; readonly parameters?: Readonly<Record<string, ConsumerParameter>> }[],
  isEncrypted: (value: unknown) => boolean,
): void {
  const key = SECRET_KEYS.parameterSecrets;
  if (isEncrypted(secrets)) return;
  if (secrets !== undefined && !isObject(secrets)) {
    p.say(`\`${key}\` must be an object keyed by consumer name (value not shown: it is secret)`);
    return;
  }
  const byConsumer = secrets ?? {};
  for (const [name, entry] of Object.entries(byConsumer)) {
    const consumer = consumers.find((c) => c.name === name);
    const secure = secureParameterKeys(consumer?.parameters ?? {});
    if (consumer === undefined)
      p.say(`\`${key}.${name}\` names no consumer; consumers: ${consumers.map((c) => c.name).join(", ") || "(none)"}`);
    else if (!isEncrypted(entry) && !isObject(entry))
      p.say(`\`${key}.${name}\` must be an object of values by parameter (value not shown: it is secret)`);
    else if (isObject(entry))
      for (const [parameter, value] of Object.entries(entry)) {
        if (!secure.includes(parameter))
          p.say(
            `\`${key}.${name}.${parameter}\` is no SecureString parameter of consumer ${name}; its SecureString parameters: ${secure.join(", ") || "(none)"}`,
          );
        else if (!isEncrypted(value) && (typeof value !== "string" || value.length === 0 || value.length > STANDARD_PARAMETER_VALUE_MAX))
          p.say(
            `\`${key}.${name}.${parameter}\` must be a string of 1 to ${STANDARD_PARAMETER_VALUE_MAX} characters (value not shown: it is secret)`,
          );
      }
  }
  for (const consumer of consumers) {
    const entry = byConsumer[consumer.name];
    if (isEncrypted(entry)) continue;
    for (const parameter of secureParameterKeys(consumer.parameters ?? {})) {
      if (isObject(entry) && entry[parameter] !== undefined) continue;
      p.say(
        `\`consumers.${consumer.name}.parameters.${parameter}\` is a SecureString without a value: set it with ` +
          `pulumi config set --secret --path 'kinesis-ingest:${key}.${consumer.name}.${parameter}' '<value>'`,
      );
    }
  }
}

/**
 * Each parameter's Parameter Store name, by key: the created one's `/kinesis-ingest/<stack>/<consumer>/<NAME>`
 * or the existing one's own; the program and the local stack pass these as `PARAM_<NAME>`.
 */
export function parameterNames(
  stack: string,
  consumer: string,
  parameters: Readonly<Record<string, ConsumerParameter>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, spec]) => [key, "name" in spec ? spec.name : stackParameterName(stack, consumer, key)]),
  );
}
