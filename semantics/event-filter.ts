/**
 * Lambda event filtering for a Kinesis event source ("Control which events Lambda sends to your function" and
 * "Using event filtering with a Kinesis event source", AWS Lambda developer guide): patterns apply to the `data`
 * key only, matched against the record's base64-decoded data when it is valid JSON (records whose data is not
 * JSON match no pattern); at most 5 patterns, OR-ed; a record no pattern matches is dropped. The rule language
 * is EventBridge's, in the subset Lambda documents: exact values, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but`, `numeric`, `exists`, nested objects; every field a pattern names must match (AND), the rules
 * listed for one field are alternatives (OR). As EventBridge does, arrays are flattened: a path's values are
 * every value it reaches through any array, arrays of objects included (`{"items":{"sku":["b"]}}` matches
 * `{"items":[{"sku":"a"},{"sku":"b"}]}`). A number in a pattern matches a number of the same text only (`300`
 * is not `300.0`); `numeric` ranges compare values.
 */
import { MAX_FILTER_PATTERNS } from "./event-source-mapping";
import { JsonNumber, parseJsonKeepingNumbers } from "./json-number-text";

/** Decides whether a record's decoded data passes the mapping's filter criteria. */
export type RecordFilter = (data: Uint8Array) => boolean;

/** One compiled rule list or object pattern: given every value at its path, arrays flattened (none when absent). */
type Matcher = (values: readonly unknown[]) => boolean;
/** One rule, given one leaf value. */
type ValueTest = (value: unknown) => boolean;

const NUMERIC_OPERATORS = ["<", "<=", "=", ">=", ">"] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

/**
 * Compiles the `filterPatterns` of a consumer (each a JSON string such as `{"data":{"type":["order"]}}`) into a
 * filter. Throws an Error naming the pattern and what is allowed when one is malformed.
 *
 * @example
 * const passes = compileFilterCriteria(['{"data":{"amount":[{"numeric":[">",100]}]}}']);
 * passes(Buffer.from('{"amount":250}')); // true
 * passes(Buffer.from("not json"));       // false
 */
export function compileFilterCriteria(patterns: readonly string[]): RecordFilter {
  if (patterns.length > MAX_FILTER_PATTERNS) {
    throw new Error(`filterPatterns allows at most ${MAX_FILTER_PATTERNS} patterns, got ${patterns.length}`);
  }
  const matchers = patterns.map((pattern, index) => compilePattern(pattern, `filterPatterns[${index}]`));
  return (data) => {
    let parsed: unknown;
    try {
      parsed = parseJsonKeepingNumbers(Buffer.from(data).toString("utf8"));
    } catch {
      return false; // Non-JSON data never matches a pattern on `data`: Lambda drops the record.
    }
    return matchers.some((matches) => matches(flatten(parsed)));
  };
}

/** Compiles one pattern string; the returned matcher takes the parsed `data` value. */
function compilePattern(pattern: string, where: string): Matcher {
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingNumbers(pattern);
  } catch {
    throw new Error(`${where} must be a JSON object such as {"data":{"type":["order"]}}, got ${JSON.stringify(pattern)}`);
  }
  if (!isPlainObject(parsed) || Object.keys(parsed).length !== 1 || !isPlainObject(parsed.data)) {
    throw new Error(`${where} must be a JSON object filtering on \`data\` only (Kinesis filters match data only), got ${pattern}`);
  }
  return compileObject(parsed.data, `${where}.data`);
}

/** An object pattern: every field it names must match (AND). */
function compileObject(pattern: Record<string, unknown>, where: string): Matcher {
  const fields = Object.entries(pattern).map(([key, sub]): [string, Matcher] => {
    const path = `${where}.${key}`;
    if (Array.isArray(sub)) return [key, compileRules(sub, path)];
    if (isPlainObject(sub)) return [key, compileObject(sub, path)];
    throw new Error(`${path} must be a list of rules or a nested object pattern, got ${JSON.stringify(sub)}`);
  });
  return (values) =>
    fields.every(([key, matches]) =>
      matches(values.flatMap((value) => (isPlainObject(value) && Object.hasOwn(value, key) ? flatten(value[key]) : []))),
    );
}

/** A value with every array in it opened up, at any depth: the values a path reaches. */
function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/** A field's rule list: any rule matching is enough (OR); a field with several values matches when one does. */
function compileRules(rules: readonly unknown[], where: string): Matcher {
  if (rules.length === 0) throw new Error(`${where} must list at least one rule, got []`);
  const compiled = rules.map((rule, index) => compileRule(rule, `${where}[${index}]`));
  const presence = compiled.filter((rule) => rule.onPresence);
  const leaf = compiled.filter((rule) => !rule.onPresence);
  return (values) => {
    // EventBridge: exists looks at leaf values only; a field with none is what `exists: false` asks for.
    const present = values.some((value) => !isPlainObject(value));
    if (presence.some((rule) => rule.matches(present))) return true;
    return values.some((value) => leaf.some((rule) => rule.matches(value)));
  };
}

/** `exists` rules look at whether the field has a leaf value; the others at each of its leaf values. */
interface CompiledRule {
  readonly onPresence: boolean;
  readonly matches: ValueTest;
}

function compileRule(rule: unknown, where: string): CompiledRule {
  if (isLiteral(rule)) return { onPresence: false, matches: (value) => sameLiteral(value, rule) };
  if (!isPlainObject(rule) || Object.keys(rule).length !== 1) {
    throw new Error(`${where} must be a string, number, boolean, null or a one-key operator object, got ${JSON.stringify(rule)}`);
  }
  const [operator, operand] = Object.entries(rule)[0] as [string, unknown];
  const leaf = (matches: ValueTest): CompiledRule => ({ onPresence: false, matches });
  switch (operator) {
    case "prefix":
      return leaf(stringTest(operand, `${where}.prefix`, (value, text) => value.startsWith(text)));
    case "suffix":
      return leaf(stringTest(operand, `${where}.suffix`, (value, text) => value.endsWith(text)));
    case "equals-ignore-case":
      return leaf(stringTest(operand, `${where}.equals-ignore-case`, (value, text) => value.toLowerCase() === text.toLowerCase()));
    case "anything-but":
      return leaf(anythingBut(operand, `${where}.anything-but`));
    case "numeric":
      return leaf(numericRange(operand, `${where}.numeric`));
    case "exists":
      if (typeof operand !== "boolean") throw new Error(`${where}.exists must be true or false, got ${JSON.stringify(operand)}`);
      return { onPresence: true, matches: (present) => present === operand };
    default:
      throw new Error(
        `${where} uses unknown operator \`${operator}\`; allowed: prefix, suffix, equals-ignore-case, anything-but, numeric, exists`,
      );
  }
}

function stringTest(operand: unknown, where: string, test: (value: string, text: string) => boolean): ValueTest {
  if (typeof operand !== "string") throw new Error(`${where} must be a string, got ${JSON.stringify(operand)}`);
  return (value) => typeof value === "string" && test(value, operand);
}

/** `anything-but`: a value, a list of values, or `{"prefix"|"suffix": text}`; matches present leaf values only. */
function anythingBut(operand: unknown, where: string): ValueTest {
  if (isLiteral(operand)) return (value) => !sameLiteral(value, operand);
  if (Array.isArray(operand) && operand.length > 0 && operand.every(isLiteral))
    return (value) => !operand.some((literal) => sameLiteral(value, literal));
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [operator, text] = Object.entries(operand)[0] as [string, unknown];
    if (operator === "prefix") return negate(stringTest(text, `${where}.prefix`, (value, t) => value.startsWith(t)));
    if (operator === "suffix") return negate(stringTest(text, `${where}.suffix`, (value, t) => value.endsWith(t)));
  }
  throw new Error(
    `${where} must be a value, a non-empty list of values, or {"prefix": text} / {"suffix": text}, got ${JSON.stringify(operand)}`,
  );
}

/** A string rule negated: still only strings qualify (a number is neither "prefixed" nor "anything but"). */
function negate(matches: ValueTest): ValueTest {
  return (value) => typeof value === "string" && !matches(value);
}

/** `numeric`: one or two comparisons, e.g. `[">", 10, "<=", 20]`; matches JSON numbers only. */
function numericRange(operand: unknown, where: string): ValueTest {
  const shape = `a list of 1 or 2 comparisons (${NUMERIC_OPERATORS.join(" ")}) each followed by a number, such as [">", 10, "<=", 20]`;
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new Error(`${where} must be ${shape}, got ${JSON.stringify(operand)}`);
  }
  const comparisons: Array<[NumericOperator, number]> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const operator: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (!NUMERIC_OPERATORS.includes(operator as NumericOperator) || !(bound instanceof JsonNumber)) {
      throw new Error(`${where} must be ${shape}, got ${JSON.stringify(operand)}`);
    }
    comparisons.push([operator as NumericOperator, bound.value]);
  }
  // Ranges compare values, whatever the text: 3.0e2 is within [">=", 300].
  return (value) => value instanceof JsonNumber && comparisons.every(([operator, bound]) => compare(value.value, operator, bound));
}

function compare(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case "<":
      return value < bound;
    case "<=":
      return value <= bound;
    case "=":
      return value === bound;
    case ">=":
      return value >= bound;
    case ">":
      return value > bound;
  }
}

function isLiteral(value: unknown): value is string | JsonNumber | boolean | null {
  return value === null || typeof value === "string" || value instanceof JsonNumber || typeof value === "boolean";
}

/** Equality of a data value and a pattern literal; numbers by their text, as Lambda matches them. */
function sameLiteral(value: unknown, literal: string | JsonNumber | boolean | null): boolean {
  return literal instanceof JsonNumber ? value instanceof JsonNumber && value.text === literal.text : value === literal;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof JsonNumber);
}
