/**
 * The offline plan of a stack: the real program (`index.ts`, config read through
 * `pulumi.runtime.allConfig()` exactly as under `pulumi up`) recorded under mocks (`./record`) with applies
 * running (not a preview), against the made-up AWS answers of `./mocks`.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/project";
import { answerCall, computeResource } from "./mocks";
import { loadProgram, recordProgram, resolved, type RegisteredResource } from "./record";
import { withoutSecureValues } from "./secure";
import { DEFAULT_REGION, pulumiConfig, readProviderConfig } from "./stack-config";

/** A stack planned offline. */
export interface Plan {
  /** Every resource except the stack itself, in the order the program constructs them, with its lifecycle options. */
  readonly resources: RegisteredResource[];
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

/** Runs the program once under mocks and returns what it would create. */
async function planStack(options: PlanOptions): Promise<Plan> {
  const { region } = options;
  const recording = await recordProgram({
    project: options.project,
    stack: options.stack,
    config: options.config,
    mocks: {
      newResource: (type, name, inputs) => computeResource(type, name, inputs, region),
      call: (args) => answerCall(args, region),
    },
    program: () => loadProgram(options.program),
  });
  const components = new Set(recording.resources.filter((r) => !r.custom).map((r) => r.urn));
  // The exports themselves, not what the engine resolved them to: that drops their secretness.
  return { resources: recording.resources, components, outputs: await revealed(recording.exports), warnings: recording.warnings };
}

/** A stack file planned offline, with what the plan of it had to leave out. */
export interface PlannedFile {
  readonly plan: Plan;
  readonly region: string;
  /** Key paths of the encrypted values planned as unset. */
  readonly secureKeys: readonly string[];
}

/** Plans the stack file at `file` of stack `stack`, whose `kinesis-ingest:*` values (already validated) are `raw`. */
export async function planStackFile(stack: string, file: string, raw: Readonly<Record<string, unknown>>): Promise<PlannedFile> {
  const { raw: plain, removed } = withoutSecureValues(raw);
  const provider = readProviderConfig(file);
  const region = provider["aws:region"] ?? DEFAULT_REGION;
  const plan = await planStack({ project: PROJECT, stack, region, config: pulumiConfig(plain, provider) });
  return { plan, region, secureKeys: removed };
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
