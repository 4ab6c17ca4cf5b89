/**
 * Reading resource properties inside a policy. During `pulumi preview` a property computed from another
 * resource's output is unknown: @pulumi/policy's property proxy throws `UnknownValueError` when such a
 * value is read. A rule that cannot see its value skips that check instead of failing the whole policy;
 * `pulumi up` runs the policies again with every value known before the resource is created.
 */
import { UnknownValueError } from "@pulumi/policy";

/** Marks a value the engine cannot know yet (preview). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * Runs `get` and returns its value, or `UNKNOWN` when it touches an unknown property.
 * @example const mode = known(() => props.tracingConfig?.mode); if (mode !== UNKNOWN && mode !== "Active") ...
 */
export function known<T>(get: () => T): T | Unknown {
  try {
    return get();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** A property bag as policies receive it (inputs for resource policies, outputs for stack policies). */
export type Props = Readonly<Record<string, unknown>>;

/** Reads `props.a.b.c`, `undefined` when a step is missing, `UNKNOWN` when a step is unknown. */
export function prop(props: Props, ...path: string[]): unknown {
  return known(() => {
    let value: unknown = props;
    for (const key of path) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  });
}

/** Renders a received value for a violation message: JSON, shortened; `nothing` when unset. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
