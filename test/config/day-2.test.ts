/**
 * The settings that make a second `pulumi up` plan what the first one applied (docs/day-2.md): timestamps in
 * the one form the provider reads back, and `lifecycle.protect`, validated like every other key.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const forwarder = (extra: Record<string, unknown> = {}) => ({ consumers: { forwarder: { handler: "forwarder", ...extra } } });

describe("config: AT_TIMESTAMP times as the provider reads them back (UTC, whole seconds)", () => {
  const startingAt = (timestamp: string) =>
    validateStackConfig(forwarder({ startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: timestamp })).consumers.forwarder!
      .startingPositionTimestamp;
  const replayFrom = (timestamp: string) =>
    validateStackConfig(forwarder({ replayFrom: timestamp }), "test", { now: () => Date.parse("2026-03-01T12:00:00Z") }).consumers
      .forwarder!.replayFrom;

  const cases: [string, string, string][] = [
    ["UTC in whole seconds is kept", "2026-03-01T06:00:00Z", "2026-03-01T06:00:00Z"],
    ["an offset becomes UTC", "2026-03-01T07:30:00+01:30", "2026-03-01T06:00:00Z"],
    ["a negative offset across midnight", "2026-02-28T22:00:05-08:00", "2026-03-01T06:00:05Z"],
    ["a fraction is truncated, as the read-back truncates it", "2026-03-01T06:00:00.999Z", "2026-03-01T06:00:00Z"],
    ["a fraction and an offset", "2026-03-01T08:00:59.5+02:00", "2026-03-01T06:00:59Z"],
  ];
  for (const [title, given, normalized] of cases) {
    it(`${title}: ${given} → ${normalized}`, () => {
      expect([startingAt(given), replayFrom(given)]).to.deep.equal([normalized, normalized]);
    });
  }

  it("a date or hour JavaScript would roll over (the provider refuses it) is refused, not moved", () => {
    const refused = (value: string) =>
      `\`consumers.forwarder.replayFrom\` must be an RFC 3339 date-time with seconds and a time zone, such as 2026-11-01T00:00:00Z, got "${value}"`;
    expect(problemsOf(forwarder({ replayFrom: "2026-02-29T06:00:00Z" }))).to.deep.equal([refused("2026-02-29T06:00:00Z")]);
    expect(problemsOf(forwarder({ replayFrom: "2026-03-01T24:00:00Z" }))).to.deep.equal([refused("2026-03-01T24:00:00Z")]);
    expect(problemsOf(forwarder({ replayFrom: "2024-02-29T06:00:00Z" }))).to.have.length(0);
  });
});

describe("config: lifecycle.protect", () => {
  const protect = (raw: Record<string, unknown>, stack?: string) =>
    validateStackConfig({ ...forwarder(), ...raw }, "test", { stack }).lifecycle;

  it("defaults to true for the stack named prod, false for any other (and when the stack is not known)", () => {
    expect([protect({}, "prod"), protect({}, "dev"), protect({}, "production"), protect({})]).to.deep.equal([
      { protect: true },
      { protect: false },
      { protect: false },
      { protect: false },
    ]);
  });

  it("an explicit value wins either way", () => {
    expect([protect({ lifecycle: { protect: false } }, "prod"), protect({ lifecycle: { protect: true } }, "dev")]).to.deep.equal([
      { protect: false },
      { protect: true },
    ]);
  });

  it("is checked like every other key", () => {
    expect(problemsOf({ ...forwarder(), lifecycle: { protect: "yes" } })).to.deep.equal([
      '`lifecycle.protect` must be true or false, got "yes"',
    ]);
    expect(problemsOf({ ...forwarder(), lifecycle: { protected: true } })).to.deep.equal([
      "`lifecycle.protected` is not a known setting (did you mean `protect`?); known settings: protect",
    ]);
    expect(problemsOf({ ...forwarder(), lifecycle: true })).to.deep.equal(["`lifecycle` must be an object, got true"]);
  });
});
