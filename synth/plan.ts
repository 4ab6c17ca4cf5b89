/**
 * Runs the real program (`index.ts`, config read through `pulumi.runtime.allConfig()` exactly as under
 * `pulumi up`) under `pulumi.runtime.setMocks` with applies running (not a preview), and records every
 * resource it registers: type, logical name, URN, parent, inputs and the outputs the mocks computed.
 * Once per process: `index.ts` is a module and runs when first imported.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../policy/offline";
import { answerCall, computeResource } from "./mocks";

/** A stack planned offline. */
export interface Plan {
  /** Every resource except the stack itself, in the order the program constructs them. */
  readonly resources: RecordedResource[];
  /** Component resources (no cloud resource of their own) by URN. */
  readonly components: ReadonlySet<string>;
  /** The program's stack outputs, a secret one shown as `SECRET_MARK`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the program logged with `pulumi.log.warn` (e.g. a secret left unset). */
  readonly warnings: readonly string[];
}

export interface PlanOptions {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  /** The flat Pulumi config (`{"kinesis-ingest:stream": "<json>", "aws:region": "eu-west-1"}`). */
  readonly config: Readonly<Record<string, string>>;
  /** The program's entry module. @default the project's `index.ts` */
  readonly program?: string;
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly custom: boolean;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** Runs the program once under mocks and returns what it would create. */
export async function planStack(options: PlanOptions): Promise<Plan> {
  const registrations = new Map<string, Registration>();
  const constructed: { key: string; resource: pulumi.Resource; parent?: pulumi.Resource }[] = [];
  pulumi.runtime.setAllConfig({ ...options.config });
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      const key = `${args.type}::${args.name}`;
      // The recorder matches registrations to resource objects by type and name: a repeat would be ambiguous.
      if (registrations.has(key)) throw new Error(`the offline plan cannot tell apart two ${args.type} resources named ${args.name}`);
      const { id, outputs } = computeResource(args.type, args.name, args.inputs, options.region);
      const state = { ...args.inputs, ...outputs };
      registrations.set(key, { type: args.type, name: args.name, inputs: args.inputs, outputs: state, custom: args.custom ?? true });
      return { id: args.custom === false ? undefined : id, state };
    },
    call: (args) => answerCall(args, options.region),
  }, options.project, options.stack, false);

  const warnings: string[] = [];
  const originalWarn = console.warn;
  // Under mocks `pulumi.log.warn` has no engine to talk to and writes to the console.
  console.warn = (...parts: unknown[]) => warnings.push(parts.map(String).join(" ").replace(/^warning: (\[runtime\] )?/, ""));
  // The exports themselves, not what `runInPulumiStack` resolves them to: that drops their secretness.
  let outputs: Record<string, unknown> = {};
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        constructed.push({ key: `${args.type}::${args.name}`, resource: args.resource, parent: args.opts.parent });
        return undefined;
      });
      outputs = stackExports(await import(options.program ?? path.resolve(__dirname, "..", "index")) as Record<string, unknown>);
      return outputs;
    });
    await pulumi.runtime.disconnect();
  } finally {
    console.warn = originalWarn;
  }

  const urns = new Map<pulumi.Resource, string>();
  for (const c of constructed) urns.set(c.resource, await resolved(c.resource.urn));
  const byKey = new Map(constructed.map((c) => [c.key, c]));
  const resources: RecordedResource[] = [];
  const components = new Set<string>();
  // Construction order is the program's own (synchronous) order; registration order varies with timing.
  const order = new Map(constructed.map((c, i) => [c.key, i]));
  const inProgramOrder = [...registrations].sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  for (const [key, r] of inProgramOrder) {
    if (r.type === STACK_TYPE) continue;
    const c = byKey.get(key);
    const urn = c ? urns.get(c.resource) ?? "" : "";
    const parent = c?.parent ? urns.get(c.parent) ?? (await resolved(c.parent.urn)) : undefined;
    resources.push({ type: r.type, name: r.name, urn, parent: parent?.includes(`::${STACK_TYPE}::`) ? undefined : parent, inputs: r.inputs, outputs: r.outputs });
    if (!r.custom) components.add(urn);
  }
  return { resources, components, outputs: await revealed(outputs), warnings };
}

/** The marker printed in place of a secret value. */
export const SECRET_MARK = "[secret]";

/** Stack outputs resolved, a secret output replaced by `SECRET_MARK`. */
async function revealed(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const output = pulumi.output(value);
    result[key] = (await pulumi.isSecret(output)) ? SECRET_MARK : await resolved(output);
  }
  return result;
}

/**
 * A module's named exports, as Pulumi turns a program's exports into stack outputs. A CommonJS module
 * imported with `import()` arrives as a namespace whose `default` is its `module.exports`.
 */
function stackExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const exported = typeof namespace.default === "object" && namespace.default !== null ? namespace.default : namespace;
  return Object.fromEntries(Object.entries(exported).filter(([key]) => key !== "default" && key !== "__esModule"));
}

/** An output's value (secrets unwrapped: the plan only prints, and marks them itself). */
function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}
