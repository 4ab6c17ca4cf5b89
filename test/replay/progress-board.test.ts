/** The replay's progress frame: a line per shard (state, counts, time reached, behind the tip) and a total. */
import { expect } from "chai";
import { PassThrough } from "node:stream";
import { formatDuration, renderProgress, showProgress } from "../../replay/progress-board";
import { ReplayStats } from "../../replay/replay-stats";

describe("replay progress board", () => {
  it("renders each shard and the total", () => {
    const stats = new ReplayStats();
    stats.until = new Date("2024-05-01T13:00:00Z");
    Object.assign(stats.shard("shardId-000000000001"), {
      state: "reading",
      read: 250,
      delivered: 240,
      millisBehindLatest: 65_000,
      lastArrival: new Date("2024-05-01T12:00:00Z"),
    });
    Object.assign(stats.shard("shardId-000000000000"), { state: "done", read: 100, delivered: 90, failed: 10, retries: 2 });
    const lines = renderProgress(stats, stats.startedAt + 2000);
    expect(lines).to.deep.equal([
      "shardId-000000000000  done     read     100  delivered      90  failed 10  at -  behind tip 0ms",
      "shardId-000000000001  reading  read     250  delivered     240  at 2024-05-01T12:00:00.000Z  to end 1h00m  behind tip 1m05s",
      "total  1/2 shards done  read 350  delivered 330  failed 10  165 records/s  retries 2",
    ]);
  });

  it("formats durations from milliseconds to hours", () => {
    expect([850, 4_000, 184_000, 3_720_000].map(formatDuration)).to.deep.equal(["850ms", "4s", "3m04s", "1h02m"]);
  });

  it("draws nothing when the output is not a terminal", () => {
    const out = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = "";
    (out as unknown as PassThrough).on("data", (c: Buffer) => (written += c.toString()));
    showProgress(new ReplayStats(), out, 10)();
    expect(written).to.equal("");
  });
});
