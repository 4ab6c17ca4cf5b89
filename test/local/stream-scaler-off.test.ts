/**
 * `stream.autoscaling` where the local stream scaler cannot run (local/stream-scaler.ts): on kinesalite, which has
 * no UpdateShardCount, the stack starts with `stream.shards`, says why the scaler is off, and reports no `scaling`.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { startLocalStack } from "../../local/stack";

describe("local stack: stream.autoscaling without kinesis-local", function () {
  this.timeout(60_000);

  it("starts with stream.shards and a note naming what the scaler needs", async () => {
    const config = validateStackConfig({ stream: { shards: 2, autoscaling: { minShards: 1, maxShards: 4 } }, consumers: {} });
    const lines: string[] = [];
    const stack = await startLocalStack(config, {
      stack: "scaler-off",
      port: 0,
      kinesis: "kinesalite",
      limits: true,
      token: "scaler-off-test-token-0001",
      log: (line) => lines.push(line),
    });
    try {
      const status = stack.status();
      expect(status.shards).to.equal(2);
      expect(status.scaling).to.equal(undefined);
      expect(lines).to.include(
        "note: stream.autoscaling is on but the local stream scaler is off: kinesalite has no UpdateShardCount: run with --kinesis kinesis-local.",
      );
    } finally {
      await stack.stop();
    }
  });
});
