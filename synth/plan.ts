/**
 * The offline plan of a stack: the real program (`index.ts`, config read through
 * `pulumi.runtime.allConfig()` exactly as under `pulumi up`) recorded under mocks (`./record`) with applies
 * running (not a preview), against the made-up AWS answers of `./mocks`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../policy/offline";
import { answerCall, computeResource } from "./mocks";
import { loadProgram, recordProgram, resolved } from "./record";

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

/** Runs the program once under mocks and returns what it would create. */
export async function planStack(options: PlanOptions): Promise<Plan> {
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
