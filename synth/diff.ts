/**
 * What a change to a stack file does to each resource, from two offline plans of the same stack: resources
 * matched by URN (type and name), each created, updated, replaced (a replacement-forcing input changed,
 * `./replacement-inputs`) or deleted.
 *
 * Inputs are compared only where the plans know them. An input built from an output of a resource this change
 * creates or replaces (its id, ARN, URL) is unknown until that resource exists, as `pulumi preview` shows it,
 * and the value the mocks make up for it says nothing about the real one: it is not a change. When such an
 * input forces a replacement, the provider plans one (a new value would force it), and the change says so.
 */
import { isDeepStrictEqual } from "node:util";
import type { LifecycleOptions } from "./record";
import { replacementRow } from "./replacement-inputs";

/** One resource of a plan, as the comparison needs it. */
export interface PlannedState {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs as plain data (secrets as digests, resource references as URNs, archives as paths). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The values the mocks produced for it (id, ARNs, URLs, generated names): what others' inputs may be built from. */
  readonly produced: readonly string[];
  readonly options: LifecycleOptions;
}

export type Action = "create" | "update" | "replace" | "delete";

/** A replacement-forcing input built from an output of a resource this change creates or replaces. */
export interface UnknownInput {
  readonly input: string;
  /** The URN of the resource it comes from. */
  readonly from: string;
}

/** What the change does to one resource. */
export interface ResourceChange {
  readonly action: Action;
  /** The resource in the old plan (not for a create). */
  readonly before?: PlannedState;
  /** The resource in the new plan (not for a delete). */
  readonly after?: PlannedState;
  /** Known inputs whose value differs, in alphabetical order. */
  readonly changed: readonly string[];
  /** Of `changed`, those that force a replacement. */
  readonly forcing: readonly string[];
  readonly unknown: readonly UnknownInput[];
}

/**
 * Whether a produced value can identify its producer inside another input: ids, ARNs (the account), URLs (the
 * Region) and generated names are long and hold a digit; short words (`$LATEST`, `Enabled`) and paths
 * (`/records`) occur as literals too.
 */
function identifying(value: string): boolean {
  return value.length >= 8 && /\d/.test(value);
}

/**
 * The changes from `before` to `after`, in the new plan's order, deletes last in the old plan's order;
 * unchanged resources are left out.
 */
export function diffPlans(before: readonly PlannedState[], after: readonly PlannedState[]): ResourceChange[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const kept = new Set(after.map((r) => r.urn));
  const created = after.filter((r) => !old.has(r.urn)).map((r) => r.urn);
  const producers = uniqueProducers(after);
  // A replaced resource's outputs are unknown too, which may force its dependents' replacement in turn: repeat
  // until no new replacement appears (each round can only add to the fresh set).
  let fresh = new Set(created);
  let compared: Map<string, ResourceChange | undefined>;
  for (;;) {
    const source = freshSource(producers, fresh);
    compared = new Map(after.filter((r) => old.has(r.urn)).map((r) => [r.urn, compare(old.get(r.urn)!, r, source)]));
    const replaced = [...compared.values()].filter((c) => c?.action === "replace").map((c) => c!.after!.urn);
    if (created.length + replaced.length === fresh.size) break;
    fresh = new Set([...created, ...replaced]);
  }
  const changes: ResourceChange[] = [];
  for (const r of after) {
    const change = old.has(r.urn) ? compared.get(r.urn) : { action: "create" as const, after: r, changed: [], forcing: [], unknown: [] };
    if (change) changes.push(change);
  }
  for (const r of before) {
    if (!kept.has(r.urn)) changes.push({ action: "delete", before: r, changed: [], forcing: [], unknown: [] });
  }
  return changes;
}

/** One matched resource: its known changed inputs, which force a replacement, which are unknown. */
function compare(before: PlannedState, after: PlannedState, freshFrom: (value: unknown) => string | undefined): ResourceChange | undefined {
  const forces = new Set(replacementRow(after.type)?.inputs ?? []);
  const changed: string[] = [];
  const unknown: UnknownInput[] = [];
  // Alphabetical, as the provider's schema lists them: the order the program set them in says nothing.
  for (const input of [...new Set([...Object.keys(after.inputs), ...Object.keys(before.inputs)])].sort()) {
    if (differs(before.inputs[input], after.inputs[input], freshFrom)) {
      changed.push(input);
    } else if (forces.has(input)) {
      const from = freshFrom(after.inputs[input]);
      if (from !== undefined) unknown.push({ input, from });
    }
  }
  const forcing = changed.filter((input) => forces.has(input));
  if (forcing.length > 0 || unknown.length > 0) return { action: "replace", before, after, changed, forcing, unknown };
  return changed.length > 0 ? { action: "update", before, after, changed, forcing, unknown } : undefined;
}

/**
 * Whether a known part of an input differs: objects and arrays are compared part by part, so that one unknown
 * part (an environment variable holding a new queue's URL) does not hide a known change beside it.
 */
function differs(before: unknown, after: unknown, freshFrom: (value: unknown) => string | undefined): boolean {
  if (after !== undefined && freshFrom(after) !== undefined && (typeof after !== "object" || after === null)) return false;
  if (Array.isArray(before) && Array.isArray(after)) {
    return before.length !== after.length || after.some((v, i) => differs(before[i], v, freshFrom));
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].some((key) => differs(before[key], after[key], freshFrom));
  }
  return !isDeepStrictEqual(defined(before), defined(after));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Which resource produced each value: values produced by more than one resource are dropped (they identify
 * none), and so are values a resource was given as an input (a fixed name is its id: known before it exists).
 */
function uniqueProducers(resources: readonly PlannedState[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const r of resources) {
    const given = new Set(leaves(r.inputs));
    for (const value of r.produced) {
      if (!identifying(value) || given.has(value)) continue;
      owners.set(value, (owners.get(value) ?? new Set()).add(r.urn));
    }
  }
  const unique = new Map<string, string>();
  for (const [value, urns] of owners) if (urns.size === 1) unique.set(value, [...urns][0]!);
  return unique;
}

/** A function telling, for an input value, the fresh resource it is built from (undefined when none). */
function freshSource(producers: ReadonlyMap<string, string>, fresh: ReadonlySet<string>): (value: unknown) => string | undefined {
  const freshValues = [...producers].filter(([, urn]) => fresh.has(urn));
  return (value) => {
    for (const leaf of leaves(value)) {
      if (fresh.has(leaf)) return leaf; // a resource reference, as its URN
      const hit = freshValues.find(([produced]) => leaf.includes(produced));
      if (hit) return hit[1];
    }
    return undefined;
  };
}

/** Every string in `value`, at any depth. */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leaves);
  return [];
}

/** `value` without object keys set to undefined (an unset input and an absent one are the same input). */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(defined);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, defined(v)]),
    );
  }
  return value;
}
