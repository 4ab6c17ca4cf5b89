/**
 * A mapping's AT_TIMESTAMP position as the second `pulumi up` sees it: the provider reads
 * `starting_position_timestamp` back as UTC whole seconds (`…Z`), so the program sends exactly that form, or
 * every later run would plan a replacement; and a `replayFrom` that time has made stale still plans, with a
 * warning saying it can be removed (docs/day-2.md#timestamps, #a-stale-replayfrom).
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { named, runStack } from "./harness";

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

function dev(forwarder: Record<string, unknown>): Record<string, unknown> {
  const raw = structuredClone(readStackFile("dev")) as { consumers: Record<string, Record<string, unknown>> };
  raw.consumers.forwarder = { ...raw.consumers.forwarder, ...forwarder };
  return raw;
}

describe("program: AT_TIMESTAMP positions and replay windows", () => {
  const now = () => Date.parse("2026-03-01T12:00:00Z");

  it("a starting position with an offset and a fraction reaches the mapping as UTC whole seconds", async () => {
    const raw = dev({ startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: "2026-03-01T07:30:00.250+01:30" });
    const { resources } = await runStack(raw, { stack: "dev", now });
    expect(named(resources, MAPPING, "consumer-forwarder-mapping").inputs.startingPositionTimestamp).to.equal("2026-03-01T06:00:00Z");
  });

  it("so does a replayFrom, on the replay mapping and in its alias's description", async () => {
    const { resources } = await runStack(dev({ replayFrom: "2026-03-01T08:00:00.9+02:00" }), { stack: "dev", now });
    expect(named(resources, MAPPING, "consumer-forwarder-replay-mapping").inputs.startingPositionTimestamp).to.equal(
      "2026-03-01T06:00:00Z",
    );
    expect(named(resources, "aws:lambda/alias:Alias", "consumer-forwarder-replay").inputs.description).to.equal(
      "Replay of consumer-forwarder from 2026-03-01T06:00:00Z; remove replayFrom to delete",
    );
  });

  it("a replayFrom older than the stream's retention still plans the stack as deployed, and warns that it can be removed", async () => {
    const later = () => Date.parse("2026-03-03T12:00:00Z");
    const { resources, warnings } = await runStack(dev({ replayFrom: "2026-03-01T06:00:00Z" }), { stack: "dev", now: later });
    expect(named(resources, MAPPING, "consumer-forwarder-replay-mapping").inputs.startingPositionTimestamp).to.equal(
      "2026-03-01T06:00:00Z",
    );
    expect(warnings.filter((w) => w.includes("replayFrom"))).to.deep.equal([
      "`consumers.forwarder.replayFrom` 2026-03-01T06:00:00Z is 54.0 hours ago, older than the stream keeps records (`stream.retentionHours` 24): " +
        "the replay mapping starts at the oldest record kept; if its replay has run, remove the key (that deletes the replay mapping); " +
        "for a new replay pick a time within the last 24 hours",
    ]);
  });
});
