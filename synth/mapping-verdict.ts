/**
 * The verdict on a change of an event source mapping. The checkpoint belongs to the mapping
 * (docs/aws-semantics.md#event-source-mapping-settings): a mapping that is new, or new in place of another,
 * starts at its `startingPosition` (docs/day-2.md#event-source-mappings). It re-reads (`TRIM_HORIZON`,
 * `AT_TIMESTAMP`) or skips (`LATEST`: the records not read yet, and those arriving until it starts, are never
 * delivered, which counts as data loss).
 */
import type { PlannedState, ResourceChange } from "./diff";

export const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

/** What a verdict says beside the change's action and inputs. */
export interface Judgement {
  readonly dataLoss: boolean;
  readonly rereads: boolean;
  readonly why: string;
}

/**
 * `head` says what replaces it (for a replacement); `changes` are all the changes, `existing` the new plan's
 * resources that existed before (a replay mapping joins its function's mapping).
 */
export function mappingVerdict(
  change: ResourceChange,
  head: string,
  changes: readonly ResourceChange[],
  existing: readonly PlannedState[],
): Judgement {
  const quiet = { dataLoss: false, rereads: false };
  if (change.action === "update") return { ...quiet, why: `updated in place: ${change.changed.join(", ")}; it keeps its position` };
  if (change.action === "delete")
    return { ...quiet, why: "deleted: its function stops reading this source, and the position goes with it" };
  const r = change.after!;
  const at = position(r);
  if (change.action === "replace") {
    const order = r.options.deleteBeforeReplace
      ? "delete-first"
      : "create-first, which fails: one mapping per function and source (ResourceConflictException)";
    return { dataLoss: at.skips, rereads: true, why: `${head}, ${order}: the position belongs to the mapping, so the new one ${at.text}` };
  }
  // A rename deletes the old consumer's mapping and creates the new one's: the position is not carried over.
  const predecessor = changes.find((c) => c.action === "delete" && c.before!.type === MAPPING && sameSource(c.before!, r));
  if (predecessor) {
    return {
      dataLoss: at.skips,
      rereads: true,
      why: `created as ${predecessor.before!.name}, on the same source, is deleted: it does not take over its position and ${at.text}`,
    };
  }
  // A second mapping of the same function (the replay) reads what the first one did.
  const sibling = existing.find((other) => other.type === MAPPING && sameFunction(other, r));
  if (sibling) return { dataLoss: false, rereads: true, why: `created beside ${sibling.name}, for the same function: it ${at.text}` };
  return { ...quiet, why: `created: it starts at ${String(r.inputs.startingPosition)}` };
}

/** Where a new mapping starts reading, and what that means for the records. */
function position(r: PlannedState): { readonly text: string; readonly skips: boolean } {
  const at = r.inputs.startingPosition;
  if (at === "LATEST")
    return { text: "starts at LATEST: what was not read yet, and what arrives until it starts, is skipped", skips: true };
  if (at === "AT_TIMESTAMP") {
    return { text: `starts at ${String(r.inputs.startingPositionTimestamp)}: reads again every record since then`, skips: false };
  }
  return { text: `starts at ${String(at)}: reads the stream's whole retention again`, skips: false };
}

function sameSource(a: PlannedState, b: PlannedState): boolean {
  return typeof a.inputs.eventSourceArn === "string" && a.inputs.eventSourceArn === b.inputs.eventSourceArn;
}

/**
 * Two mappings of one function (an alias's mapping, the replay's, counts as its function's), whichever way
 * they read the stream (the replay of a fan-out reader has a fan-out consumer of its own).
 */
function sameFunction(a: PlannedState, b: PlannedState): boolean {
  // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS]
  const fn = (r: PlannedState) => String(r.inputs.functionName).split(":").slice(0, 7).join(":");
  return a.urn !== b.urn && fn(a) === fn(b);
}
