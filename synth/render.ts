/**
 * The offline plan as text: every resource in a tree by parent, each with its type and its inputs as
 * `key.path: value` lines (JSON text such as policy documents is unfolded so statements can be read).
 */
import type { PlannedResource } from "./display";

/** What the tree draws of a resource (its lifecycle options are in the JSON only). */
type TreeResource = Pick<PlannedResource, "type" | "name" | "urn" | "parent" | "component" | "inputs">;

/** Longest value printed on one line; the JSON output has everything. */
const MAX_VALUE = 100;
/** A JSON text unfolds into at most this many lines, else it is printed shortened. */
const MAX_UNFOLDED = 40;

/** The resources as a tree: roots are the stack's own resources, children under their parent. */
export function renderTree(resources: readonly TreeResource[]): string[] {
  const children = new Map<string | null, TreeResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    // A parent that is not in the plan (the stack) makes the resource a root.
    const parent = r.parent !== null && urns.has(r.parent) ? r.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string): void => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${r.name}  (${r.type}${r.component ? ", component" : ""})`);
      const inner = indent + (last ? "   " : "│  ");
      const hasChildren = (children.get(r.urn) ?? []).length > 0;
      for (const line of inputLines(r.inputs)) lines.push(`${inner}${hasChildren ? "│ " : "  "} ${line}`);
      walk(r.urn, inner);
    });
  };
  walk(null, "");
  return lines;
}

/** `path: value` lines for a resource's inputs. */
export function inputLines(inputs: Readonly<Record<string, unknown>>): string[] {
  return flatten(inputs, "").map(([key, value]) => `${key}: ${shorten(value)}`);
}

function flatten(value: unknown, prefix: string): [string, string][] {
  const unfolded = typeof value === "string" ? parsedJson(value) : undefined;
  if (unfolded !== undefined) {
    const lines = flatten(unfolded, prefix);
    return lines.length <= MAX_UNFOLDED ? lines : [[prefix, JSON.stringify(value)]];
  }
  if (Array.isArray(value) && value.some((v) => typeof v === "object" && v !== null)) {
    return value.flatMap((v, i) => flatten(v, `${prefix}[${i}]`));
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return prefix === "" ? [] : [[prefix, "{}"]];
    return entries.flatMap(([k, v]) => flatten(v, prefix === "" ? k : `${prefix}.${k}`));
  }
  return [[prefix, JSON.stringify(value) ?? String(value)]];
}

/** A JSON object or array held in a string (policy documents, dashboard bodies), else undefined. */
function parsedJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function shorten(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}
