/**
 * Reads the README's configuration tables (one row a key: key, type, default, allowed) and says where a row
 * disagrees with the key's declaration in config/schema/: its type, its default, its range, its values.
 */
import type { TSchema } from "@sinclair/typebox";

/** The cells of each row of the table under `### \`kinesis-ingest:<section>\``, by key. */
export function readmeRows(readme: string, section: string): Map<string, readonly string[]> {
  const table = readme.split(`### \`kinesis-ingest:${section}\``)[1]?.split("\n### ")[0] ?? "";
  const rows = new Map<string, string[]>();
  for (const line of table.split("\n").filter((l) => l.startsWith("| `"))) {
    const [key, ...cells] = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    rows.set(key!.replace(/`/g, ""), cells);
  }
  return rows;
}

/** What a README cell shows for a declared default: `[]`, `{}`, a string unquoted, a number. */
function shown(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

const TYPE_WORDS: Readonly<Record<string, string>> = { integer: "integer", boolean: "boolean", string: "string", number: "number" };

/** The README's word for the schema's type: `list of strings`, `map`, `integer` and so on. */
function typeWord(schema: TSchema): string {
  if (schema.type === "array") return "list";
  if (schema.type === "object") return schema.patternProperties === undefined ? "object" : "map";
  if (schema.anyOf !== undefined)
    return typeWord((schema.anyOf as TSchema[])[0]!) === "number" ? "integer" : typeWord((schema.anyOf as TSchema[])[0]!);
  return TYPE_WORDS[schema.type as string] ?? String(schema.type);
}

/** How the row `[type, default, allowed]` of a key disagrees with its declaration `schema`; empty when it agrees. */
export function disagreements(key: string, schema: TSchema, [type = "", byDefault = "", allowed = ""]: readonly string[]): string[] {
  const found: string[] = [];
  if (!type.startsWith(typeWord(schema))) found.push(`${key}: type ${JSON.stringify(type)}, declared ${typeWord(schema)}`);
  if (schema.default !== undefined && !byDefault.startsWith(`\`${shown(schema.default)}\``))
    found.push(`${key}: default ${JSON.stringify(byDefault)}, declared \`${shown(schema.default)}\``);
  // An integer with an off value: `{anyOf: [{const: -1}, {minimum, maximum}]}`.
  const off = (schema.anyOf as TSchema[] | undefined)?.[0]?.const as number | undefined;
  const range = off === undefined ? schema : (schema.anyOf as TSchema[])[1]!;
  if (typeof range.minimum === "number") {
    const stated = typeof range.maximum === "number" ? `${range.minimum}–${range.maximum}` : `≥ ${range.minimum}`;
    const bounds = typeof range.maximum === "number" ? [stated] : [stated, `${range.minimum} to`];
    if (!bounds.some((b) => allowed.includes(b))) found.push(`${key}: allowed ${JSON.stringify(allowed)} does not state ${stated}`);
  }
  if (off !== undefined && !allowed.startsWith(`${off}`))
    found.push(`${key}: allowed ${JSON.stringify(allowed)} does not start with its unlimited value`);
  if (typeof schema.maxItems === "number" && !allowed.includes(`≤ ${schema.maxItems}`))
    found.push(`${key}: allowed ${JSON.stringify(allowed)} does not state ≤ ${schema.maxItems}`);
  const values = (schema.enum as readonly (string | number)[] | undefined) ?? [];
  // A long numeric list (CloudWatch's retention days) is named by its ends.
  const named = values.length > 8 ? [values[0], values.at(-1)] : values.map((v) => `\`${v}\``);
  for (const value of named) if (!allowed.includes(String(value))) found.push(`${key}: allowed ${JSON.stringify(allowed)} lacks ${value}`);
  return found;
}
