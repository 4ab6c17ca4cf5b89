/**
 * The verdict on each change of `./diff`: whether it loses data or re-reads records, and why, from the
 * resource's lifecycle options as `components/lifecycle.ts` sets them (a data-bearing resource is retained on
 * delete and may be protected; a fixed-name one is replaced delete-first) and the AWS behaviour
 * docs/day-2.md describes. Lifecycle options are read from the old plan for a delete or a replacement: the
 * state holds them, so a change of `lifecycle.protect` takes effect only on the `pulumi up` after it.
 */
import type { Action, PlannedState, ResourceChange } from "./diff";
import { mappingVerdict, MAPPING, type Judgement } from "./mapping-verdict";
import { replacementRow } from "./replacement-inputs";

/** One change as reported (`--json` prints exactly these keys). */
export interface ReportedChange {
  readonly type: string;
  readonly name: string;
  readonly action: Action;
  /** Update: the inputs that changed; replace: those that force it (known or not); create and delete: none. */
  readonly inputs: readonly string[];
  readonly dataLoss: boolean;
  readonly rereads: boolean;
  readonly why: string;
}

const STREAM = "aws:kinesis/stream:Stream";

/** The verdict on every change, in order; `after` is the new plan (a new mapping may join one left unchanged). */
export function verdicts(changes: readonly ResourceChange[], after: readonly PlannedState[]): ReportedChange[] {
  const byUrn = new Map(changes.map((c) => [(c.after ?? c.before)!.urn, c]));
  const created = new Set(changes.filter((c) => c.action === "create").map((c) => c.after!.urn));
  const existing = after.filter((r) => !created.has(r.urn));
  return changes.map((change) => {
    const r = (change.after ?? change.before)!;
    const head = change.action === "replace" ? replacedHead(change, byUrn) : "";
    const judged = r.type === MAPPING ? mappingVerdict(change, head, changes, existing) : judge(change, head);
    const inputs =
      change.action === "update"
        ? change.changed
        : change.action === "replace"
          ? [...change.forcing, ...change.unknown.map((u) => u.input)]
          : [];
    return { type: r.type, name: r.name, action: change.action, inputs, ...judged };
  });
}

function judge(change: ResourceChange, head: string): Judgement {
  const r = (change.after ?? change.before)!;
  const row = replacementRow(r.type);
  const holds = row?.holds;
  const quiet = { dataLoss: false, rereads: false };
  switch (change.action) {
    case "create":
      return { ...quiet, why: holds !== undefined && r.options.retainOnDelete ? "created, empty" : "created" };
    case "update":
      return update(change);
    case "delete":
      if (dataBearing(r, holds)) return retained(r, holds!);
      // The archive bucket's settings stay on the retained bucket, keeping it private, encrypted and expiring.
      return { ...quiet, why: r.options.retainOnDelete ? "retained, no longer managed: it stays in AWS" : "deleted" };
    case "replace":
      return dataBearing(change.before!, holds) ? replacedData(change, head, holds!) : { ...quiet, why: replaced(change, head) };
  }
}

/** Data-bearing as `components/lifecycle.ts` marks it: a type that holds data, retained on delete. */
function dataBearing(r: PlannedState, holds: string | undefined): boolean {
  return holds !== undefined && r.options.retainOnDelete;
}

function update(change: ResourceChange): Judgement {
  const r = change.after!;
  const row = replacementRow(r.type);
  const why = `updated in place: ${change.changed.join(", ")}`;
  if (row === undefined) {
    return {
      dataLoss: false,
      rereads: false,
      why: `${why} (${r.type} has no row in synth/replacement-inputs.ts: whether this replaces it is not known)`,
    };
  }
  if (row.component)
    return { dataLoss: false, rereads: false, why: `${why}; awsx plans the resources it makes (pulumi preview shows them)` };
  if (r.type === STREAM) {
    // DecreaseStreamRetentionPeriod: records older than the new period become inaccessible at once.
    const [before, after] = [Number(change.before!.inputs.retentionPeriod), Number(r.inputs.retentionPeriod)];
    if (after < before) {
      return {
        dataLoss: true,
        rereads: false,
        why: `${why}; the retention drops from ${before} to ${after} hours: older records are trimmed at once`,
      };
    }
  }
  return { dataLoss: false, rereads: false, why };
}

function retained(r: PlannedState, holds: string): Judgement {
  const kept = `retained, no longer managed: it stays in AWS with its ${holds} (delete it by hand when no longer needed)`;
  const why = r.options.protect ? `protected (lifecycle.protect): pulumi up refuses to delete it until that is lifted; then ${kept}` : kept;
  return { dataLoss: false, rereads: false, why };
}

function replacedData(change: ResourceChange, head: string, holds: string): Judgement {
  const name = sameName(change);
  const why = change.before!.options.protect
    ? `${head}: protected (lifecycle.protect), so pulumi up refuses it and changes nothing`
    : name !== undefined
      ? `${head}, under the same name ${name}: the new one's create fails ("already exists") and the up stops (never delete-first, which would leave the ${holds} behind, no longer managed)`
      : `${head}: a new, empty one is created; the old one is retained with its ${holds}, no longer managed`;
  return { dataLoss: true, rereads: false, why };
}

function replaced(change: ResourceChange, head: string): string {
  if (change.after!.options.deleteBeforeReplace) return `${head}, delete-first`;
  const name = sameName(change);
  return name === undefined ? head : `${head}; create-first under the same name ${name}, it collides with the one it replaces`;
}

/**
 * "replaced (the inputs forcing it)", or "may be replaced" when only unknown inputs force it (`pulumi preview`
 * plans the replacement; `pulumi up` makes it if the value turns out new), and the other inputs changing with it.
 */
function replacedHead(change: ResourceChange, byUrn: ReadonlyMap<string, ResourceChange>): string {
  const unknown = change.unknown.map((u) => {
    const from = byUrn.get(u.from);
    return `${u.input} comes from ${from?.after?.name ?? u.from}, which this change ${from?.action === "create" ? "creates" : "replaces"}, unknown until then`;
  });
  const reasons = [change.forcing.join(", "), ...unknown].filter(Boolean).join("; ");
  const others = change.changed.filter((input) => !change.forcing.includes(input));
  const head = `${change.forcing.length > 0 ? "replaced" : "may be replaced"} (${reasons})`;
  return others.length > 0 ? `${head}, with ${others.join(", ")}` : head;
}

/** The physical name a replacement keeps, when the type has a fixed one and it does not change. */
function sameName(change: ResourceChange): string | undefined {
  const key = replacementRow(change.after!.type)?.name;
  if (key === undefined) return undefined;
  const name = change.after!.inputs[key];
  return typeof name === "string" && name === change.before!.inputs[key] ? name : undefined;
}
