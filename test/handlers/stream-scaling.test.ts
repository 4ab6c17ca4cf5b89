/**
 * The stream scaler's decision (handlers/lib/scaling/decide.ts) against UpdateShardCount's rules: scale-out and
 * scale-in from the write load, at most ×2 and at least ×½ per call, ten scalings per rolling 24 hours (two kept for
 * scale-out), the stack's bounds, the cooldowns, and a stream that is not ACTIVE.
 */
import { expect } from "chai";
import {
  decideScaling,
  SCALE_IN_MINUTES,
  SCALINGS_KEPT_FOR_SCALE_OUT,
  shardsFor,
  type MinuteSample,
  type ScalingEvent,
  type ScalingInput,
} from "../../handlers/lib/scaling/decide";
import { MAX_SCALINGS_PER_WINDOW, SCALING_WINDOW_MS } from "../../semantics/shard-scaling";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const MIB = 1024 * 1024;

/** `n` minutes of `recordsPerSecond` records of `bytesPerRecord` each. */
function load(recordsPerSecond: number, bytesPerRecord = 100, n = SCALE_IN_MINUTES): MinuteSample[] {
  return Array.from({ length: n }, () => ({ records: recordsPerSecond * 60, bytes: recordsPerSecond * bytesPerRecord * 60, throttled: 0 }));
}

function input(overrides: Partial<ScalingInput> = {}): ScalingInput {
  return {
    nowMs: NOW,
    status: "ACTIVE",
    openShards: 4,
    minutes: load(0),
    history: [],
    policy: { minShards: 1, maxShards: 64, targetUtilization: 0.5, scaleOutCooldownMs: 5 * MIN, scaleInCooldownMs: 60 * MIN },
    ...overrides,
  };
}

/** `count` scalings, the newest `newestAgoMs` before NOW, one a minute before it. */
function scalings(count: number, newestAgoMs = 2 * 60 * MIN): ScalingEvent[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: NOW - newestAgoMs - i * MIN, from: 4, to: 4 }));
}

const target = (i: ScalingInput) => {
  const d = decideScaling(i);
  return d.action === "scale" ? d.targetShards : "hold";
};

describe("stream scaler decision", () => {
  describe("shards for a load", () => {
    it("sizes on records and on bytes, whichever needs more, at the target utilization", () => {
      expect(shardsFor(load(2100), 0.7)).to.equal(3); // 2,100 records/s ÷ 700
      expect(shardsFor(load(2101), 0.7)).to.equal(4);
      expect(shardsFor(load(100, 0.5 * MIB), 1)).to.equal(50); // 50 MiB/s of bytes, 100 records/s
      expect(shardsFor([], 0.7)).to.equal(0);
    });
  });

  describe("scale-out", () => {
    it("scales out to what the peak of the newest minutes needs", () => {
      expect(target(input({ minutes: load(3000) }))).to.equal(6); // 3,000 ÷ 500
    });
    it("at most doubles the count in one call", () => {
      expect(target(input({ minutes: load(10_000) }))).to.equal(8);
    });
    it("never beyond maxShards", () => {
      expect(target(input({ minutes: load(10_000), policy: { ...input().policy, maxShards: 6 } }))).to.equal(6);
    });
    it("a throttled minute asks for one more shard even below the target", () => {
      const minutes = [...load(100), { records: 6000, bytes: 600_000, throttled: 5 }];
      expect(target(input({ minutes }))).to.equal(5);
    });
    it("waits for the scale-out cooldown after any scaling", () => {
      const d = decideScaling(input({ minutes: load(3000), history: [{ atMs: NOW - 2 * MIN, from: 2, to: 4 }] }));
      expect(d).to.deep.include({ action: "hold" });
      expect(d.reason).to.match(/cooldown \(3 min left\)/);
      expect(target(input({ minutes: load(3000), history: [{ atMs: NOW - 5 * MIN, from: 2, to: 4 }] }))).to.equal(6);
    });
  });

  describe("scale-in", () => {
    it("scales in when every minute read needs fewer shards", () => {
      expect(target(input({ minutes: load(1500) }))).to.equal(3);
    });
    it("at most halves the count in one call", () => {
      expect(target(input({ openShards: 16, minutes: load(0) }))).to.equal(8);
      expect(target(input({ openShards: 5, minutes: load(0) }))).to.equal(3); // half of 5, rounded up
    });
    it("never below minShards", () => {
      expect(target(input({ minutes: load(0), policy: { ...input().policy, minShards: 3 } }))).to.equal(3);
    });
    it("a busy minute early in the window keeps the shards", () => {
      const minutes = [...load(2000, 100, 1), ...load(0, 100, SCALE_IN_MINUTES - 1)];
      expect(decideScaling(input({ minutes })).action).to.equal("hold");
    });
    it("waits for the scale-in cooldown", () => {
      expect(target(input({ minutes: load(0), history: [{ atMs: NOW - 59 * MIN, from: 8, to: 4 }] }))).to.equal("hold");
      expect(target(input({ minutes: load(0), history: [{ atMs: NOW - 60 * MIN, from: 8, to: 4 }] }))).to.equal(2);
    });
  });

  describe("the 24-hour budget", () => {
    it("holds after ten scalings in the rolling 24 hours, scale-out included", () => {
      const d = decideScaling(input({ minutes: load(3000), history: scalings(MAX_SCALINGS_PER_WINDOW) }));
      expect(d.action).to.equal("hold");
      expect(d.reason).to.match(/10 scalings in the last 24 hours/);
    });
    it("forgets scalings older than 24 hours", () => {
      const old = scalings(MAX_SCALINGS_PER_WINDOW, SCALING_WINDOW_MS);
      expect(target(input({ minutes: load(3000), history: old }))).to.equal(6);
    });
    it("scale-in leaves the last two scalings to scale-out", () => {
      const spent = MAX_SCALINGS_PER_WINDOW - SCALINGS_KEPT_FOR_SCALE_OUT;
      expect(SCALINGS_KEPT_FOR_SCALE_OUT).to.equal(2);
      expect(target(input({ minutes: load(0), history: scalings(spent) }))).to.equal("hold");
      expect(target(input({ minutes: load(3000), history: scalings(spent) }))).to.equal(6);
      expect(target(input({ minutes: load(0), history: scalings(spent - 1) }))).to.equal(2);
    });
  });

  describe("bounds and status", () => {
    it("moves a stream outside new bounds back inside without waiting for a cooldown", () => {
      const recent = [{ atMs: NOW - MIN, from: 2, to: 4 }];
      expect(target(input({ minutes: load(0), history: recent, policy: { ...input().policy, minShards: 6 } }))).to.equal(6);
      expect(
        target(input({ openShards: 40, minutes: load(20_000), history: recent, policy: { ...input().policy, maxShards: 32 } })),
      ).to.equal(32);
    });
    it("holds while the stream is UPDATING (a reshard runs)", () => {
      const d = decideScaling(input({ status: "UPDATING", minutes: load(10_000) }));
      expect(d).to.deep.equal({
        action: "hold",
        reason: "the stream is UPDATING: UpdateShardCount needs it ACTIVE (a reshard is running)",
      });
    });
    it("holds when the count carries the load", () => {
      expect(decideScaling(input({ minutes: load(1800) })).action).to.equal("hold"); // 1,800 ÷ 500 → 4
    });
  });
});
