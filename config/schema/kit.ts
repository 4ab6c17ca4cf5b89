/**
 * The building blocks of the stack file's schema (config/schema/) and the readers that take its facts back out.
 * A TypeBox schema is JSON Schema as it is: each setting carries its type, its allowed values or range, its
 * default and its description once, and the validator (config/validate.ts and the `*-settings.ts` files),
 * the JSON Schema an editor checks a stack file with, the README's tables test and the TypeScript types all
 * read them from there. The validator's own readers (config/rules.ts) still write every message.
 */
import {
  Type,
  type Static,
  type TArray,
  type TBoolean,
  type TInteger,
  type TLiteral,
  type TNumber,
  type TObject,
  type TOptional,
  type TProperties,
  type TRecord,
  type TSchema,
  type TString,
  type TUnion,
  type TUnsafe,
} from "@sinclair/typebox";

/** What every setting says of itself: shown on hover by an editor, checked against the README. */
interface Described {
  readonly description: string;
}

/** An integer range as JSON Schema states it; without `maximum` the setting is "at least `minimum`". */
export interface IntegerRange {
  readonly minimum: number;
  readonly maximum?: number;
}

/** An integer range with one value outside it that switches the limit off (`-1`: until the record expires). */
interface UnlimitedRange {
  readonly anyOf: readonly [{ readonly const: number }, IntegerRange];
}

type Setting<T extends TSchema, O> = TOptional<T & O>;

/** `schema` as an optional property (TypeBox's own return type loses the intersection with the options). */
function optional<T extends TSchema>(schema: T): TOptional<T> {
  return Type.Optional(schema) as TOptional<T>;
}

/** An optional integer setting in `[minimum, maximum]`. */
export function int<const O extends IntegerRange & Described & { default?: number }>(options: O): Setting<TInteger, O> {
  return optional(Type.Integer(options) as TInteger & O);
}

/** An optional integer setting in `range`, or `range.unlimited`. */
export function intOrUnlimited<const O extends Described & { default?: number }>(
  range: { readonly min: number; readonly max: number; readonly unlimited: number },
  options: O,
): Setting<TUnion<[TLiteral<number>, TInteger]>, O & UnlimitedRange> {
  const schema = Type.Union([Type.Literal(range.unlimited), Type.Integer({ minimum: range.min, maximum: range.max })], options);
  return optional(schema as TUnion<[TLiteral<number>, TInteger]> & O & UnlimitedRange);
}

/** An optional number setting (a fraction, say) with the bounds JSON Schema states. */
export function num<const O extends Described & { exclusiveMinimum: number; maximum: number; default?: number }>(
  options: O,
): Setting<TNumber, O> {
  return optional(Type.Number(options) as TNumber & O);
}

/** An optional setting taking one of `values` (strings, or numbers such as CloudWatch's retention days). */
export function choice<const V extends readonly (string | number)[], const O extends Described & { default?: V[number] }>(
  values: V,
  options: O,
): Setting<TUnsafe<V[number]>, O & { readonly enum: V }> {
  const type = typeof values[0] === "number" ? "integer" : "string";
  return optional(Type.Unsafe<V[number]>({ ...options, type, enum: values }) as TUnsafe<V[number]> & O & { readonly enum: V });
}

export function flag<const O extends Described & { default?: boolean }>(options: O): Setting<TBoolean, O> {
  return optional(Type.Boolean(options) as TBoolean & O);
}

export function text<const O extends Described>(options: O): Setting<TString, O> {
  return optional(Type.String(options) as TString & O);
}

/** An optional list of `items`, at most `maxItems` of them. */
export function list<T extends TSchema, const O extends Described & { maxItems?: number; default?: readonly [] }>(
  items: T,
  options: O,
): Setting<TArray<T>, O> {
  return optional(Type.Array(items, options) as TArray<T> & O);
}

/** An optional map of names (any string) to `values`. */
export function map<T extends TSchema, const O extends Described & { default?: Readonly<Record<string, never>> }>(
  values: T,
  options: O,
): Setting<TRecord<TString, T>, O> {
  return optional(Type.Record(Type.String(), values, options) as TRecord<TString, T> & O);
}

/** A section of the stack file: an object whose keys are `properties` and nothing else. */
export function section<P extends TProperties>(properties: P, options: Described): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A value stored encrypted by `pulumi config set --secret`: Pulumi writes `{secure: <ciphertext>}`. */
export const SECURE = Type.Object(
  { secure: Type.String({ description: "ciphertext written by `pulumi config set --secret`" }) },
  { additionalProperties: false },
);

/** The key names of `schema`, in their declared order (the order the "known settings" list shows them in). */
export function keysOf<P extends TProperties>(schema: TObject<P> | P): (keyof P & string)[] {
  return Object.keys("properties" in schema && schema.type === "object" ? schema.properties : schema);
}

type DefaultKeys<P extends TProperties> = { [K in keyof P]: P[K] extends { default: unknown } ? K : never }[keyof P];

/** The keys a section's JSON Schema requires (declared without `optional`, such as `autoscaling.maxShards`). */
type RequiredKeys<P extends TProperties> = { [K in keyof P]: P[K] extends TOptional<TSchema> ? never : K }[keyof P];

/** Readonly all the way down: nothing downstream changes the validated configuration. */
type Frozen<T> = T extends readonly (infer E)[] ? readonly Frozen<E>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** One setting once validated: a nested section is itself {@link Validated}, any other value as the schema states it. */
type ValidatedValue<T extends TSchema> = T extends TObject<infer Q> ? Validated<Q> : Frozen<Static<T>>;

type Flat<T> = { [K in keyof T]: T[K] };

/**
 * The TypeScript type of a section after validation: a setting with a default (filled in by the validator) or
 * one the schema requires is always there, any other may be absent. config/types.ts derives the validated
 * types from the schema with it, so a setting's type is declared once.
 */
export type Validated<P extends TProperties> = Flat<
  { readonly [K in DefaultKeys<P> | RequiredKeys<P>]: ValidatedValue<P[K]> } & {
    readonly [K in Exclude<keyof P, DefaultKeys<P> | RequiredKeys<P>>]?: ValidatedValue<P[K]>;
  }
>;

/** The declared defaults of `properties`, as one object (the validator merges them with `??`). */
export type DefaultsOf<P extends TProperties> = { readonly [K in DefaultKeys<P>]: Static<P[K]> };

export function defaultsOf<P extends TProperties>(schema: TObject<P> | P): DefaultsOf<P> {
  const properties: TProperties = "properties" in schema && schema.type === "object" ? schema.properties : schema;
  const entries = Object.entries(properties).filter(([, s]) => s.default !== undefined);
  return Object.fromEntries(entries.map(([key, s]) => [key, s.default as unknown])) as DefaultsOf<P>;
}

/**
 * The arguments `integer` (config/rules.ts) takes after the value: the range of an {@link int} or
 * {@link intOrUnlimited} setting, no maximum meaning "at least", and the value that switches the limit off.
 * @example integer(p, "stream.shards", value, ...bounds(STREAM.properties.shards))
 */
export function bounds(schema: IntegerRange | UnlimitedRange): [min: number, max: number, extra: number[]] {
  if ("anyOf" in schema) {
    const [off, range] = schema.anyOf;
    return [range.minimum, range.maximum ?? Number.MAX_SAFE_INTEGER, [off.const]];
  }
  return [schema.minimum, schema.maximum ?? Number.MAX_SAFE_INTEGER, []];
}

/** JSON Schema's bounds of a semantics/ range. */
export function range(r: { readonly min: number; readonly max: number }): { minimum: number; maximum: number } {
  return { minimum: r.min, maximum: r.max };
}
