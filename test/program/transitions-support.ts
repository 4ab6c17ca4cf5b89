/**
 * Transitions of a stack file through the change report of `npm run synth -- --against`: a base stack file,
 * a change to it, both written as stack files, read and validated as the command reads them, and the changes
 * it reports. Each transition test names the resource whose fate it asserts and the verdict on it.
 *
 * @example
 * const changes = await transition(BASE, withConsumer(BASE, "forwarder", { batchSize: 200 }));
 * expect(verdictOf(changes, "consumer-forwarder-mapping")).to.deep.equal(["update", ["batchSize"], false, false]);
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { readStackFileAt } from "../../config/load";
import { validateStackConfig } from "../../config/validate";
import { changeBetween, type StackFile } from "../../synth/against";
import type { ReportedChange } from "../../synth/verdict";

export type Raw = Readonly<Record<string, unknown>>;

/**
 * The stack every transition starts from: a forwarder reading from TRIM_HORIZON with a table of its own, an
 * archiver (the stack's bucket), SQS and SNS fan-out consumers, and two enhanced fan-out consumers registered.
 */
export const BASE: Raw = {
  stream: { mode: "provisioned", shards: 1, retentionHours: 24, fanOutConsumers: ["efo", "efo-b"] },
  api: { front: "http-api", auth: "token" },
  consumers: {
    forwarder: {
      handler: "forwarder",
      targetUrl: "https://events.example.com/in",
      startingPosition: "TRIM_HORIZON",
      tables: { totals: { partitionKey: "id" } },
    },
    archive: { handler: "archiver" },
    orders: { handler: "sqs" },
    audit: { handler: "sns" },
  },
  observability: { logRetentionDays: 7, dashboard: true },
};

/** `raw` with consumer `name` patched (`undefined` values remove keys), or removed when `patch` is null. */
export function withConsumer(raw: Raw, name: string, patch: Raw | null): Raw {
  const consumers = { ...(raw.consumers as Record<string, Raw>) };
  if (patch === null) delete consumers[name];
  else consumers[name] = withoutUndefined({ ...consumers[name], ...patch });
  return { ...raw, consumers };
}

/** `raw` with section `key` (`stream`, `api`, …) patched. */
export function withSection(raw: Raw, key: string, patch: Raw): Raw {
  return { ...raw, [key]: withoutUndefined({ ...(raw[key] as Raw | undefined), ...patch }) };
}

function withoutUndefined(raw: Raw): Raw {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}

/** Writes `raw` (keys without the `kinesis-ingest:` prefix) as a stack file of Region eu-west-1. */
export function writeStackFile(file: string, raw: Raw): void {
  const config = { "aws:region": "eu-west-1", ...Object.fromEntries(Object.entries(raw).map(([k, v]) => [`kinesis-ingest:${k}`, v])) };
  writeFileSync(file, stringify({ config }));
}

/** What `--against` reports for the change from `before` to `after` of stack `stack`. */
export async function transition(before: Raw, after: Raw, stack = "dev"): Promise<ReportedChange[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "transition-"));
  try {
    const read = (label: string, raw: Raw): StackFile => {
      const file = path.join(dir, label);
      writeStackFile(file, raw);
      const values = readStackFileAt(file, "the test wrote it");
      validateStackConfig(values, label, { stack });
      return { label, path: file, raw: values };
    };
    const report = await changeBetween(stack, read(`Pulumi.${stack}.yaml`, after), read("old.yaml", before));
    return [...report.changes];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one change of the resource named `name` (and of a type ending `type`, when names repeat across types). */
export function changeOf(changes: readonly ReportedChange[], name: string, type = ""): ReportedChange {
  const found = changes.filter((c) => c.name === name && c.type.endsWith(type));
  if (found.length !== 1) {
    throw new Error(`expected one change of ${name}, found ${found.length}: ${changes.map((c) => `${c.action} ${c.name}`).join(", ")}`);
  }
  return found[0]!;
}

/** `[action, inputs, dataLoss, rereads]` of the resource named `name`: what a transition asserts. */
export function verdictOf(changes: readonly ReportedChange[], name: string, type = ""): [string, readonly string[], boolean, boolean] {
  const c = changeOf(changes, name, type);
  return [c.action, c.inputs, c.dataLoss, c.rereads];
}

/** `action name` of every change, for asserting what else a transition touches. */
export function summary(changes: readonly ReportedChange[]): string[] {
  return changes.map((c) => `${c.action} ${c.name}`);
}
