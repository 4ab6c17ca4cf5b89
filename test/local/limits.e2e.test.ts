/**
 * End to end under `--limits`: 3,000 records sent as fast as six concurrent requests allow into the dev
 * stack's single shard (1,000 records/s). Writes are throttled; the ingest handler retries the failed
 * entries, the client resends what a 207/429 reports failed, and every record arrives downstream once.
 */
import { expect } from "chai";
import type { SinkRecord } from "../../local/sink";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

describe("local stack end to end with --limits", function () {
  this.timeout(180_000);
  let stack: LocalStackProcess;

  before(async () => {
    stack = await startLocalStackProcess(["--limits"]);
  });

  after(async () => {
    if (stack) await stack.interrupt();
  });

  /** Posts `records`, resending exactly the ones the API reports failed, like the producer client does. */
  async function postUntilStored(records: ReadonlyArray<{ data: { n: number }; partitionKey: string }>): Promise<number> {
    let pending = records;
    let resends = 0;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 20) throw new Error(`${pending.length} records still not stored after 20 attempts`);
      const { status, body } = await stack.postRecords(pending);
      expect([200, 207, 429, 503], `status ${status}`).to.include(status);
      const failed = status === 200 ? [] : pending.filter((_, i) => body.records?.[i]?.sequenceNumber === undefined);
      resends += failed.length;
      if (failed.length > 0) await new Promise((r) => setTimeout(r, 1000)); // Retry-After: 1
      pending = failed;
    }
    return resends;
  }

  it("throttles writes to 1,000 records/s per shard and, with retries, loses nothing", async () => {
    const records = Array.from({ length: 3000 }, (_, n) => ({ data: { n }, partitionKey: `key-${n % 50}` }));
    const started = Date.now();
    const requests = Array.from({ length: 6 }, (_, i) => postUntilStored(records.slice(i * 500, (i + 1) * 500)));
    await Promise.all(requests);
    const storedMs = Date.now() - started;

    const status = await stack.status();
    expect(status.limits).to.equal(true);
    expect(status.kinesisEndpoint).to.not.equal(status.emulatorEndpoint); // clients are pointed at the proxy
    expect(status.throttled!.throttledWriteRecords).to.be.greaterThan(0);
    // 3,000 records at 1,000 records/s, with a full bucket of 1,000 at the start: at least 2 s
    expect(storedMs).to.be.at.least(1900);

    // Poll the small status page, then read the sink's list once.
    await eventually("3,000 records at the sink", async () => ((await stack.status()).sink.accepted >= 3000 ? true : undefined), 90_000);
    const delivered = ((await (await fetch(`${stack.url}/_local/sink`)).json()) as { records: SinkRecord[] }).records;
    const ns = delivered.map((r) => (r.data as { n: number }).n).sort((a, b) => a - b);
    expect(ns).to.deep.equal(records.map((r) => r.data.n));
  });
});
