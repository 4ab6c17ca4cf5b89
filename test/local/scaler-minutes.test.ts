/**
 * The local stream scaler's inputs (local/scaler-minutes.ts): its clock runs 60/period times real time, and a
 * scaler minute's sums are scaled to a real minute's, so the deployed thresholds (decide.ts) apply unchanged.
 */
import { expect } from "chai";
import { decideScaling, SCALE_IN_MINUTES } from "../../handlers/lib/scaling/decide";
import { ScalerClock, ScalerMinutes } from "../../local/scaler-minutes";

const MINUTE_MS = 60_000;

function fakeTime(startMs: number) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("local stream scaler: its clock and minutes of writes", () => {
  it("runs 12 times real time with a 5-second period, and real time with 60", () => {
    const time = fakeTime(1_000_000);
    const fast = new ScalerClock(5, time.now);
    const real = new ScalerClock(60, time.now);
    time.advance(5000);
    expect(fast.now() - 1_000_000).to.equal(MINUTE_MS);
    expect(real.now() - 1_000_000).to.equal(5000);
    expect(fast.realMs(5 * MINUTE_MS)).to.equal(25_000); // a 5-minute cooldown lasts 25 real seconds
  });

  it("sums writes per scaler minute, scaled to a real minute's, and reads the complete minutes only", () => {
    const time = fakeTime(0);
    const clock = new ScalerClock(5, time.now);
    const minutes = new ScalerMinutes(clock);
    // 5 real seconds at 1,200 records/s and 1.2 MB/s, with 100 records throttled: one scaler minute.
    minutes.add({ bytes: 6_000_000, records: 6000, throttled: 100 });
    time.advance(5000);
    minutes.add({ bytes: 1, records: 1, throttled: 0 }); // the minute still filling is not read
    const read = minutes.minutes(clock.now());
    expect(read).to.have.length(SCALE_IN_MINUTES);
    expect(read[read.length - 1]).to.deep.equal({ bytes: 72_000_000, records: 72_000, throttled: 1200 });
    expect(read.slice(0, -1).every((m) => m.bytes === 0 && m.records === 0)).to.equal(true);
  });

  it("gives the deployed decision the load a real minute would: 1,200 records/s on one shard needs 2", () => {
    const time = fakeTime(0);
    const clock = new ScalerClock(5, time.now);
    const minutes = new ScalerMinutes(clock);
    minutes.add({ bytes: 600_000, records: 6000, throttled: 0 });
    time.advance(5000);
    const policy = {
      minShards: 1,
      maxShards: 4,
      targetUtilization: 0.7,
      scaleOutCooldownMs: 5 * MINUTE_MS,
      scaleInCooldownMs: 60 * MINUTE_MS,
    };
    const decision = decideScaling({
      nowMs: clock.now(),
      status: "ACTIVE",
      openShards: 1,
      minutes: minutes.minutes(clock.now()),
      history: [],
      policy,
    });
    expect(decision).to.deep.equal({ action: "scale", targetShards: 2, reason: "1 → 2 shards: the load needs 2" });
  });
});
