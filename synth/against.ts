/**
 * `npm run synth -- --stack NAME --against OLD_FILE [--json]`: plans the stack file and an earlier one of the
 * same stack, and prints what the change does to each resource (`./diff`), which change loses data and which
 * re-reads records (`./verdict`). Exit `EXIT.dataLoss` when a change loses data, else 0.
 */
import { createHash } from "node:crypto";
import type { RawObject } from "../config/rules";
import { EXIT } from "../cli-kit/exit-codes";
import { unwrapSecrets } from "../policy/offline";
import { diffPlans, type PlannedState } from "./diff";
import { displayable } from "./display";
import { planStackFile, type Plan } from "./plan";
import type { RegisteredResource } from "./record";
import { replacementRow } from "./replacement-inputs";
import { verdicts, type ReportedChange } from "./verdict";

/** A validated stack file: how it is named in the output, where it is, its `kinesis-ingest:*` values. */
export interface StackFile {
  readonly label: string;
  readonly path: string;
  readonly raw: RawObject;
}

/** What the change from `before` to `current` does, and what the report says beside it. */
export interface ChangeReport {
  readonly changes: readonly ReportedChange[];
  /** Notes for stderr with `--json`: values planned as unset, the program's warnings. */
  readonly notes: readonly string[];
  readonly header: string;
}

/** Plans both files and compares them (`stack` is the stack both belong to). */
export async function changeBetween(stack: string, current: StackFile, before: StackFile): Promise<ChangeReport> {
  const [now, then] = [await planStackFile(stack, current.path, current.raw), await planStackFile(stack, before.path, before.raw)];
  const after = await states(now.plan);
  const changes = verdicts(diffPlans(await states(then.plan), after), after);
  const notes = [
    ...[current, before].flatMap((file, i) => {
      const keys = (i === 0 ? now : then).secureKeys;
      return keys.length > 0
        ? [`Encrypted in ${file.label}, which only the Pulumi CLI can decrypt: planned as unset: ${keys.join(", ")}`]
        : [];
    }),
    ...now.plan.warnings.map((warning) => `warning: ${warning}`),
  ];
  const region = now.region === then.region ? now.region : `${then.region} → ${now.region}`;
  return {
    changes,
    notes,
    header: `Change to stack ${stack}: ${current.label} against ${before.label} (region ${region}), planned offline`,
  };
}

/** Runs `--against`: prints the report (`--json`: `{"changes": [...]}`) and returns the exit code. */
export async function reportChange(
  args: { readonly stack: string; readonly json: boolean },
  current: StackFile,
  before: StackFile,
): Promise<number> {
  const report = await changeBetween(args.stack, current, before);
  if (args.json) {
    console.log(JSON.stringify({ changes: report.changes }, null, 2));
    for (const line of report.notes) console.error(line);
  } else {
    console.log(renderChanges(report));
  }
  return report.changes.some((c) => c.dataLoss) ? EXIT.dataLoss : EXIT.ok;
}

const SYMBOL = { create: "+ ", update: "~ ", replace: "+-", delete: "- " } as const;

/** The text form: header and counts, one entry per change with why, the verdict, the notes. */
function renderChanges(report: ChangeReport): string {
  const { changes } = report;
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  const lines = [
    `${report.header}: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete.`,
    "Inputs built from outputs of what this change creates or replaces are unknown until then and are not compared.",
    "",
  ];
  for (const c of changes) {
    const marks = [c.dataLoss ? "LOSES DATA" : "", c.rereads ? "RE-READS" : ""].filter(Boolean).join(", ");
    const inputs = c.inputs.length > 0 ? ` [${c.inputs.join(", ")}]` : "";
    lines.push(`${SYMBOL[c.action]} ${c.action.padEnd(7)} ${c.name}  (${c.type})${inputs}${marks ? `  ${marks}` : ""}`, `      ${c.why}`);
  }
  const losses = changes.filter((c) => c.dataLoss).length;
  const rereads = changes.filter((c) => c.rereads).length;
  const verdict =
    changes.length === 0
      ? "No change."
      : `${losses === 0 ? "No change loses data" : `${losses} change${losses === 1 ? " loses" : "s lose"} data (exit ${EXIT.dataLoss})`}; ` +
        `${rereads === 0 ? "none re-reads" : `${rereads} re-read${rereads === 1 ? "s" : ""}`} records.`;
  return [...lines, ...(changes.length > 0 ? [""] : []), verdict, ...report.notes].join("\n");
}

/** The plan's resources as compared: cloud resources and the components a provider plans (awsx). */
async function states(plan: Plan): Promise<PlannedState[]> {
  const compared = plan.resources.filter((r) => r.custom || replacementRow(r.type)?.component);
  return Promise.all(
    compared.map(async (r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      inputs: (await displayable(r.inputs, digest)) as Record<string, unknown>,
      produced: produced(r),
      options: r.options,
    })),
  );
}

/** A secret compared by a digest of its value, which the report never prints. */
function digest(secret: unknown): { readonly secret: string } {
  return { secret: createHash("sha256").update(JSON.stringify(secret)).digest("hex") };
}

/** The strings the mocks produced for `r` (its id and the outputs it was not given as inputs). */
function produced(r: RegisteredResource): string[] {
  const outputs = Object.entries(r.outputs).filter(([key]) => !Object.hasOwn(r.inputs, key));
  const strings = (value: unknown): string[] =>
    typeof value === "string" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(strings) : [];
  return [...(r.id ? [r.id] : []), ...outputs.flatMap(([, value]) => strings(unwrapSecrets(value)))];
}
