/**
 * End to end on kinesis-local (LocalStack's kinesis-mock, a child process of the stack): records flow, and
 * Ctrl-C stops the emulator too — no orphan process, port freed.
 */
import { expect } from "chai";
import type { SinkRecord } from "../../local/sink";
import { eventually, groupAlive, killGroup, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

describe("local stack end to end with --kinesis kinesis-local", function () {
  this.timeout(90_000);
  let stack: LocalStackProcess;

  before(async () => {
    stack = await startLocalStackProcess(["--kinesis", "kinesis-local"]);
  });

  after(() => {
    if (stack) killGroup(stack.child.pid!, "SIGKILL"); // only if the shutdown test failed
  });

  it("delivers posted records downstream", async () => {
    const { status, body } = await stack.postRecords([1, 2, 3].map((n) => ({ data: { run: "kl", n }, partitionKey: "kl" })));
    expect([status, body.failedRecordCount]).to.deep.equal([200, 0]);
    const ns = await eventually("3 records at the sink", async () => {
      const list = (await (await fetch(`${stack.url}/_local/sink`)).json()) as { records: SinkRecord[] };
      return list.records.length >= 3 ? list.records.map((r) => (r.data as { n: number }).n) : undefined;
    });
    expect(ns).to.deep.equal([1, 2, 3]);
  });

  it("stops the emulator child with itself on SIGINT to the group", async () => {
    const pgid = stack.child.pid!;
    const { kinesisEndpoint } = await stack.status();
    const { exitMs } = await stack.interrupt();
    expect(exitMs).to.be.lessThan(5000);
    await eventually("the process group to be gone", async () => (groupAlive(pgid) ? undefined : true), 3000);
    for (const url of [`${stack.url}/health`, kinesisEndpoint]) {
      const refused = await fetch(url).then(
        () => false,
        () => true,
      );
      expect(refused, `${url} refuses connections`).to.equal(true);
    }
  });
});
