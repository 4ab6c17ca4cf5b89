/**
 * `replayFrom` in the local stack, as the program deploys it: a second mapping of the same function, starting
 * AT_TIMESTAMP, that delivers the window again beside the consumer's own mapping.
 */
import { expect } from "chai";
import { loadStackFile } from "../../config";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";
import type { SinkRecord } from "../../local/sink";
import { eventually } from "./support/local-stack-process";

describe("local stack: a consumer's replayFrom mapping", function () {
  this.timeout(60_000);
  const token = "replay-mapping-test-token-0001";
  let stack: RunningLocalStack;
  const notes: string[] = [];

  before(async () => {
    const dev = loadStackFile("dev");
    const replayFrom = new Date(Date.now() - 60_000).toISOString();
    const config = { ...dev, consumers: { forwarder: { ...dev.consumers.forwarder!, replayFrom, batchWindowSeconds: 0 } } };
    stack = await startLocalStack(config, {
      stack: "replaytest",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token,
      log: (line) => notes.push(line),
    });
  });

  after(async () => {
    if (stack) await stack.stop();
  });

  it("delivers every record once through each mapping, counted apart in the status", async () => {
    const records = Array.from({ length: 6 }, (_, n) => ({ data: { n }, partitionKey: "order-9" }));
    const response = await fetch(`${stack.url}/records`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ records }),
    });
    expect(response.status).to.equal(200);
    const delivered = await eventually("12 deliveries at the sink", async () => {
      const sink = (await (await fetch(`${stack.url}/_local/sink`)).json()) as { records: SinkRecord[] };
      return sink.records.length >= 12 ? sink.records : undefined;
    });
    const counts = new Map<number, number>();
    for (const record of delivered) counts.set((record.data as { n: number }).n, (counts.get((record.data as { n: number }).n) ?? 0) + 1);
    expect([...counts].sort(([a], [b]) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5].map((n) => [n, 2]));
    const consumers = stack.status().consumers;
    expect(Object.keys(consumers)).to.deep.equal(["forwarder", "forwarder:replay"]);
    expect([consumers.forwarder!.records, consumers["forwarder:replay"]!.records]).to.deep.equal([6, 6]);
    expect(notes.some((line) => line.includes("forwarder also replays from"))).to.equal(true);
  });
});
