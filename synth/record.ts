/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and records every resource it registers: type,
 * logical name, URN, parent, inputs, lifecycle options and the outputs the mocks computed. The offline plan
 * and the program tests both run the program through here, each with its own stand-in for AWS. Any number of
 * runs in one process, one at a time: each gets a fresh mock monitor and stack resource.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../policy/offline";

type Values = Record<string, unknown>;

/** What answers in place of AWS. */
export interface MockCloud {
  /** The id and computed outputs (ARNs, URLs) of a new resource; a component's id is ignored. */
  newResource(type: string, name: string, inputs: Values): { readonly id: string; readonly outputs: Values };
  /** Answers a data-source call; throws for one it does not know. */
  call(args: pulumi.runtime.MockCallArgs): Values;
}

/**
 * The lifecycle options of a resource, as the engine applies them: `protect` inherited from the parent when
 * unset (as the SDK does), the others as given (unset: false).
 */
export interface LifecycleOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
}

/** One resource as registered, with whether it is a cloud resource or a component. */
export interface RegisteredResource extends RecordedResource {
  /** False for component resources (including remote components such as awsx's). */
  readonly custom: boolean;
  /** Its resource options that decide what a delete or a replacement does. */
  readonly options: LifecycleOptions;
  /** The id the mocks gave it (none for a component): other resources' inputs may hold it (`restApi`, `apiId`). */
  readonly id?: string;
}

/** A resource as its constructor saw it (registration mocks do not see resource options). */
interface Constructed {
  readonly key: string;
  readonly resource: pulumi.Resource;
  readonly parent?: pulumi.Resource;
  readonly options: LifecycleOptions;
}

export interface RecordOptions {
  readonly project: string;
  readonly stack: string;
  /** The flat Pulumi config (`{"kinesis-ingest:stream": "<json>", "aws:region": "eu-west-1"}`). */
  readonly config: Readonly<Record<string, string>>;
  /** Config keys Pulumi treats as secret. @default [] */
  readonly secretKeys?: readonly string[];
  /** Preview mode: unreturned outputs stay unknown and `apply` callbacks do not run. @default false */
  readonly preview?: boolean;
  readonly mocks: MockCloud;
  /** Runs the program and returns its exports (see `loadProgram`). */
  readonly program: () => Values | Promise<Values>;
}

/** What one run registered and exported. */
export interface Recording {
  /** Every resource except the stack itself, in the order the program constructed them. */
  readonly resources: RegisteredResource[];
  /** The program's exports as it returned them: outputs that still know whether they are secret. */
  readonly exports: Values;
  /** The stack outputs as the engine resolves them (secrets as plain values; unknown in a preview stay unset). */
  readonly outputs: Values;
  /** What the program logged with `pulumi.log.warn` (e.g. a secret left unset). */
  readonly warnings: string[];
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Values;
  readonly outputs: Values;
  readonly custom: boolean;
  readonly id?: string;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The project's program, `index.ts`. */
const PROGRAM = path.resolve(__dirname, "..", "index.ts");

/**
 * Runs the program once under `options.mocks` and records what it registers.
 * @example
 * const { resources } = await recordProgram({ project, stack, config, mocks, program: () => loadProgram() });
 */
export async function recordProgram(options: RecordOptions): Promise<Recording> {
  const registrations = new Map<string, Registration>();
  const constructed: Constructed[] = [];
  const protectedResources = new Set<pulumi.Resource>();
  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const key = `${args.type}::${args.name}`;
        // Registrations are matched to resource objects by type and name: a repeat would be ambiguous.
        if (registrations.has(key)) throw new Error(`the recorder cannot tell apart two ${args.type} resources named ${args.name}`);
        const custom = args.custom ?? true;
        const { id, outputs } = options.mocks.newResource(args.type, args.name, args.inputs);
        const state = { ...args.inputs, ...outputs };
        registrations.set(key, {
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          outputs: state,
          custom,
          ...(custom ? { id } : {}),
        });
        return { id: custom ? id : undefined, state };
      },
      call: (args) => options.mocks.call(args),
    },
    options.project,
    options.stack,
    options.preview ?? false,
  );

  const warnings: string[] = [];
  const originalWarn = console.warn;
  // Under mocks `pulumi.log.warn` has no engine to talk to and writes to the console.
  console.warn = (...parts: unknown[]) =>
    warnings.push(
      parts
        .map(String)
        .join(" ")
        .replace(/^warning: (\[runtime\] )?/, ""),
    );
  let exports: Values = {};
  // Pulumi records a stack trace on each of the thousands of promises a run makes (its leak detector), and with
  // source maps on each costs a lookup: 5/6 of a run's time. The plan reads no stack, so none is captured meanwhile.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const outputs =
      (await pulumi.runtime.runInPulumiStack(async () => {
        // A stack transformation sees every resource's options, under mocks too (the newer `transforms` hang there).
        pulumi.runtime.registerStackTransformation((args) => {
          const { parent, protect, retainOnDelete, deleteBeforeReplace } = args.opts as pulumi.CustomResourceOptions;
          const options = {
            protect: protect ?? (parent !== undefined && protectedResources.has(parent)),
            retainOnDelete: retainOnDelete ?? false,
            deleteBeforeReplace: deleteBeforeReplace ?? false,
          };
          if (options.protect) protectedResources.add(args.resource);
          constructed.push({ key: `${args.type}::${args.name}`, resource: args.resource, parent, options });
          return undefined;
        });
        exports = await options.program();
        return exports;
      })) ?? {};
    // Waits until the mock monitor has answered every registration.
    await pulumi.runtime.disconnect();
    return { resources: await inProgramOrder(registrations, constructed), exports, outputs, warnings };
  } finally {
    console.warn = originalWarn;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The registrations with URNs and parents, in construction order: the program's own (registration order varies with timing). */
async function inProgramOrder(
  registrations: ReadonlyMap<string, Registration>,
  constructed: readonly Constructed[],
): Promise<RegisteredResource[]> {
  const urns = new Map<pulumi.Resource, string>();
  for (const c of constructed) urns.set(c.resource, await resolved(c.resource.urn));
  const byKey = new Map(constructed.map((c) => [c.key, c]));
  const order = new Map(constructed.map((c, i) => [c.key, i]));
  const sorted = [...registrations].sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  const resources: RegisteredResource[] = [];
  for (const [key, r] of sorted) {
    if (r.type === STACK_TYPE) continue;
    const c = byKey.get(key);
    const parent = c?.parent ? (urns.get(c.parent) ?? (await resolved(c.parent.urn))) : undefined;
    resources.push({
      ...r,
      urn: c ? (urns.get(c.resource) ?? "") : "",
      parent: parent?.includes(`::${STACK_TYPE}::`) ? undefined : parent,
      options: c?.options ?? { protect: false, retainOnDelete: false, deleteBeforeReplace: false },
    });
  }
  return resources;
}

/**
 * Loads a program module afresh (a module runs only when first loaded) and returns its named exports, as
 * Pulumi turns them into stack outputs.
 */
export function loadProgram(entry: string = PROGRAM): Values {
  delete require.cache[require.resolve(entry)];

  const exported = require(entry) as unknown;
  if (typeof exported !== "object" || exported === null) return {};
  return Object.fromEntries(Object.entries(exported).filter(([key]) => key !== "default" && key !== "__esModule"));
}

/** An output's value (secrets unwrapped). Never settles for a value unknown in a preview. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    output.apply((value) => {
      resolve(value);
      return value;
    }),
  );
}
