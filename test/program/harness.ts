/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks`, once per call, any number of times in one
 * process (each run gets a fresh mock monitor and stack resource), and records every resource the
 * program registers with its inputs, its parent and the outputs the mocks gave it.
 *
 * @example
 * const { resources, warnings } = await runStack(readStackFile("prod"), { stack: "prod" });
 * const mappings = resources.filter((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping");
 */
import { existsSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { kinesisIngest, stackOutputs } from "../../components/program";
import { PROJECT_ROOT } from "../../components/bundle";
import { readStackFile, SECRET_KEYS } from "../../config";
import { computedOutputs, MOCK_REGION, mockCall } from "./mock-aws";

/** One resource as the mocks saw it (the shape `policy/offline.ts` consumes). */
export interface RecordedResource {
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly urn: string;
  /** The parent's URN; undefined for children of the stack. */
  readonly parent?: string;
  /** Inputs as registered: secrets arrive wrapped as `{<sig>: <secret sig>, value}`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Inputs merged with the outputs the mocks computed (ARNs, URLs, ids). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** False for component resources. */
  readonly custom: boolean;
}

export interface RunOptions {
  /** Stack name. @default "dev" */
  readonly stack?: string;
  /** Preview mode: unreturned outputs stay unknown and `apply` callbacks do not run. @default false */
  readonly preview?: boolean;
  /** Where handler entries come from. @default `handlers/<name>.ts`, or this suite's fixture while that file does not exist */
  readonly handlerEntry?: (handler: string) => string;
}

export interface ProgramRun {
  /** Every resource except the stack itself, in registration order. */
  readonly resources: RecordedResource[];
  /** The stack outputs, resolved (secrets as plain values). */
  readonly outputs: Record<string, unknown>;
  /** Messages the program logged with `pulumi.log.warn`. */
  readonly warnings: string[];
}

const FIXTURES = path.join(__dirname, "fixtures", "handlers");

/** The real handler when it exists, else this suite's stand-in (handlers are written in parallel). */
export function defaultHandlerEntry(handler: string): string {
  const real = path.join(PROJECT_ROOT, "handlers", `${handler}.ts`);
  return existsSync(real) ? real : path.join(FIXTURES, `${handler}.ts`);
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly custom: boolean;
}

/** Runs the program for `raw` config (keys without the `kinesis-ingest:` prefix) under fresh mocks. */
export async function runStack(raw: Readonly<Record<string, unknown>>, options: RunOptions = {}): Promise<ProgramRun> {
  const stack = options.stack ?? "dev";
  return record(raw, options, () => stackOutputs(kinesisIngest(raw, { stack, handlerEntry: options.handlerEntry ?? defaultHandlerEntry })));
}

const INDEX = path.join(PROJECT_ROOT, "index.ts");

/**
 * Runs `index.ts` itself, as `pulumi up` would: `raw` is handed over as Pulumi config
 * (`kinesis-ingest:<key>` = JSON text) and the module is loaded afresh. Real handler entries only.
 */
export async function runIndex(raw: Readonly<Record<string, unknown>>, options: Omit<RunOptions, "handlerEntry"> = {}): Promise<ProgramRun> {
  return record(raw, options, () => {
    delete require.cache[require.resolve(INDEX)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ...(require(INDEX) as Record<string, unknown>) };
  });
}

async function record(raw: Readonly<Record<string, unknown>>, options: RunOptions, program: () => Record<string, unknown>): Promise<ProgramRun> {
  const stack = options.stack ?? "dev";
  const registrations: Registration[] = [];
  const constructed: { type: string; name: string; resource: pulumi.Resource; parent?: pulumi.Resource }[] = [];
  pulumi.runtime.setAllConfig({
    "aws:region": MOCK_REGION,
    ...Object.fromEntries(Object.entries(raw).map(([key, value]) => [`kinesis-ingest:${key}`, JSON.stringify(value)])),
  }, Object.values(SECRET_KEYS).map((key) => `kinesis-ingest:${key}`));
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      const outputs = { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) };
      registrations.push({ type: args.type, name: args.name, inputs: args.inputs, outputs, custom: args.custom ?? true });
      return { id: args.type.startsWith("awsx:") || args.custom === false ? "" : `${args.name}-id`, state: outputs };
    },
    call: (args) => mockCall(args.token, args.inputs),
  }, "kinesis-ingest", stack, options.preview ?? false);

  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...parts: unknown[]) => {
    warnings.push(parts.map(String).join(" ").replace(/^warning: (\[runtime\] )?/, ""));
  };
  let outputs: Record<string, unknown>;
  try {
    outputs = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        constructed.push({ type: args.type, name: args.name, resource: args.resource, parent: args.opts.parent });
        return undefined;
      });
      return program();
    }) ?? {};
    await waitForRegistrations();
  } finally {
    console.warn = originalWarn;
  }

  const urns = new Map<pulumi.Resource, string>();
  for (const c of constructed) urns.set(c.resource, await unwrap(c.resource.urn));
  const byKey = new Map(constructed.map((c) => [`${c.type}::${c.name}`, c]));
  const resources = registrations
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r): RecordedResource => {
      const c = byKey.get(`${r.type}::${r.name}`);
      const parentUrn = c?.parent ? urns.get(c.parent) : undefined;
      return {
        ...r,
        urn: c ? urns.get(c.resource) ?? "" : "",
        parent: parentUrn && !parentUrn.includes("::pulumi:pulumi:Stack::") ? parentUrn : undefined,
      };
    });
  return { resources, outputs: revealSecrets(outputs) as Record<string, unknown>, warnings };
}

const committed = new Map<string, Promise<ProgramRun>>();

/**
 * The run of a committed stack file (`Pulumi.<stack>.yaml`) as it is, once per process: tests share it and
 * must not modify it.
 */
export function runCommittedStack(stack: "dev" | "prod"): Promise<ProgramRun> {
  let run = committed.get(stack);
  if (!run) {
    run = runStack(readStackFile(stack), { stack });
    committed.set(stack, run);
  }
  return run;
}

/** Like `runStack`, returning only the recorded resources. */
export async function runProgram(raw: Readonly<Record<string, unknown>>, options: RunOptions = {}): Promise<RecordedResource[]> {
  return (await runStack(raw, options)).resources;
}

/** Waits until the mock monitor has answered every registration (internal to @pulumi/pulumi, hence `require`). */
async function waitForRegistrations(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
  if (typeof settings.waitForRPCs !== "function") throw new Error("@pulumi/pulumi no longer exports runtime/settings.waitForRPCs");
  await settings.waitForRPCs();
}

/** An output's value as a promise (secrets resolve to their plain value). */
export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for a value the mock monitor passed as a secret. */
export function isSecretInput(value: unknown): value is { readonly value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces every wrapped secret by its plain value. */
export function revealSecrets(value: unknown): unknown {
  if (isSecretInput(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

/** Resources of one type. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of `type` named `name`; throws when there is not exactly one. */
export function named(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${ofType(resources, type).map((r) => r.name).join(", ")}`);
  return found[0];
}
