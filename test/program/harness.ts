/**
 * The program under test mocks: a thin wrapper over the offline plan's recorder (`synth/record.ts`) and its
 * stand-in for AWS (`synth/mocks.ts`), with readable generated ids the assertions spell out.
 * Runs the program any number of times in one process and returns every resource it registers with its
 * inputs, its parent and the outputs the mocks gave it.
 *
 * @example
 * const { resources, warnings } = await runStack(readStackFile("prod"), { stack: "prod" });
 * const mappings = resources.filter((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping");
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { kinesisIngest, stackOutputs } from "../../components/program";
import { PROJECT_ROOT } from "../../components/bundle";
import { PROJECT, readStackFile, SECRET_KEYS } from "../../config";
import { unwrapSecrets } from "../../policy/offline";
import { loadProgram, recordProgram, type MockCloud, type RegisteredResource } from "../../synth/record";
import { answerCall, computeResource, type GeneratedIds } from "../../synth/mocks";

export { isWrappedSecret as isSecretInput } from "../../policy/offline";

/** One resource as the mocks saw it: what `policy/offline.ts` consumes, and whether it is a component. */
export type RecordedResource = RegisteredResource;

export interface RunOptions {
  /** Stack name. @default "dev" */
  readonly stack?: string;
  /** Preview mode: unreturned outputs stay unknown and `apply` callbacks do not run. @default false */
  readonly preview?: boolean;
  /** The program's clock (`replayFrom` is checked against it). @default Date.now */
  readonly now?: () => number;
  /** The Region the stack deploys into: `aws:region`, and the Region of the mocks' ARNs. @default "eu-west-1" */
  readonly region?: string;
  /** Answers a data-source call before the suite's AWS does, e.g. fails it as the provider does there. @default none */
  readonly call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;
  /** Sees every resource as the program constructs it, with its options (`aliases`, `dependsOn`). @default none */
  readonly onResource?: (args: pulumi.ResourceTransformationArgs) => void;
}

export interface ProgramRun {
  /** Every resource except the stack itself, in the order the program constructed them. */
  readonly resources: RecordedResource[];
  /** The stack outputs, resolved (secrets as plain values). */
  readonly outputs: Record<string, unknown>;
  /** Messages the program logged with `pulumi.log.warn`. */
  readonly warnings: string[];
}

/** The entry file of a built-in handler, as the program bundles it. */
export function builtInHandlerEntry(handler: string): string {
  return path.join(PROJECT_ROOT, "handlers", `${handler}.ts`);
}

/** The Region the suite's stacks deploy into. */
const MOCK_REGION = "eu-west-1";

/** Generated values the assertions can spell out: ids `<logical name>-id`, suffixes `a1b2c3d...`. */
const READABLE_IDS: GeneratedIds = {
  resourceId: (name) => `${name}-id`,
  token: (_seed, length) => "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0".slice(0, length),
  uuid: (seed) => `${seed}-0000-4000-a000-000000000000`,
};

/** The suite's AWS in `region`: the offline plan's, with readable generated ids. */
function mockAws(region: string, call: RunOptions["call"]): MockCloud {
  return {
    newResource: (type, name, inputs) => computeResource(type, name, inputs, region, READABLE_IDS),
    call: (args) => call?.(args) ?? answerCall(args, region),
  };
}

/** Runs the program for `raw` config (keys without the `kinesis-ingest:` prefix) under fresh mocks. */
export async function runStack(raw: Readonly<Record<string, unknown>>, options: RunOptions = {}): Promise<ProgramRun> {
  const stack = options.stack ?? "dev";
  return record(raw, options, () => stackOutputs(kinesisIngest(raw, { stack, now: options.now })));
}

/**
 * Runs `index.ts` itself, as `pulumi up` would: `raw` is handed over as Pulumi config
 * (`kinesis-ingest:<key>` = JSON text) and the module is loaded afresh. Real handler entries only.
 */
export async function runIndex(raw: Readonly<Record<string, unknown>>, options: RunOptions = {}): Promise<ProgramRun> {
  return record(raw, options, () => loadProgram());
}

async function record(
  raw: Readonly<Record<string, unknown>>,
  options: RunOptions,
  program: () => Record<string, unknown>,
): Promise<ProgramRun> {
  const region = options.region ?? MOCK_REGION;
  const observe = options.onResource;
  const { resources, outputs, warnings } = await recordProgram({
    project: PROJECT,
    stack: options.stack ?? "dev",
    config: {
      "aws:region": region,
      ...Object.fromEntries(Object.entries(raw).map(([key, value]) => [`${PROJECT}:${key}`, JSON.stringify(value)])),
    },
    secretKeys: Object.values(SECRET_KEYS).map((key) => `${PROJECT}:${key}`),
    preview: options.preview,
    mocks: mockAws(region, options.call),
    program: () => {
      if (observe)
        pulumi.runtime.registerStackTransformation((args) => {
          observe(args);
          return undefined;
        });
      return program();
    },
  });
  return { resources, outputs: unwrapSecrets(outputs) as Record<string, unknown>, warnings };
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

/** Resources of one type. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of `type` named `name`; throws when there is not exactly one. */
export function named(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one ${type} named ${name}, found ${found.length}: ${ofType(resources, type)
        .map((r) => r.name)
        .join(", ")}`,
    );
  return found[0]!;
}
